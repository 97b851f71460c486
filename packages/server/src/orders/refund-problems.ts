import { SignatureError, TransportError, ValidationError } from '@scanforpay/protocol';
import type { Order } from '../domain/order.js';
import { ProblemError } from '../problem.js';
import type { OrderStore, RefundRecord, ReserveRefundResult } from '../store/order-store.js';

/** The problem for a refund the store would not reserve. */
export async function conflictProblem(
  deps: { store: Pick<OrderStore, 'listRefunds'> },
  reserved: Exclude<ReserveRefundResult, { ok: true } | { conflict: 'exists' }>,
  amount: number,
): Promise<ProblemError> {
  if (reserved.conflict === 'unknown_order') return orderNotFound();
  const { order } = reserved;
  if (reserved.conflict === 'not_refundable') return notRefundable(order);
  if (reserved.conflict === 'exceeds') {
    const left = order.amount - order.refundedAmount;
    return new ProblemError(
      'refund_too_large',
      `a refund of ${amount} exceeds the ${left} left to refund on this order (minor units)`,
      { extra: { refundable: left } },
    );
  }
  const pending = (await deps.store.listRefunds(order.orderId)).find((r) => r.status === 'pending');
  return new ProblemError(
    'refund_in_flight',
    pending
      ? `refund ${pending.refundNo} of this order is still pending at the gateway: retry it with the same refundNo`
      : 'another refund of this order is in flight: try again shortly',
    pending ? { extra: { refundNo: pending.refundNo } } : {},
  );
}

/** The admin is told the gateway's own `msg`, with the proxy's secrets redacted from it. */
export function refundFailed(redact: (text: string) => string, stored: RefundRecord): ProblemError {
  const message = stored.failureMessage === null ? null : redact(stored.failureMessage);
  const refund = { ...stored, failureMessage: message };
  const code = refund.failureCode ?? 'failed';
  const numeric = /^-?\d+$/.test(code);
  return new ProblemError(
    'gateway_error',
    `the payment gateway refused refund ${refund.refundNo}: ${message ?? code}`,
    {
      extra: {
        refund,
        ...(numeric ? { gatewayCode: Number(code), gatewayMsg: message ?? '' } : {}),
      },
    },
  );
}

/** Why a refund's outcome is unknown, in words for the admin. */
export function describeUnknown(error: unknown): string {
  if (error instanceof TransportError) {
    if (error.timeout) return 'the gateway timed out';
    return error.status === undefined
      ? 'the gateway could not be reached'
      : `the gateway answered HTTP ${error.status}`;
  }
  if (error instanceof SignatureError) return `the answer failed verification (${error.reason})`;
  if (error instanceof ValidationError) return 'the answer was not a valid refund answer';
  return 'the exchange failed';
}

export function orderNotFound(): ProblemError {
  return new ProblemError('order_not_found', 'there is no such order');
}

export function notRefundable(order: Order): ProblemError {
  const why =
    order.status === 'refunded'
      ? 'it is already fully refunded'
      : `it is ${order.status}, not paid`;
  return new ProblemError('not_refundable', `this order cannot be refunded: ${why}`, {
    extra: { orderStatus: order.status },
  });
}
