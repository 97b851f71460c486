import { ScanForPayError } from '@scanforpay/protocol';
import { orderEvent } from '../events/merchant-event.js';
import type { ProxyRuntime } from '../proxy-runtime.js';
import type { Order } from './order.js';
import { reportMismatch, reportTransition } from './payment-result.js';

/** A claimed check holds its order this long: another sweeper takes it only after a crash. */
export const CHECK_LEASE_MS = 60_000;
/** After an order's expiry the gateway is asked once more this much later; then it expires. */
export const EXPIRY_GRACE_MS = 5 * 60_000;
/** A report that contradicts the stored order is looked at again only this often (it is logged). */
const MISMATCH_RECHECK_MS = 60 * 60_000;

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

/**
 * One reconciliation pass: pending orders whose check is due (a minute after creation, then
 * with backoff) are queried with payQuery. A final answer is applied like a notification (with
 * its event); an unpaid order past its expiry and grace is expired; anything else waits for
 * the next check. So a notification lost on the way never leaves a paid order pending.
 */
export async function reconcileDue(runtime: ProxyRuntime, limit = 20): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, settled: 0, expired: 0, rescheduled: 0 };
  const orders = await runtime.store.claimChecks({
    now: runtime.clock(),
    limit,
    leaseMs: CHECK_LEASE_MS,
  });
  const queue = [...orders];
  const worker = async () => {
    for (let order = queue.shift(); order; order = queue.shift()) {
      const outcome = await check(runtime, order);
      report.checked += 1;
      report[outcome] += 1;
      runtime.logger.info('reconciled', { orderId: order.orderId, checks: order.checks, outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
  return report;
}

async function check(
  runtime: ProxyRuntime,
  order: Order,
): Promise<'settled' | 'expired' | 'rescheduled'> {
  const { store } = runtime;
  /** Whether the gateway answered that the order is not paid (or does not exist there). */
  let unpaid: boolean;
  try {
    const answer = await runtime.client.queryPayment({ partnerOrderNo: order.orderId });
    const mismatch = reportMismatch(order, answer);
    if (mismatch) {
      runtime.logger.warn('payQuery does not match the order', {
        orderId: order.orderId,
        mismatch,
      });
      await store.scheduleCheck(order.orderId, runtime.clock() + MISMATCH_RECHECK_MS);
      return 'rescheduled';
    }
    const transition = reportTransition(order, answer, runtime.clock());
    if (transition) {
      const result = await store.transition(order.orderId, transition);
      if (result.applied) runtime.changed();
      return 'settled';
    }
    unpaid = answer.status === 0;
  } catch (error) {
    // A refusal (code ≠ 1, e.g. unknown order) is an answer; a transport or signature failure is not.
    unpaid = error instanceof ScanForPayError;
    if (!unpaid) {
      runtime.logger.warn('payQuery failed', {
        orderId: order.orderId,
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
      });
    }
  }
  const now = runtime.clock();
  const finalCheckAt = order.expiresAt + EXPIRY_GRACE_MS;
  if (unpaid && now >= finalCheckAt) {
    const expired = await store.expire(
      order.orderId,
      now,
      orderEvent({ ...order, status: 'expired', updatedAt: now }, now),
    );
    if (expired.applied) runtime.changed();
    return expired.order?.status === 'expired' ? 'expired' : 'settled';
  }
  const next = now + nextCheckDelay(order.checks);
  await store.scheduleCheck(order.orderId, unpaid ? Math.min(next, finalCheckAt) : next);
  return 'rescheduled';
}
