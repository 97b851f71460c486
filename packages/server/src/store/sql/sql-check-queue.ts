import type { CheckQueue } from '../check-queue.js';
import { toOrder } from './row-mappers.js';
import type { SqlRunner } from './sql-runner.js';

/** Reconciliation checks on SQL: `orders.next_check_at` is the queue, claimed by lease. */
export function sqlCheckQueue(db: SqlRunner): CheckQueue {
  return {
    async claimChecks({ now, limit, leaseMs }) {
      const due = `status = 'pending' AND next_check_at <= ?`;
      const rows = await db.one(
        `WITH picked AS MATERIALIZED (
           SELECT order_id FROM orders WHERE ${due} ORDER BY next_check_at LIMIT ?${db.skipLocked})
         UPDATE orders SET next_check_at = ?, checks = checks + 1
         WHERE order_id IN (SELECT order_id FROM picked) AND ${due}
         RETURNING *`,
        [now, limit, now + leaseMs, now],
      );
      return rows.map(toOrder);
    },

    async scheduleCheck(orderId, nextCheckAt) {
      await db.one(
        `UPDATE orders SET next_check_at = ? WHERE order_id = ? AND status = 'pending'`,
        [nextCheckAt, orderId],
      );
    },

    async countCheckedPending() {
      const rows = await db.one(
        `SELECT COUNT(*) AS n FROM orders WHERE status = 'pending' AND checks > 0`,
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
