import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Wallet } from '@scanforpay/protocol';
import { ALLOWED_FROM, ORDER_STATUSES, type Order, type OrderStatus } from '../../orders/order.js';
import {
  notificationOutcome,
  type IdempotencyRecord,
  type InsertOrderInput,
  type InsertOrderResult,
  type NotificationInput,
  type NotificationOutcome,
  type NotificationResult,
  type OrderStore,
  type StoredNotification,
  type TransitionInput,
  type TransitionResult,
} from '../order-store.js';
import { MIGRATIONS } from './migrations.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:`. Parent folders are created. */
  path: string;
  /**
   * `NORMAL` (default): with WAL a commit survives a process crash and only the last
   * transactions can be lost on power failure; `FULL` fsyncs every commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Milliseconds to wait for another connection's write lock. Default 5000. */
  busyTimeoutMs?: number;
}

export interface SqliteStore extends OrderStore {
  /** The underlying connection, for tests and tooling. */
  readonly db: Database.Database;
}

interface OrderRow {
  order_id: string;
  item_id: string;
  title: string;
  amount: number;
  currency: string;
  wallet: string;
  quantity: number;
  reference: string | null;
  status: string;
  gateway_order_no: string | null;
  pay_url: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: number;
  expires_at: number;
  paid_at: number | null;
  refunded_amount: number;
  updated_at: number;
}

interface NotificationRow {
  id: number;
  order_id: string | null;
  dedupe_key: string | null;
  raw_body: string;
  verified: number;
  outcome: string;
  reason: string | null;
  received_at: number;
}

interface IdempotencyRow {
  key: string;
  request_hash: string;
  order_id: string;
  created_at: number;
}

