/**
 * Schema migrations, applied in order at start-up. Never edit a shipped one: add the next.
 * SQLite and D1 share one list; Postgres has the same versions in its own types (BIGINT for
 * epoch milliseconds and amounts). Every index costs a page write per commit on the hot
 * paths, so there are only those the store queries.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
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
  {
    version: 2,
    name: 'reconciliation checks, transition ids, outbox claims, refunds, webhook endpoints',
    sql: `
ALTER TABLE orders ADD COLUMN transition_id TEXT;
ALTER TABLE orders ADD COLUMN checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN next_check_at INTEGER;
UPDATE orders SET next_check_at = created_at + 60000 WHERE status = 'pending';
-- Only pending orders are in it: a paid order leaves it and never comes back.
CREATE INDEX orders_pending ON orders (next_check_at) WHERE status = 'pending';

ALTER TABLE outbox ADD COLUMN claim_id TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN given_up_at INTEGER;
CREATE INDEX outbox_order_id ON outbox (order_id);
-- Only undelivered events: the index the deliverer reads stays small however long the history.
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;

CREATE TABLE refunds (
  refund_no TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  status TEXT NOT NULL,
  refunded_before INTEGER NOT NULL,
  reason TEXT,
  request_id TEXT NOT NULL,
  failure_code TEXT,
  failure_message TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX refunds_order_id ON refunds (order_id, status);

CREATE TABLE webhook_endpoints (
  url TEXT PRIMARY KEY,
  disabled_at INTEGER,
  reason TEXT
) WITHOUT ROWID;
`,
  },
  {
    version: 3,
    name: 'outbox claim index-only',
    sql: `
-- The claim reads only this index however many events wait (the columns of its condition
-- are in it, and the rowid is the key it hands to the UPDATE).
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at, delivered_at, given_up_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
`,
  },
  {
    version: 4,
    name: 'checkout context and gateway endpoint of orders',
    sql: `
-- Where the shopper's browser was (desktop, mobile, wechat, alipay, social; NULL when not told)
-- and the create endpoint the proxy routed the order to (NULL: online, before routing existed).
ALTER TABLE orders ADD COLUMN context TEXT;
ALTER TABLE orders ADD COLUMN gateway_endpoint TEXT;
`,
  },
  {
    version: 5,
    name: 'rate-limit windows shared by every process',
    sql: `
-- Order creations per client per window, counted by every process or isolate on this database.
CREATE TABLE rate_counts (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_counts_window ON rate_counts (window_start);
`,
  },
  {
    version: 6,
    name: 'retention indexes on the age of events, notifications, idempotency keys',
    sql: `
-- The retention pass deletes the oldest rows in batches; each index holds only the rows it may
-- delete (delivered events, verified notifications), so a batch reads nothing else.
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
CREATE INDEX notifications_verified_received ON notifications (received_at) WHERE verified = 1;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
`,
  },
];
