import type { Logger } from '../logging/create-logger.js';
import type { OrderStore } from '../store/order-store.js';
import { checkOrder, EXPIRY_GRACE_MS, type CheckOrderDeps } from './check-order.js';
import type { Order } from '../domain/order.js';
import type { ProxyMetrics } from '../telemetry/proxy-metrics.js';

export { EXPIRY_GRACE_MS } from './check-order.js';

/** A claimed check holds its order this long: another sweeper takes it only after a crash. */
export const CHECK_LEASE_MS = 60_000;
/** A report that contradicts the stored order is looked at again only this often (it is logged). */
const MISMATCH_RECHECK_MS = 60 * 60_000;
/** An order the gateway has given no word on a day past its expiry is asked hourly from then on. */
const UNSETTLED_AFTER_MS = 24 * 60 * 60_000;
const UNSETTLED_RECHECK_MS = 60 * 60_000;

/** 1, 2, 4, 8 minutes, then every 15 minutes: after `checks` payQuery checks. */
export function nextCheckDelay(checks: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, checks - 1), 15 * 60_000);
}

export interface ReconcileReport {
  /** Orders whose payQuery was made. */
  checked: number;
  /** Moved to paid, failed or refunded by the gateway's answer. */
  settled: number;
  /** Expired after the gateway confirmed no payment past the order's time. */
  expired: number;
  /** Still pending, checked again later. */
  rescheduled: number;
}

export interface ReconcileDeps extends CheckOrderDeps {
  store: CheckOrderDeps['store'] & Pick<OrderStore, 'claimChecks' | 'scheduleCheck'>;
  logger: Logger;
  /** An order changed and its event is in the outbox. */
  changed: () => void;
  /** Counts each check by outcome. */
  metrics?: Pick<ProxyMetrics, 'reconciled'> | undefined;
}

export interface ReconcileLimits {
  /** Checks at most this many orders in this pass (the rest stay due, oldest first). */
  maxChecks: number;
  /** payQuery calls in flight at once. */
  concurrency: number;
}

/**
 * One reconciliation pass: pending orders whose check is due (a minute after creation, then
 * with backoff) are claimed oldest-due first and queried with payQuery until none is due or
 * `maxChecks` is reached, so the rate follows the backlog up to the caller's bound. A final
 * answer is applied like a notification (with its event); an order the gateway says is unpaid
 * past its expiry and grace is expired; anything else — no answer included — waits for the next
 * check. So a notification lost on the way never leaves a paid order pending, and a gateway that
 * does not answer never expires one.
 */
export async function reconcileDue(
  deps: ReconcileDeps,
  limits: ReconcileLimits = { maxChecks: 20, concurrency: 4 },
): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, settled: 0, expired: 0, rescheduled: 0 };
  const batchSize = Math.max(1, limits.concurrency * 4);
  for (let left = limits.maxChecks; left > 0;) {
    const limit = Math.min(left, batchSize);
    const queue = await deps.store.claimChecks({
      now: deps.clock(),
      limit,
      leaseMs: CHECK_LEASE_MS,
    });
    left -= queue.length;
    const worker = async () => {
      for (let order = queue.shift(); order; order = queue.shift()) {
        const outcome = await reconcileOne(deps, order);
        report.checked += 1;
        report[outcome] += 1;
        deps.metrics?.reconciled(outcome);
        deps.logger.info('reconciled', { orderId: order.orderId, checks: order.checks, outcome });
      }
    };
    const claimed = queue.length;
    await Promise.all(Array.from({ length: Math.min(limits.concurrency, claimed) }, worker));
    if (claimed < limit) break;
  }
  return report;
}

async function reconcileOne(
  deps: ReconcileDeps,
  order: Order,
): Promise<'settled' | 'expired' | 'rescheduled'> {
  const result = await checkOrder(deps, order);
  const now = deps.clock();
  switch (result.outcome) {
    case 'settled':
      if (result.applied) deps.changed();
      return 'settled';
    case 'expired':
      if (result.applied) deps.changed();
      return result.order?.status === 'expired' ? 'expired' : 'settled';
    case 'mismatch':
      await deps.store.scheduleCheck(order.orderId, now + MISMATCH_RECHECK_MS);
      return 'rescheduled';
    case 'unpaid': {
      // The final check falls due at expiry plus grace, whatever the backoff says.
      const finalCheckAt = order.expiresAt + EXPIRY_GRACE_MS;
      const next = now + nextCheckDelay(order.checks);
      await deps.store.scheduleCheck(
        order.orderId,
        now < finalCheckAt ? Math.min(next, finalCheckAt) : next,
      );
      return 'rescheduled';
    }
    case 'unanswered': {
      const unsettled = now >= order.expiresAt + UNSETTLED_AFTER_MS;
      if (unsettled) {
        deps.logger.warn('order still unsettled a day past its expiry', {
          orderId: order.orderId,
          checks: order.checks,
          reason: result.reason,
        });
      }
      const delay = unsettled ? UNSETTLED_RECHECK_MS : nextCheckDelay(order.checks);
      await deps.store.scheduleCheck(order.orderId, now + delay);
      return 'rescheduled';
    }
  }
}
