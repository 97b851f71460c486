import type { RefundLedger } from '../refund-ledger.js';
import { newId } from './new-id.js';
import { toOrder, toRefund } from './row-mappers.js';
import type { SqlStatement } from './sql-driver.js';
import type { SqlRunner } from './sql-runner.js';
import { selectOrder, transitionStatements } from './transition-statements.js';

/** Refunds on SQL: a reservation is an insert conditioned on the order, settled once. */
export function sqlRefundLedger(db: SqlRunner): RefundLedger {
  return {
    async reserveRefund(input) {
      const requestId = newId();
      const results = await db.run([
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
      const refundRow = (await db.run([selectRefund]))[0]![0];
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
      const results = await db.run(statements);
      const orderRow = results.at(-3)![0];
      return {
        refund: toRefund(results.at(-1)![0]!),
        order: orderRow ? toOrder(orderRow) : undefined,
        applied: results.at(-2)!.length > 0,
      };
    },

    async listRefunds(orderId) {
      const rows = await db.one('SELECT * FROM refunds WHERE order_id = ? ORDER BY created_at', [
        orderId,
      ]);
      return rows.map(toRefund);
    },
  };
}
