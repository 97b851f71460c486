import type { Order, OrderState } from './order-book.js';
import { RESULT_CODES } from './result-codes.js';
import { SandboxError } from './sandbox-error.js';

/** Settles a pending order as paid at `at`, with a masked buyer of its wallet's shape. */
export function markPaid(order: Order, at: Date, random: (bytes: number) => string): void {
  assertPending(order, 'paid');
  order.state = 'paid';
  order.payTime = at;
  if (order.wallet === 'Wechat') {
    order.buyer = 'w***@sandbox';
    order.buyerId = `oSbx${random(12)}`;
  } else {
    order.buyer = 'c*@example.com';
    order.buyerId = `2088${hexToDigits(random(6), 12)}`;
  }
}

/** Closes a pending order unpaid; an expired one expires at `now`. */
export function markClosed(
  order: Order,
  state: Extract<OrderState, 'failed' | 'cancelled' | 'expired'>,
  now: Date,
): void {
  assertPending(order, state);
  order.state = state;
  if (state === 'expired') order.expiresAt = now;
}

function assertPending(order: Order, wanted: string): void {
  if (order.state === 'pending') return;
  const code = order.state === 'expired' ? RESULT_CODES.orderExpired : RESULT_CODES.notRefundable;
  throw new SandboxError(code, `order is ${order.state}; it cannot become ${wanted}`, 409);
}

function hexToDigits(hex: string, length: number): string {
  return BigInt(`0x${hex}`).toString().padStart(length, '0').slice(-length);
}
