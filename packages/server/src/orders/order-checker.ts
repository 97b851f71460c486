import { createWindowCounter } from '../limits/window-counter.js';
import { checkOrder, type CheckOrderDeps, type CheckResult } from './check-order.js';
import type { Order } from '../domain/order.js';

export interface OrderCheckerOptions {
  deps: CheckOrderDeps;
  /** After a check of an order, another within this is skipped. Default 10 000 ms. */
  minIntervalMs?: number;
  /** Checks started per second across all orders; more are skipped. Default 10. */
  perSecond?: number;
  /** Orders remembered for `minIntervalMs`. Default 10 000. */
  maxOrders?: number;
}

export type CoalescedCheck = CheckResult | { outcome: 'skipped'; reason: 'recent' | 'budget' };

/** Checks asked for by anonymous requests (`/return`, result polls), coalesced and bounded. */
export interface OrderChecker {
  /**
   * Checks the order with payQuery, unless it was checked within the minimum interval or the
   * budget is spent (`skipped`). A check already in flight for the order is joined, not repeated.
   */
  check(order: Order): Promise<CoalescedCheck>;
}

interface Entry {
  at: number;
  running: Promise<CheckResult> | undefined;
}

/**
 * Bounds what anonymous traffic can make the proxy ask the gateway: at most one payQuery in
 * flight per order, one per order per `minIntervalMs`, and `perSecond` in all, in bounded memory.
 * Per process (or isolate): N processes allow N times the rate.
 */
export function createOrderChecker(options: OrderCheckerOptions): OrderChecker {
  const { deps, minIntervalMs = 10_000, maxOrders = 10_000 } = options;
  const budget = createWindowCounter({
    limit: options.perSecond ?? 10,
    windowMs: 1000,
    now: deps.clock,
  });
  const entries = new Map<string, Entry>();

  /** Forgets entries past their interval, oldest first; false when the table is still full. */
  function makeRoom(now: number): boolean {
    for (const [orderId, entry] of entries) {
      if (entries.size < maxOrders) break;
      if (entry.running || now - entry.at < minIntervalMs) break;
      entries.delete(orderId);
    }
    return entries.size < maxOrders;
  }

  return {
    check(order) {
      const now = deps.clock();
      const entry = entries.get(order.orderId);
      if (entry?.running) return entry.running;
      if (entry && now - entry.at < minIntervalMs && now >= entry.at) {
        return Promise.resolve({ outcome: 'skipped', reason: 'recent' });
      }
      if ((!entry && !makeRoom(now)) || budget.hit('*') > 0) {
        return Promise.resolve({ outcome: 'skipped', reason: 'budget' });
      }
      const running = checkOrder(deps, order).finally(() => {
        const current = entries.get(order.orderId);
        if (current?.running === running) current.running = undefined;
      });
      // Re-inserted so the table stays in the order of the last check (oldest first).
      entries.delete(order.orderId);
      entries.set(order.orderId, { at: now, running });
      return running;
    },
  };
}
