import { ScanForPayError, type ScanForPayClient } from '@scanforpay/protocol';
import { orderEvent, withEvent } from '../domain/merchant-event.js';
import type { FaultHook } from '../fault-hook.js';
import type { Logger } from '../logging/create-logger.js';
import type { OrderStore } from '../store/order-store.js';
import type { Order } from '../domain/order.js';
import { settlePayment, type SettlePaymentDeps } from './settle-payment.js';

/**
 * After an order's expiry the gateway must still say "unpaid" this much later before the order
 * is expired: a payment made in the last seconds, or a clock a little apart, is not lost.
 */
export const EXPIRY_GRACE_MS = 5 * 60_000;

export interface CheckOrderDeps extends SettlePaymentDeps {
  store: SettlePaymentDeps['store'] & Pick<OrderStore, 'expire'>;
  /** The payQuery client: the patient one for reconciliation, the quick one for a waiting buyer. */
  client: Pick<ScanForPayClient, 'queryPayment'>;
  clock: () => number;
  logger: Logger;
  /** Testing only: awaited at `check:queried`. */
  faultHook?: FaultHook | undefined;
}

/** What one payQuery check of an order found and did. */
export type CheckResult =
  /** The gateway reported a final state (paid, failed, refunded); `applied` when it changed the order. */
  | { outcome: 'settled'; applied: boolean; order: Order | undefined }
  /** The gateway said unpaid past the expiry and its grace: the order is expired (or was already final). */
  | { outcome: 'expired'; applied: boolean; order: Order | undefined }
  /** The gateway said unpaid (status 0) before the final check is due. */
  | { outcome: 'unpaid' }
  /** A verified answer about another amount, currency or gateway order: logged, not applied. */
  | { outcome: 'mismatch'; reason: string }
  /** No word on the order: a refusal code, a transport or signature failure, a timeout. */
  | { outcome: 'unanswered'; reason: string };

/**
 * Asks the gateway about one order and applies what it says with {@link settlePayment}, once
 * (compare-and-set).
 *
 * The one rule for expiry lives here: **an order is expired only on the gateway's positive word
 * that it is unpaid** — a signed `code 1, status 0` answer — at or after `expiresAt` plus
 * {@link EXPIRY_GRACE_MS}. A refusal code, a timeout, a bad signature or silence is never that
 * word: such an order stays pending and is asked again later — except an order whose creation
 * never completed (no `payUrl` ever left the proxy), which a signed refusal past its time closes
 * as `failed` (`incomplete`).
 */
export async function checkOrder(deps: CheckOrderDeps, order: Order): Promise<CheckResult> {
  let answer;
  try {
    answer = await deps.client.queryPayment({ partnerOrderNo: order.orderId });
  } catch (error) {
    const reason =
      error instanceof ScanForPayError
        ? `code ${error.code}`
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : 'unknown';
    deps.logger.warn('payQuery failed', { orderId: order.orderId, error: reason });
    if (error instanceof ScanForPayError && neverHandedOut(order, deps.clock())) {
      return closeIncomplete(deps, order, reason);
    }
    return { outcome: 'unanswered', reason };
  }
  if (deps.faultHook) await deps.faultHook('check:queried');
  const now = deps.clock();
  const settled = await settlePayment(deps, order, answer, { via: 'payQuery', receivedAt: now });
  if (settled.outcome === 'mismatch') return settled;
  if (settled.outcome === 'settled') {
    return { outcome: 'settled', applied: settled.applied, order: settled.order };
  }
  if (answer.code !== 1 || answer.status !== 0) {
    return { outcome: 'unanswered', reason: `code ${answer.code}, status ${answer.status}` };
  }
  if (order.status !== 'pending' || now < order.expiresAt + EXPIRY_GRACE_MS) {
    return { outcome: 'unpaid' };
  }
  const result = await deps.store.expire(
    order.orderId,
    now,
    orderEvent({ ...order, status: 'expired', updatedAt: now }, now),
  );
  return { outcome: 'expired', ...result };
}

/**
 * Whether the order's creation never completed (the process stopped between writing the order
 * and recording the gateway's answer) and its time and grace are over. No `payUrl` of it ever
 * left the proxy, so no buyer can have paid it.
 */
function neverHandedOut(order: Order, now: number): boolean {
  return (
    order.status === 'pending' &&
    order.payUrl === null &&
    order.gatewayOrderNo === null &&
    now >= order.expiresAt + EXPIRY_GRACE_MS
  );
}

/**
 * Closes an order whose creation never completed once the gateway, in a signed answer, refuses
 * to report on it (it does not know the order): `failed` with code `incomplete`, with its event.
 * Were the gateway ever to report it paid, `failed → paid` still records the money.
 */
async function closeIncomplete(
  deps: CheckOrderDeps,
  order: Order,
  reason: string,
): Promise<CheckResult> {
  const now = deps.clock();
  const result = await deps.store.transition(
    order.orderId,
    withEvent(order, {
      to: 'failed',
      at: now,
      failureCode: 'incomplete',
      failureMessage: `the order's creation did not complete and the gateway does not report it (${reason})`,
    }),
  );
  return { outcome: 'settled', ...result };
}