/**
 * The embedded default store: SQLite through better-sqlite3, WAL journal, migrations applied
 * at open, every statement prepared once. Calls are synchronous underneath and each method
 * is one transaction, so concurrent requests in one process never interleave inside it.
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.path !== ':memory:' && !options.path.startsWith('file:')) {
    mkdirSync(dirname(options.path), { recursive: true });
  }
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  migrate(db);

  const selectOrder = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE order_id = ?');
  const insertOrder = db.prepare(
    `INSERT INTO orders (order_id, item_id, title, amount, currency, wallet, quantity, reference,
       status, pay_url, gateway_order_no, failure_code, failure_message, created_at, expires_at, updated_at)
     VALUES (@orderId, @itemId, @title, @amount, @currency, @wallet, @quantity, @reference,
       @status, @payUrl, @gatewayOrderNo, @failureCode, @failureMessage, @createdAt, @expiresAt, @createdAt)`,
  );
  const selectKey = db.prepare<[string], IdempotencyRow>(
    'SELECT * FROM idempotency_keys WHERE key = ?',
  );
  const insertKey = db.prepare(
    `INSERT INTO idempotency_keys (key, request_hash, order_id, created_at)
     VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
  );
  const insertToken = db.prepare(
    `INSERT INTO checkout_tokens (token_id, order_id, used_at, expires_at)
     VALUES (?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING`,
  );
  const selectToken = db.prepare<[string], { token_id: string }>(
    'SELECT token_id FROM checkout_tokens WHERE token_id = ?',
  );
  const transitions = new Map(
    ORDER_STATUSES.filter((to) => ALLOWED_FROM[to].length > 0).map((to) => [
      to,
      db.prepare<TransitionParams, OrderRow>(
        `UPDATE orders SET status = @to, updated_at = @at,
           paid_at = COALESCE(paid_at, @paidAt),
           gateway_order_no = COALESCE(gateway_order_no, @gatewayOrderNo),
           refunded_amount = COALESCE(@refundedAmount, refunded_amount),
           failure_code = COALESCE(@failureCode, failure_code),
           failure_message = COALESCE(@failureMessage, failure_message)
         WHERE order_id = @orderId AND status IN (${ALLOWED_FROM[to].map((s) => `'${s}'`).join(', ')})
         RETURNING *`,
      ),
    ]),
  );
  const expireOrder = db.prepare<[number, string, number], OrderRow>(
    `UPDATE orders SET status = 'expired', updated_at = ?
     WHERE order_id = ? AND status = 'pending' AND expires_at <= ? RETURNING *`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO outbox (event_id, type, order_id, payload, created_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertNotification = db.prepare(
    `INSERT INTO notifications (order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectNotifications = db.prepare<[], NotificationRow>(
    'SELECT * FROM notifications ORDER BY id',
  );
  const selectOrderNotifications = db.prepare<[string], NotificationRow>(
    'SELECT * FROM notifications WHERE order_id = ? ORDER BY id',
  );
  const ping = db.prepare('SELECT 1');

  const insertOrderTx = db.transaction((input: InsertOrderInput): InsertOrderResult => {
    const { order } = input;
    if (input.idempotency) {
      const { key, requestHash } = input.idempotency;
      if (insertKey.run(key, requestHash, order.orderId, order.createdAt).changes === 0) {
        return { ok: false, conflict: 'idempotency_key', existing: toKey(selectKey.get(key)!) };
      }
    }
    if (input.checkoutToken) {
      const { id, expiresAt } = input.checkoutToken;
      if (insertToken.run(id, order.orderId, order.createdAt, expiresAt).changes === 0) {
        // Undo the key claimed above: the request failed as a whole.
        throw new TokenUsed();
      }
    }
    insertOrder.run(order);
    return { ok: true };
  });

  function transitionNow(orderId: string, input: TransitionInput): TransitionResult {
    const statement = transitions.get(input.to);
    if (!statement) throw new Error(`no transition leads to ${input.to}`);
    const row = statement.get({
      orderId,
      to: input.to,
      at: input.at,
      paidAt: input.paidAt ?? (input.to === 'paid' ? input.at : null),
      gatewayOrderNo: input.gatewayOrderNo ?? null,
      refundedAmount: input.refundedAmount ?? null,
      failureCode: input.failureCode ?? null,
      failureMessage: input.failureMessage ?? null,
    });
    if (row) {
      if (input.event) {
        const { eventId, type, payload } = input.event;
        insertEvent.run(eventId, type, orderId, payload, input.at, input.at);
      }
      return { applied: true, order: toOrder(row) };
    }
    const current = selectOrder.get(orderId);
    return { applied: false, order: current ? toOrder(current) : undefined };
  }

  const transitionTx = db.transaction(transitionNow);

  const notificationTx = db.transaction((input: NotificationInput): NotificationResult => {
    let result: TransitionResult = { applied: false, order: undefined };
    let outcome: NotificationOutcome = input.outcome;
    if (input.transition) {
      result = transitionNow(input.transition.orderId, input.transition.input);
      outcome = notificationOutcome(result.applied, result.order, input.transition.input.to);
    }
    const info = insertNotification.run(
      input.orderId,
      input.dedupeKey,
      input.rawBody,
      input.verified ? 1 : 0,
      outcome,
      input.reason,
      input.receivedAt,
    );
    return { ...result, id: Number(info.lastInsertRowid), outcome };
  });

  return {
    engine: 'sqlite',
    db,
    insertOrder(input) {
      try {
        return Promise.resolve(insertOrderTx(input));
      } catch (error) {
        if (error instanceof TokenUsed)
          return Promise.resolve({ ok: false, conflict: 'token_used' });
        return Promise.reject(toError(error));
      }
    },
    getOrder(orderId) {
      return attempt(() => {
        const row = selectOrder.get(orderId);
        return row ? toOrder(row) : undefined;
      });
    },
    getIdempotencyKey(key) {
      return attempt(() => {
        const row = selectKey.get(key);
        return row ? toKey(row) : undefined;
      });
    },
    isCheckoutTokenUsed(tokenId) {
      return attempt(() => selectToken.get(tokenId) !== undefined);
    },
    transition(orderId, input) {
      return attempt(() => transitionTx(orderId, input));
    },
    expire(orderId, now) {
      return attempt(() => {
        const row = expireOrder.get(now, orderId, now);
        if (row) return { applied: true, order: toOrder(row) };
        const current = selectOrder.get(orderId);
        return { applied: false, order: current ? toOrder(current) : undefined };
      });
    },
    recordNotification(input) {
      return attempt(() => notificationTx(input));
    },
    listNotifications(orderId) {
      return attempt(() =>
        (orderId === undefined
          ? selectNotifications.all()
          : selectOrderNotifications.all(orderId)
        ).map(toNotification),
      );
    },
    ping() {
      return attempt(() => {
        ping.get();
      });
    },
    close() {
      return attempt(() => {
        if (db.open) db.close();
      });
    },
  };
}

interface TransitionParams {
  orderId: string;
  to: OrderStatus;
  at: number;
  paidAt: number | null;
  gatewayOrderNo: string | null;
  refundedAmount: number | null;
  failureCode: string | null;
  failureMessage: string | null;
}

class TokenUsed extends Error {}

function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(toError(error));
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Applies every migration newer than the database, each in its own immediate transaction. */
function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = db.prepare<[number], { version: number }>(
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of MIGRATIONS) {
    db.transaction(() => {
      if (applied.get(migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}

function toOrder(row: OrderRow): Order {
  return {
    orderId: row.order_id,
    itemId: row.item_id,
    title: row.title,
    amount: row.amount,
    currency: row.currency,
    wallet: row.wallet as Wallet,
    quantity: row.quantity,
    reference: row.reference,
    status: row.status as OrderStatus,
    gatewayOrderNo: row.gateway_order_no,
    payUrl: row.pay_url,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
    refundedAmount: row.refunded_amount,
    updatedAt: row.updated_at,
  };
}

function toKey(row: IdempotencyRow): IdempotencyRecord {
  return {
    key: row.key,
    requestHash: row.request_hash,
    orderId: row.order_id,
    createdAt: row.created_at,
  };
}

function toNotification(row: NotificationRow): StoredNotification {
  return {
    id: row.id,
    orderId: row.order_id,
    dedupeKey: row.dedupe_key,
    rawBody: row.raw_body,
    verified: row.verified === 1,
    outcome: row.outcome as NotificationOutcome,
    reason: row.reason,
    receivedAt: row.received_at,
  };
}
