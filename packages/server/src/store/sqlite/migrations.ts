/**
 * Schema migrations, applied in order at start-up. Never edit a shipped one: add the next.
 * The SQL keeps to what SQLite, Postgres and D1 share (TEXT, INTEGER, RETURNING), so the
 * other adapters start from the same statements. Every index costs a page write per commit
 * on the hot paths, so there are only those the routes query (the expiry sweeper of the next
 * release adds its own).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'orders, notifications, idempotency keys, checkout tokens, outbox',
    sql: `
CREATE TABLE orders (
  order_id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL,
  title TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  wallet TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  reference TEXT,
  status TEXT NOT NULL,
  gateway_order_no TEXT,
  pay_url TEXT,
  failure_code TEXT,
  failure_message TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  paid_at INTEGER,
  refunded_amount INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id TEXT,
  dedupe_key TEXT,
  raw_body TEXT NOT NULL,
  verified INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  received_at INTEGER NOT NULL
);
CREATE INDEX notifications_order_id ON notifications (order_id);

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  order_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE checkout_tokens (
  token_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  used_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  order_id TEXT,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX outbox_pending ON outbox (delivered_at, next_attempt_at);
`,
  },
];
