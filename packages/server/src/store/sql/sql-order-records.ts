import type { OrderFilter, OrderRecords } from '../order-records.js';
import { insertOrder } from './insert-order.js';
import { newId } from './new-id.js';
import { toKey, toOrder } from './row-mappers.js';
import { toNumber, type SqlValue } from './sql-driver.js';
import type { SqlRunner } from './sql-runner.js';
import {
  returnedResult,
  runTransition,
  selectOrder,
  transitionResult,
  transitionStatements,
} from './transition-statements.js';

/** Orders, idempotency keys and checkout tokens on SQL. */
export function sqlOrderRecords(db: SqlRunner): OrderRecords {
  return {
    insertOrder: (input) => insertOrder(db, input),

    async recordCreation(orderId, outcome) {
      const id = newId();
      if ('payUrl' in outcome) {
        const [rows] = await db.run([
          {
            sql: `UPDATE orders SET pay_url = ?, gateway_order_no = COALESCE(gateway_order_no, ?),
                    updated_at = ?, transition_id = ?
                  WHERE order_id = ? AND status = 'pending' AND pay_url IS NULL
                  RETURNING *`,
            params: [outcome.payUrl, outcome.gatewayOrderNo, outcome.at, id, orderId],
          },
        ]);
        return returnedResult(db, orderId, rows!);
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
      const results = await db.run(statements);
      return transitionResult(results.at(-1)!, id);
    },

    async getOrder(orderId) {
      const row = (await db.run([selectOrder(orderId)]))[0]![0];
      return row ? toOrder(row) : undefined;
    },

    async getIdempotencyKey(key) {
      const row = (await db.one('SELECT * FROM idempotency_keys WHERE key = ?', [key]))[0];
      return row ? toKey(row) : undefined;
    },

    async isCheckoutTokenUsed(tokenId) {
      const rows = await db.one('SELECT token_id FROM checkout_tokens WHERE token_id = ?', [
        tokenId,
      ]);
      return rows.length > 0;
    },

    transition: (orderId, input) => runTransition(db, orderId, input),

    expire: (orderId, now, event) =>
      runTransition(
        db,
        orderId,
        { to: 'expired', at: now, ...(event ? { event } : {}) },
        { where: 'expires_at <= ?', params: [now] },
      ),

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
      const rows = await db.one(
        `SELECT * FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY order_id DESC LIMIT ?`,
        [...params, query.limit],
      );
      return rows.map(toOrder);
    },

    async searchOrders(filter, page) {
      const { where, params } = filterClause(filter, page.before);
      const rows = await db.one(
        `SELECT * FROM orders ${where} ORDER BY order_id DESC LIMIT ? OFFSET ?`,
        [...params, page.limit, page.offset ?? 0],
      );
      return rows.map(toOrder);
    },

    async orderTotals(filter) {
      const { where, params } = filterClause(filter);
      const rows = await db.one(
        `SELECT currency, COUNT(*) AS n, SUM(amount) AS amount, SUM(refunded_amount) AS refunded
         FROM orders ${where} GROUP BY currency ORDER BY currency`,
        params,
      );
      return rows.map((row) => ({
        currency: String(row.currency),
        count: toNumber(row.n),
        amount: toNumber(row.amount),
        refundedAmount: toNumber(row.refunded),
      }));
    },
  };
}

/** The WHERE of a filtered search; the text matches an id exactly, never as a pattern. */
function filterClause(filter: OrderFilter, before?: string): { where: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.status !== undefined) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.text !== undefined) {
    where.push('(order_id = ? OR reference = ? OR gateway_order_no = ?)');
    params.push(filter.text, filter.text, filter.text);
  }
  if (filter.from !== undefined) {
    where.push('created_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('created_at < ?');
    params.push(filter.to);
  }
  if (before !== undefined) {
    where.push('order_id < ?');
    params.push(before);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}
