import { SQLITE_MIGRATIONS, type Migration } from './sqlite-migrations.js';

/** The same versions for Postgres. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: SQLITE_MIGRATIONS[0]!.name,
    sql: `
CREATE TABLE orders (
  order_id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL,
  title TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  wallet TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  reference TEXT,
  status TEXT NOT NULL,
  gateway_order_no TEXT,
  pay_url TEXT,
  failure_code TEXT,
  failure_message TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  paid_at BIGINT,
  refunded_amount BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);

CREATE TABLE notifications (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id TEXT,
  dedupe_key TEXT,
  raw_body TEXT NOT NULL,
  verified INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  received_at BIGINT NOT NULL
);
CREATE INDEX notifications_order_id ON notifications (order_id);

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  order_id TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE checkout_tokens (
  token_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  used_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE outbox (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  order_id TEXT,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (delivered_at, next_attempt_at);
`,
  },
  {
    version: 2,
    name: SQLITE_MIGRATIONS[1]!.name,
    sql: `
ALTER TABLE orders ADD COLUMN transition_id TEXT;
ALTER TABLE orders ADD COLUMN checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN next_check_at BIGINT;
UPDATE orders SET next_check_at = created_at + 60000 WHERE status = 'pending';
-- Only pending orders are in it: a paid order leaves it and never comes back.
CREATE INDEX orders_pending ON orders (next_check_at) WHERE status = 'pending';

ALTER TABLE outbox ADD COLUMN claim_id TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN given_up_at BIGINT;
CREATE INDEX outbox_order_id ON outbox (order_id);
-- Only undelivered events: the index the deliverer reads stays small however long the history.
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;

CREATE TABLE refunds (
  refund_no TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  amount BIGINT NOT NULL,
  status TEXT NOT NULL,
  refunded_before BIGINT NOT NULL,
  reason TEXT,
  request_id TEXT NOT NULL,
  failure_code TEXT,
  failure_message TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX refunds_order_id ON refunds (order_id, status);

CREATE TABLE webhook_endpoints (
  url TEXT PRIMARY KEY,
  disabled_at BIGINT,
  reason TEXT
);
`,
  },
  {
    version: 3,
    name: 'outbox claim index-only',
    sql: `
-- The claim reads only this index however many events wait: the columns of its
-- condition are in it, and it hands the UPDATE the primary key.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at, delivered_at, given_up_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
`,
  },
  {
    version: 4,
    name: SQLITE_MIGRATIONS[3]!.name,
    sql: SQLITE_MIGRATIONS[3]!.sql,
  },
  {
    version: 5,
    name: SQLITE_MIGRATIONS[4]!.name,
    // Epoch milliseconds as BIGINT; no `WITHOUT ROWID` (a heap table keyed by its primary key).
    sql: SQLITE_MIGRATIONS[4]!.sql
      .replace('start INTEGER', 'start BIGINT')
      .replace(') WITHOUT ROWID;', ');'),
  },
  {
    version: 6,
    name: SQLITE_MIGRATIONS[5]!.name,
    sql: SQLITE_MIGRATIONS[5]!.sql,
  },
];
