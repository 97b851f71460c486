import { FIRST_CHECK_AFTER_MS } from '../../domain/reconciliation.js';
import type { InsertOrderInput, InsertOrderResult } from '../order-records.js';
import { toKey } from './row-mappers.js';
import type { SqlRow, SqlStatement, SqlValue } from './sql-driver.js';
import type { SqlRunner } from './sql-runner.js';

/**
 * Writes an order with its idempotency key and checkout-token claim in one unit. Each insert
 * is conditioned in SQL on the claims before it, so a lost claim leaves nothing behind.
 */
export async function insertOrder(
  db: SqlRunner,
  input: InsertOrderInput,
): Promise<InsertOrderResult> {
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
    conditions.push('EXISTS (SELECT 1 FROM checkout_tokens WHERE token_id = ? AND order_id = ?)');
    conditionParams.push(id, order.orderId);
  }
  const nextCheckAt =
    order.status === 'pending'
      ? (input.nextCheckAt ?? order.createdAt + FIRST_CHECK_AFTER_MS)
      : null;
  statements.push({
    sql: `INSERT INTO orders (order_id, item_id, title, amount, currency, wallet, quantity,
            reference, status, pay_url, gateway_order_no, failure_code, failure_message,
            created_at, expires_at, updated_at, next_check_at, context, gateway_endpoint)
          SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT),
            CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT),
            CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
            CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),
            CAST(? AS TEXT), CAST(? AS TEXT)
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
      order.context ?? null,
      order.endpoint ?? 'online',
      ...conditionParams,
    ],
  });
  if (conditions.length === 0) {
    await db.run(statements);
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
  const results = await db.run(statements);
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
}
