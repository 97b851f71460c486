import { randomHex, ScanForPayError, type ScanForPayClient } from '@scanforpay/protocol';
import { withEvent } from '../domain/merchant-event.js';
import type { Order } from '../domain/order.js';
import type { FaultHook } from '../fault-hook.js';
import type { Logger } from '../logging/create-logger.js';
import { ProblemError } from '../problem.js';
import {
  conflictProblem,
  describeUnknown,
  notRefundable,
  orderNotFound,
  refundFailed,
} from './refund-problems.js';
import type { OrderStore, RefundRecord } from '../store/order-store.js';
import type { ProxyMetrics } from '../telemetry/proxy-metrics.js';

/** `refundNo`: what the gateway accepts (32 characters), kept to URL- and shell-safe ones. */
export const REFUND_NO_SHAPE = /^[A-Za-z0-9_-]{1,32}$/;

/** The longest `reason` stored with a refund. */
export const MAX_REFUND_REASON = 200;

export interface RefundOrderDeps {
  store: Pick<OrderStore, 'getOrder' | 'listRefunds' | 'reserveRefund' | 'settleRefund'>;
  client: Pick<ScanForPayClient, 'refund'>;
  clock: () => number;
  logger: Logger;
  /** Replaces the proxy's secrets in gateway text shown to the admin. */
  redact: (text: string) => string;
  /** Testing only: awaited at `refund:reserved` and `refund:answered`. */
  faultHook?: FaultHook | undefined;
  /** Counts each refund request by outcome: `succeeded`, `replayed`, `pending` or its problem. */
  metrics?: Pick<ProxyMetrics, 'refund'> | undefined;
}

export interface RefundOrderInput {
  orderId: string;
  /** Minor units. Default: everything not yet refunded (or, for a known `refundNo`, its amount). */
  amount?: number;
  /** The refund's idempotency key at the gateway. Default: a new one. */
  refundNo?: string;
  reason?: string;
}

/** How a refund request ended, when it did not end in a problem. */
export type RefundOutcome =
  /** The gateway refunded it. `replayed`: it had already succeeded before this call. */
  | { outcome: 'succeeded'; refund: RefundRecord; order: Order; replayed: boolean }
  /** The gateway has not decided yet (status 0): ask again later with the same `refundNo`. */
  | { outcome: 'pending'; refund: RefundRecord };

/**
 * Refunds a paid order, in full or in part. The refund is reserved in the store first (no two
 * refunds of one order are in flight at once, and none exceeds what is left), then sent to the
 * gateway under its `refundNo`, then settled together with the order's status and its
 * merchant event. A repeated `refundNo` is a retry: it is answered from the store, or sent
 * again when its outcome was never learned (the gateway answers a repeated `refundNo` of the
 * same amount without refunding twice). When the outcome is unknown (timeout, unreadable
 * answer) the refund stays pending, never failed: the money may have moved.
 *
 * Errors are `ProblemError`s: `order_not_found`, `not_refundable`, `refund_too_large`,
 * `refund_in_flight`, `idempotency_conflict`, `gateway_error` (with the refund in the body).
 */
export async function refundOrder(
  deps: RefundOrderDeps,
  input: RefundOrderInput,
): Promise<RefundOutcome> {
  const { metrics } = deps;
  if (!metrics) return refundOnce(deps, input);
  try {
    const result = await refundOnce(deps, input);
    metrics.refund(result.outcome === 'succeeded' && result.replayed ? 'replayed' : result.outcome);
    return result;
  } catch (error) {
    metrics.refund(error instanceof ProblemError ? error.code : 'error');
    throw error;
  }
}

async function refundOnce(deps: RefundOrderDeps, input: RefundOrderInput): Promise<RefundOutcome> {
  const { store } = deps;
  checkInput(input);
  const order = await store.getOrder(input.orderId);
  if (!order) throw orderNotFound();
  const known =
    input.refundNo === undefined
      ? undefined
      : (await store.listRefunds(order.orderId)).find((r) => r.refundNo === input.refundNo);
  const amount = input.amount ?? known?.amount ?? order.amount - order.refundedAmount;
  if (amount < 1) throw notRefundable(order);

  const refundNo = input.refundNo ?? newRefundNo(deps.clock());
  const log = attemptLog(deps, order.orderId, refundNo, amount);
  const reserved = await store.reserveRefund({
    refundNo,
    orderId: order.orderId,
    amount,
    reason: input.reason ?? null,
    at: deps.clock(),
  });
  if (reserved.ok) return send(deps, reserved.refund, reserved.order, log);
  if (reserved.conflict !== 'exists') {
    log('rejected', { conflict: reserved.conflict });
    throw await conflictProblem(deps, reserved, amount);
  }

  const { refund } = reserved;
  if (!reserved.order || refund.orderId !== order.orderId || refund.amount !== amount) {
    log('rejected', { conflict: 'idempotency' });
    throw new ProblemError(
      'idempotency_conflict',
      `refundNo ${refund.refundNo} was already used for another refund`,
    );
  }
  if (refund.status === 'succeeded') {
    log('replayed');
    return { outcome: 'succeeded', refund, order: reserved.order, replayed: true };
  }
  if (refund.status === 'failed') {
    log('replayed_failure');
    throw refundFailed(deps.redact, refund);
  }
  // A pending refund was sent before, or may have been: its outcome is in doubt.
  return send(deps, refund, reserved.order, log, { inDoubt: true });
}

