import type { Order, Refund } from './order-book.js';
import { RESULT_CODES } from './result-codes.js';
import { SandboxError } from './sandbox-error.js';

/** The refunds made, keyed by `partnerNo \0 refundNo`, so a refundNo is unique per partner. */
export class RefundLedger {
  readonly #refunds = new Map<string, { order: Order; refund: Refund }>();

  /** Refunds part or all of a paid order; a repeated `refundNo` with the same amount is a replay. */
  refund(
    order: Order,
    refundNo: string,
    amount: number,
    at: Date,
  ): { refund: Refund; replay: boolean } {
    const key = `${order.partnerNo}\u0000${refundNo}`;
    const previous = this.#refunds.get(key);
    if (previous) {
      if (previous.order === order && previous.refund.amount === amount) {
        return { refund: previous.refund, replay: true };
      }
      throw new SandboxError(
        RESULT_CODES.duplicateRefund,
        `refundNo ${refundNo} was already used for another refund`,
        409,
      );
    }
    if (order.state === 'refunded') {
      throw new SandboxError(RESULT_CODES.overRefund, 'order is already fully refunded', 409);
    }
    if (order.state !== 'paid') {
      throw new SandboxError(
        order.state === 'expired' ? RESULT_CODES.orderExpired : RESULT_CODES.notRefundable,
        `order is ${order.state}, not paid: nothing to refund`,
        409,
      );
    }
    const left = order.orderAmount - order.refundedAmount;
    if (amount > left) {
      throw new SandboxError(
        RESULT_CODES.overRefund,
        `refund of ${amount} exceeds the ${left} left to refund on this order`,
        409,
      );
    }
    const refund: Refund = { refundNo, amount, at };
    order.refunds.push(refund);
    order.refundedAmount += amount;
    if (order.refundedAmount === order.orderAmount) order.state = 'refunded';
    this.#refunds.set(key, { order, refund });
    return { refund, replay: false };
  }

  clear(): void {
    this.#refunds.clear();
  }
}
