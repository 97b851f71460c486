import { randomHex, type Wallet } from '@scanforpay/protocol';
import { ALLOWED_FROM, type Order, type OrderStatus } from '../../domain/order.js';
import type {
  ClaimedEvent,
  EndpointState,
  IdempotencyRecord,
  NotificationOutcome,
  OrderStore,
  OutboxEvent,
  OutboxRecord,
  RefundRecord,
  RefundStatus,
  StoredNotification,
  TransitionInput,
  TransitionResult,
} from '../order-store.js';
import {
  toNumber,
  toNumberOrNull,
  type SqlDriver,
  type SqlRow,
  type SqlStatement,
  type SqlValue,
} from './sql-driver.js';

/** Default delay before a pending order's first payQuery check. */
export const FIRST_CHECK_AFTER_MS = 60_000;

/**
 * The order store on any SQL engine with a `SqlDriver`: SQLite, Postgres, D1. Each method is
 * one atomic unit of statements whose conditions are in the SQL (`INSERT … SELECT … WHERE`,
 * compare-and-set `UPDATE`s stamped with a fresh transition id), so the outcome never depends
 * on a read made in an earlier round trip: safe with several processes on one database.
 */
export function createSqlStore(driver: SqlDriver): OrderStore {
  const skipLocked = driver.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  const run = (statements: SqlStatement[]) => driver.run(statements);
  const one = async (sql: string, params: SqlValue[] = []) => (await run([{ sql, params }]))[0]!;
  const selectOrder = (orderId: string): SqlStatement => ({
    sql: 'SELECT * FROM orders WHERE order_id = ?',
    params: [orderId],
  });

  /** The statements of a compare-and-set transition, its event, and the order read back. */
  function transitionStatements(
    orderId: string,
    input: TransitionInput,
    transitionId: string,
    extra?: { where: string; params: SqlValue[] },
  ): SqlStatement[] {
    const from = ALLOWED_FROM[input.to];
    if (from.length === 0) throw new Error(`no transition leads to ${input.to}`);
    const where = [`order_id = ?`, `status IN (${from.map((s) => `'${s}'`).join(', ')})`];
    const whereParams: SqlValue[] = [orderId];
    if (input.expectRefundedAmount !== undefined) {
      where.push('refunded_amount = ?');
      whereParams.push(input.expectRefundedAmount);
    }
    if (extra) {
      where.push(extra.where);
      whereParams.push(...extra.params);
    }
    const statements: SqlStatement[] = [
      {
        sql: `UPDATE orders SET status = ?, updated_at = ?, transition_id = ?,
                paid_at = COALESCE(paid_at, ?),
                gateway_order_no = COALESCE(gateway_order_no, ?),
                refunded_amount = COALESCE(?, refunded_amount),
                failure_code = COALESCE(?, failure_code),
                failure_message = COALESCE(?, failure_message)
              WHERE ${where.join(' AND ')}`,
        params: [
          input.to,
          input.at,
          transitionId,
          input.paidAt ?? (input.to === 'paid' ? input.at : null),
          input.gatewayOrderNo ?? null,
          input.refundedAmount ?? null,
          input.failureCode ?? null,
          input.failureMessage ?? null,
          ...whereParams,
        ],
      },
    ];
    if (input.event) statements.push(eventStatement(orderId, input.event, input.at, transitionId));
    statements.push(selectOrder(orderId));
    return statements;
  }

  function transitionResult(rows: SqlRow[], transitionId: string): TransitionResult {
    const row = rows[0];
    return {
      applied: row !== undefined && row.transition_id === transitionId,
      order: row ? toOrder(row) : undefined,
    };
  }

  async function transition(
    orderId: string,
    input: TransitionInput,
    extra?: { where: string; params: SqlValue[] },
  ): Promise<TransitionResult> {
    const id = input.event?.eventId ?? newId();
    const results = await run(transitionStatements(orderId, input, id, extra));
    return transitionResult(results.at(-1)!, id);
  }

  return {
    engine: driver.engine,

    async insertOrder(input) {
      const { order } = input;
      const statements: SqlStatement[] = [];
      const conditions: string[] = [];
      const conditionParams: SqlValue[] = [];
      if (input.idempotency) {
        const { key, requestHash } = input.idempotency;
        statements.push({
          sql: `INSERT INTO idempotency_keys (key, request_hash, order_id, created_at)
                VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
          params: [key, requestHash, order.orderId, order.createdAt],
        });
        conditions.push('EXISTS (SELECT 1 FROM idempotency_keys WHERE key = ? AND order_id = ?)');
        conditionParams.push(key, order.orderId);
      }
      if (input.checkoutToken) {
        const { id, expiresAt } = input.checkoutToken;
        statements.push({
          sql: `INSERT INTO checkout_tokens (token_id, order_id, used_at, expires_at)
                SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
                WHERE ${conditions.length ? conditions.join(' AND ') : '1 = 1'}
                ON CONFLICT (token_id) DO NOTHING`,
          params: [id, order.orderId, order.createdAt, expiresAt, ...conditionParams],
        });
        conditions.push(
          'EXISTS (SELECT 1 FROM checkout_tokens WHERE token_id = ? AND order_id = ?)',
        );
        conditionParams.push(id, order.orderId);
      }
      const nextCheckAt =
        order.status === 'pending'
          ? (input.nextCheckAt ?? order.createdAt + FIRST_CHECK_AFTER_MS)
          : null;
      statements.push({
        sql: `INSERT INTO orders (order_id, item_id, title, amount, currency, wallet, quantity,
                reference, status, pay_url, gateway_order_no, failure_code, failure_message,
                created_at, expires_at, updated_at, next_check_at)
              SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT),
                CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT),
                CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
                CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)
              ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`,
        params: [
          order.orderId,
          order.itemId,
          order.title,
          order.amount,
          order.currency,
          order.wallet,
          order.quantity,
          order.reference,
          order.status,
          order.payUrl,
          order.gatewayOrderNo,
          order.failureCode,
          order.failureMessage,
          order.createdAt,
          order.expiresAt,
          order.createdAt,
          nextCheckAt,
          ...conditionParams,
        ],
      });
      if (conditions.length === 0) {
        await run(statements);
        return { ok: true };
      }
      if (input.idempotency) {
        // A key claimed for an order that lost its token is released in the same unit.
        statements.push({
          sql: `DELETE FROM idempotency_keys WHERE key = ? AND order_id = ?
                AND NOT EXISTS (SELECT 1 FROM orders WHERE order_id = ?)`,
          params: [input.idempotency.key, order.orderId, order.orderId],
        });
      }
      statements.push({
        sql: 'SELECT order_id FROM orders WHERE order_id = ?',
        params: [order.orderId],
      });
      if (input.idempotency) {
        statements.push({
          sql: 'SELECT * FROM idempotency_keys WHERE key = ?',
          params: [input.idempotency.key],
        });
      }
      const results = await run(statements);
      if (input.idempotency) {
        const [inserted, key] = results.slice(-2) as [SqlRow[], SqlRow[]];
        if (inserted.length > 0) return { ok: true };
        const existing = key[0];
        if (existing && existing.order_id !== order.orderId) {
          return { ok: false, conflict: 'idempotency_key', existing: toKey(existing) };
        }
        return { ok: false, conflict: 'token_used' };
      }
      return results.at(-1)!.length > 0 ? { ok: true } : { ok: false, conflict: 'token_used' };
    },

    async recordCreation(orderId, outcome) {
      const id = newId();
      if ('payUrl' in outcome) {
        const results = await run([
          {
            sql: `UPDATE orders SET pay_url = ?, gateway_order_no = COALESCE(gateway_order_no, ?),
                    updated_at = ?, transition_id = ?
                  WHERE order_id = ? AND status = 'pending' AND pay_url IS NULL`,
            params: [outcome.payUrl, outcome.gatewayOrderNo, outcome.at, id, orderId],
          },
          selectOrder(orderId),
        ]);
        return transitionResult(results.at(-1)!, id);
      }
      const statements = transitionStatements(
        orderId,
        {
          to: 'failed',
          at: outcome.at,
          failureCode: outcome.failure.code,
          failureMessage: outcome.failure.message,
        },
        id,
        { where: 'pay_url IS NULL', params: [] },
      );
      if (outcome.checkoutTokenId !== undefined) {
        // A refused order gives its checkout token back (only when this call failed it).
        statements.splice(-1, 0, {
          sql: `DELETE FROM checkout_tokens WHERE token_id = ? AND order_id = ?
                AND EXISTS (SELECT 1 FROM orders WHERE order_id = ? AND transition_id = ?)`,
          params: [outcome.checkoutTokenId, orderId, orderId, id],
        });
      }
      const results = await run(statements);
      return transitionResult(results.at(-1)!, id);
    },

    async getOrder(orderId) {
      const row = (await run([selectOrder(orderId)]))[0]![0];
      return row ? toOrder(row) : undefined;
    },

    async getIdempotencyKey(key) {
      const row = (await one('SELECT * FROM idempotency_keys WHERE key = ?', [key]))[0];
      return row ? toKey(row) : undefined;
    },

    async isCheckoutTokenUsed(tokenId) {
      const rows = await one('SELECT token_id FROM checkout_tokens WHERE token_id = ?', [tokenId]);
      return rows.length > 0;
    },

    transition: (orderId, input) => transition(orderId, input),

    expire: (orderId, now, event) =>
      transition(
        orderId,
        { to: 'expired', at: now, ...(event ? { event } : {}) },
        {
          where: 'expires_at <= ?',
          params: [now],
        },
      ),

    async recordNotification(input) {
      const statements: SqlStatement[] = [];
      const values: SqlValue[] = [
        input.orderId,
        input.dedupeKey,
        input.rawBody,
        input.verified ? 1 : 0,
      ];
      let id: string | undefined;
      if (input.transition) {
        const { orderId, input: change } = input.transition;
        id = change.event?.eventId ?? newId();
        statements.push(...transitionStatements(orderId, change, id));
        statements.push({
          sql: `INSERT INTO notifications (order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
                SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER),
                  CASE
                    WHEN EXISTS (SELECT 1 FROM orders WHERE order_id = ? AND transition_id = ?) THEN 'applied'
                    WHEN NOT EXISTS (SELECT 1 FROM orders WHERE order_id = ?) THEN 'unknown_order'
                    WHEN EXISTS (SELECT 1 FROM orders WHERE order_id = ? AND status = ?) THEN 'duplicate'
                    ELSE 'ignored'
                  END,
                  CAST(? AS TEXT), CAST(? AS BIGINT)
                RETURNING id, outcome`,
          params: [
            ...values,
            orderId,
            id,
            orderId,
            orderId,
            change.to,
            input.reason,
            input.receivedAt,
          ],
        });
      } else {
        statements.push({
          sql: `INSERT INTO notifications (order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id, outcome`,
          params: [...values, input.outcome, input.reason, input.receivedAt],
        });
      }
      const results = await run(statements);
      const inserted = results.at(-1)![0]!;
      const result =
        id === undefined
          ? { applied: false, order: undefined }
          : transitionResult(results.at(-2)!, id);
      return {
        ...result,
        id: toNumber(inserted.id),
        outcome: inserted.outcome as NotificationOutcome,
      };
    },

    async recordRejectedNotification(input) {
      // Rejected rows are the ones with neither order nor dedupe key (a verified notification
      // always has one): found through the order_id index, and both columns come before the
      // body, so SQLite never reads a kept body's overflow pages to decide.
      const rejected = 'order_id IS NULL AND dedupe_key IS NULL';
      const [inserted, pruned] = await run([
        {
          sql: `INSERT INTO notifications (order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
                VALUES (NULL, NULL, ?, 0, 'rejected', ?, ?) RETURNING id`,
          params: [input.rawBody, input.reason, input.receivedAt],
        },
        {
          sql: `DELETE FROM notifications WHERE ${rejected} AND id <= (
                  SELECT id FROM notifications WHERE ${rejected} ORDER BY id DESC LIMIT 1 OFFSET ?)
                RETURNING id`,
          params: [input.keep],
        },
      ]);
      return { id: toNumber(inserted![0]!.id), pruned: pruned!.length };
    },

    async listNotifications(orderId) {
      const rows =
        orderId === undefined
          ? await one('SELECT * FROM notifications ORDER BY id')
          : await one('SELECT * FROM notifications WHERE order_id = ? ORDER BY id', [orderId]);
      return rows.map(toNotification);
    },

    async ping() {
      await one('SELECT 1 AS ok');
    },

    close: () => driver.close(),

    async listOrders(query) {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (query.status !== undefined) {
        where.push('status = ?');
        params.push(query.status);
      }
      if (query.before !== undefined) {
        where.push('order_id < ?');
        params.push(query.before);
      }
      const rows = await one(
        `SELECT * FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY order_id DESC LIMIT ?`,
        [...params, query.limit],
      );
      return rows.map(toOrder);
    },

    async claimEvents({ now, limit, leaseMs }) {
      const claim = newId();
      const due = 'delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= ?';
      const rows = await one(
        `WITH picked AS MATERIALIZED (
           SELECT event_id FROM outbox WHERE ${due} ORDER BY next_attempt_at LIMIT ?${skipLocked})
         UPDATE outbox SET next_attempt_at = ?, claim_id = ?, attempts = attempts + 1
         WHERE event_id IN (SELECT event_id FROM picked) AND ${due}
         RETURNING *`,
        [now, limit, now + leaseMs, claim, now],
      );
      return rows
        .map((row): ClaimedEvent => ({ ...toEvent(row), claim }))
        .sort((a, b) => a.createdAt - b.createdAt);
    },

    async settleEvent(eventId, claim, settlement) {
      const held =
        'WHERE event_id = ? AND claim_id = ? AND delivered_at IS NULL RETURNING event_id';
      let statement: SqlStatement;
      switch (settlement.outcome) {
        case 'delivered':
          statement = {
            sql: `UPDATE outbox SET delivered_at = ?, claim_id = NULL, last_error = NULL ${held}`,
            params: [settlement.at, eventId, claim],
          };
          break;
        case 'retry':
          statement = {
            sql: `UPDATE outbox SET next_attempt_at = ?, last_error = ?, claim_id = NULL ${held}`,
            params: [settlement.nextAttemptAt, settlement.error, eventId, claim],
          };
          break;
        case 'given_up':
          statement = {
            sql: `UPDATE outbox SET given_up_at = ?, last_error = ?, claim_id = NULL ${held}`,
            params: [settlement.at, settlement.error, eventId, claim],
          };
          break;
        case 'released':
          statement = {
            sql: `UPDATE outbox SET next_attempt_at = ?, attempts = attempts - 1, claim_id = NULL ${held}`,
            params: [settlement.nextAttemptAt, eventId, claim],
          };
          break;
      }
      return (await run([statement]))[0]!.length > 0;
    },

    async listEvents(orderId) {
      const rows =
        orderId === undefined
          ? await one('SELECT * FROM outbox ORDER BY id DESC LIMIT 1000')
          : await one('SELECT * FROM outbox WHERE order_id = ? ORDER BY id', [orderId]);
      return rows.map(toEvent);
    },

    async retryEventsNow(now) {
      const rows = await one(
        `UPDATE outbox SET next_attempt_at = ?
         WHERE delivered_at IS NULL AND given_up_at IS NULL AND claim_id IS NULL
           AND next_attempt_at > ?
         RETURNING event_id`,
        [now, now],
      );
      return rows.length;
    },

    async getEndpoint(url) {
      const row = (await one('SELECT * FROM webhook_endpoints WHERE url = ?', [url]))[0];
      return row ? toEndpoint(row) : undefined;
    },

    async setEndpoint(url, disabled) {
      await one(
        `INSERT INTO webhook_endpoints (url, disabled_at, reason) VALUES (?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET disabled_at = excluded.disabled_at, reason = excluded.reason`,
        [url, disabled?.at ?? null, disabled?.reason ?? null],
      );
    },

    async claimChecks({ now, limit, leaseMs }) {
      const due = `status = 'pending' AND next_check_at <= ?`;
      const rows = await one(
        `WITH picked AS MATERIALIZED (
           SELECT order_id FROM orders WHERE ${due} ORDER BY next_check_at LIMIT ?${skipLocked})
         UPDATE orders SET next_check_at = ?, checks = checks + 1
         WHERE order_id IN (SELECT order_id FROM picked) AND ${due}
         RETURNING *`,
        [now, limit, now + leaseMs, now],
      );
      return rows.map(toOrder);
    },

    async scheduleCheck(orderId, nextCheckAt) {
      await one(`UPDATE orders SET next_check_at = ? WHERE order_id = ? AND status = 'pending'`, [
        nextCheckAt,
        orderId,
      ]);
    },

    async reserveRefund(input) {
      const requestId = newId();
      const results = await run([
        // Takes the order's row lock first (Postgres), so reservations of one order queue up.
        {
          sql: 'UPDATE orders SET updated_at = updated_at WHERE order_id = ?',
          params: [input.orderId],
        },
        {
          sql: `INSERT INTO refunds (refund_no, order_id, amount, status, refunded_before, reason,
                  request_id, created_at, updated_at)
                SELECT CAST(? AS TEXT), order_id, CAST(? AS BIGINT), 'pending', refunded_amount,
                  CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
                FROM orders
                WHERE order_id = ? AND status IN ('paid', 'partially_refunded')
                  AND amount - refunded_amount >= ?
                  AND NOT EXISTS (SELECT 1 FROM refunds WHERE order_id = ? AND status = 'pending')
                ON CONFLICT (refund_no) DO NOTHING`,
          params: [
            input.refundNo,
            input.amount,
            input.reason,
            requestId,
            input.at,
            input.at,
            input.orderId,
            input.amount,
            input.orderId,
          ],
        },
        { sql: 'SELECT * FROM refunds WHERE refund_no = ?', params: [input.refundNo] },
        selectOrder(input.orderId),
        {
          sql: `SELECT refund_no FROM refunds WHERE order_id = ? AND status = 'pending'`,
          params: [input.orderId],
        },
      ]);
      const refundRow = results[2]![0];
      const orderRow = results[3]![0];
      const order = orderRow ? toOrder(orderRow) : undefined;
      if (refundRow) {
        const refund = toRefund(refundRow);
        if (refundRow.request_id === requestId && order) return { ok: true, refund, order };
        const owner = refund.orderId === input.orderId ? order : undefined;
        return { ok: false, conflict: 'exists', refund, order: owner };
      }
      if (!order) return { ok: false, conflict: 'unknown_order' };
      if (order.status !== 'paid' && order.status !== 'partially_refunded') {
        return { ok: false, conflict: 'not_refundable', order };
      }
      if (results[4]!.length > 0) return { ok: false, conflict: 'in_flight', order };
      return { ok: false, conflict: 'exceeds', order };
    },

    async settleRefund(input) {
      const selectRefund: SqlStatement = {
        sql: 'SELECT * FROM refunds WHERE refund_no = ?',
        params: [input.refundNo],
      };
      const refundRow = (await run([selectRefund]))[0]![0];
      if (!refundRow) return { refund: undefined, order: undefined, applied: false };
      const orderId = String(refundRow.order_id);
      const pending = {
        where: `EXISTS (SELECT 1 FROM refunds WHERE refund_no = ? AND status = 'pending')`,
        params: [input.refundNo],
      };
      const statements: SqlStatement[] = [];
      let transitionId: string | undefined;
      if (input.success) {
        transitionId = input.success.event?.eventId ?? newId();
        statements.push(...transitionStatements(orderId, input.success, transitionId, pending));
        statements.push({
          sql: `UPDATE refunds SET status = 'succeeded', updated_at = ?
                WHERE refund_no = ? AND status = 'pending' RETURNING refund_no`,
          params: [input.at, input.refundNo],
        });
      } else {
        statements.push(selectOrder(orderId));
        statements.push({
          sql: `UPDATE refunds SET status = 'failed', updated_at = ?, failure_code = ?, failure_message = ?
                WHERE refund_no = ? AND status = 'pending' RETURNING refund_no`,
          params: [
            input.at,
            input.failure?.code ?? 'failed',
            input.failure?.message ?? null,
            input.refundNo,
          ],
        });
      }
      statements.push(selectRefund);
      const results = await run(statements);
      const orderRow = results.at(-3)![0];
      return {
        refund: toRefund(results.at(-1)![0]!),
        order: orderRow ? toOrder(orderRow) : undefined,
        applied: results.at(-2)!.length > 0,
      };
    },

    async listRefunds(orderId) {
      const rows = await one('SELECT * FROM refunds WHERE order_id = ? ORDER BY created_at', [
        orderId,
      ]);
      return rows.map(toRefund);
    },
  };
}

function eventStatement(
  orderId: string,
  event: OutboxEvent,
  at: number,
  transitionId: string,
): SqlStatement {
  return {
    sql: `INSERT INTO outbox (event_id, type, order_id, payload, created_at, next_attempt_at)
          SELECT CAST(? AS TEXT), CAST(? AS TEXT), order_id, CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
          FROM orders WHERE order_id = ? AND transition_id = ?`,
    params: [event.eventId, event.type, event.payload, at, at, orderId, transitionId],
  };
}

/** 128 random bits as hex: transition ids and claim ids. */
function newId(): string {
  return randomHex(16);
}

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export function toOrder(row: SqlRow): Order {
  return {
    orderId: String(row.order_id),
    itemId: String(row.item_id),
    title: String(row.title),
    amount: toNumber(row.amount),
    currency: String(row.currency),
    wallet: row.wallet as Wallet,
    quantity: toNumber(row.quantity),
    reference: text(row.reference),
    status: row.status as OrderStatus,
    gatewayOrderNo: text(row.gateway_order_no),
    payUrl: text(row.pay_url),
    failureCode: text(row.failure_code),
    failureMessage: text(row.failure_message),
    createdAt: toNumber(row.created_at),
    expiresAt: toNumber(row.expires_at),
    paidAt: toNumberOrNull(row.paid_at),
    refundedAmount: toNumber(row.refunded_amount),
    updatedAt: toNumber(row.updated_at),
    checks: toNumber(row.checks ?? 0),
    nextCheckAt: toNumberOrNull(row.next_check_at),
  };
}

function toKey(row: SqlRow): IdempotencyRecord {
  return {
    key: String(row.key),
    requestHash: String(row.request_hash),
    orderId: String(row.order_id),
    createdAt: toNumber(row.created_at),
  };
}

function toNotification(row: SqlRow): StoredNotification {
  return {
    id: toNumber(row.id),
    orderId: text(row.order_id),
    dedupeKey: text(row.dedupe_key),
    rawBody: String(row.raw_body),
    verified: toNumber(row.verified) === 1,
    outcome: row.outcome as NotificationOutcome,
    reason: text(row.reason),
    receivedAt: toNumber(row.received_at),
  };
}

function toEvent(row: SqlRow): OutboxRecord {
  return {
    eventId: String(row.event_id),
    type: String(row.type),
    orderId: text(row.order_id),
    payload: String(row.payload),
    createdAt: toNumber(row.created_at),
    attempts: toNumber(row.attempts),
    nextAttemptAt: toNumber(row.next_attempt_at),
    deliveredAt: toNumberOrNull(row.delivered_at),
    givenUpAt: toNumberOrNull(row.given_up_at),
    lastError: text(row.last_error),
  };
}

function toEndpoint(row: SqlRow): EndpointState {
  return {
    url: String(row.url),
    disabledAt: toNumberOrNull(row.disabled_at),
    reason: text(row.reason),
  };
}

function toRefund(row: SqlRow): RefundRecord {
  return {
    refundNo: String(row.refund_no),
    orderId: String(row.order_id),
    amount: toNumber(row.amount),
    status: row.status as RefundStatus,
    refundedBefore: toNumber(row.refunded_before),
    reason: text(row.reason),
    failureCode: text(row.failure_code),
    failureMessage: text(row.failure_message),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}