type AttemptLog = (outcome: string, fields?: Record<string, unknown>) => void;

/** One log line per refund attempt: which refund, and how it ended. */
function attemptLog(
  deps: RefundOrderDeps,
  orderId: string,
  refundNo: string,
  amount: number,
): AttemptLog {
  return (outcome, fields = {}) =>
    deps.logger.info('refund', { orderId, refundNo, amount, outcome, ...fields });
}

/** Asks the gateway for a reserved refund and settles what it answered. */
async function send(
  deps: RefundOrderDeps,
  refund: RefundRecord,
  order: Order,
  log: AttemptLog,
  { inDoubt = false } = {},
): Promise<RefundOutcome> {
  const { refundNo, amount } = refund;
  if (deps.faultHook) await deps.faultHook('refund:reserved');

  let answer: { status: number; code: number; msg: string };
  try {
    answer = await deps.client.refund({ partnerOrderNo: order.orderId, refundNo, amount });
  } catch (error) {
    if (error instanceof ScanForPayError && !inDoubt) {
      log('failed', { gatewayCode: error.code });
      return settleFailed(deps, refund, String(error.code), error.msg);
    }
    if (error instanceof ScanForPayError) {
      // A refusal of a retry does not prove that the earlier attempt failed: the money may have
      // moved then. The refund stays pending, the order's total unchanged, until a retry of the
      // same refundNo is answered with the refund's outcome.
      log('refused_retry', { gatewayCode: error.code });
      throw new ProblemError(
        'gateway_error',
        `the payment gateway refused this retry of refund ${refundNo} (code ${error.code}); ` +
          `an earlier attempt may have gone through, so it stays pending: retry it later with ` +
          `the same refundNo, or check it with ScanForPay`,
        { extra: { refund, gatewayCode: error.code }, cause: error },
      );
    }
    // Timeout, network, signature, an answer that does not parse: nobody knows whether the
    // gateway refunded. The refund stays pending and the same refundNo settles it later.
    log('unknown', { error: describeUnknown(error) });
    throw new ProblemError(
      'gateway_error',
      `refund ${refundNo}: ${describeUnknown(error)}, so it may or may not have gone through; ` +
        `it stays pending: retry it with the same refundNo`,
      { extra: { refund }, cause: error },
    );
  }

  if (deps.faultHook) await deps.faultHook('refund:answered');
  if (answer.status === 0) {
    log('pending');
    return { outcome: 'pending', refund };
  }
  if (answer.status !== 1) {
    log('failed', { gatewayStatus: answer.status });
    return settleFailed(deps, refund, `status_${answer.status}`, answer.msg);
  }

  const at = deps.clock();
  const total = refund.refundedBefore + amount;
  const settled = await deps.store.settleRefund({
    refundNo,
    at,
    success: withEvent(
      order,
      {
        to: total === order.amount ? 'refunded' : 'partially_refunded',
        at,
        refundedAmount: total,
        expectRefundedAmount: refund.refundedBefore,
      },
      { refundNo, amount },
    ),
  });
  if (!settled.applied && settled.refund?.status === 'pending') {
    // Only one refund of an order is in flight, so the refunded total cannot have moved.
    log('unrecorded');
    throw new ProblemError(
      'internal_error',
      `the gateway confirmed refund ${refundNo} but the order could not be updated: retry it with the same refundNo`,
      { extra: { refund } },
    );
  }
  log('succeeded');
  return settledOutcome(deps, settled.refund ?? refund, settled.order ?? order, !settled.applied);
}

async function settleFailed(
  deps: RefundOrderDeps,
  refund: RefundRecord,
  code: string,
  message: string,
): Promise<RefundOutcome> {
  const settled = await deps.store.settleRefund({
    refundNo: refund.refundNo,
    at: deps.clock(),
    failure: { code, message },
  });
  const stored = settled.refund ?? refund;
  // Another attempt of the same refundNo may have settled it first; its outcome stands.
  if (stored.status === 'succeeded' && settled.order) {
    return { outcome: 'succeeded', refund: stored, order: settled.order, replayed: true };
  }
  throw refundFailed(deps.redact, stored);
}

function settledOutcome(
  deps: RefundOrderDeps,
  refund: RefundRecord,
  order: Order,
  replayed: boolean,
): RefundOutcome {
  if (refund.status === 'failed') throw refundFailed(deps.redact, refund);
  return { outcome: 'succeeded', refund, order, replayed };
}

function checkInput(input: RefundOrderInput): void {
  const bad = (detail: string) => new ProblemError('invalid_request', detail);
  if (input.amount !== undefined && (!Number.isSafeInteger(input.amount) || input.amount < 1)) {
    throw bad('amount: a positive integer in minor units');
  }
  if (input.refundNo !== undefined && !REFUND_NO_SHAPE.test(input.refundNo)) {
    throw bad('refundNo: 1-32 of A-Z a-z 0-9 _ -');
  }
  if (input.reason !== undefined && input.reason.length > MAX_REFUND_REASON) {
    throw bad(`reason: at most ${MAX_REFUND_REASON} characters`);
  }
}

/** `r` + base-36 time + 64 random bits: 25 characters, sortable by time. */
function newRefundNo(now: number): string {
  return `r${now.toString(36)}${randomHex(8)}`;
}
