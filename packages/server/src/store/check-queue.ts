import type { Order } from '../domain/order.js';

/** When each pending order is next asked about at the gateway (reconciliation). */
export interface CheckQueue {
  /**
   * Claims up to `limit` pending orders whose next check is due (`nextCheckAt <= now`; new
   * orders start at `createdAt + 60 s`): each one's next check moves to `now + leaseMs`, and
   * its check count goes up by one.
   */
  claimChecks(query: { now: number; limit: number; leaseMs: number }): Promise<Order[]>;
  /** When to query a still-pending order next. */
  scheduleCheck(orderId: string, nextCheckAt: number): Promise<void>;
  /**
   * Pending orders reconciliation has already asked the gateway about at least once (still
   * unpaid past their first check). One read of the pending-orders index, for the metrics gauge.
   */
  countCheckedPending(): Promise<number>;
}
