import { isoCurrency } from '@scanforpay/protocol';
import { withEvent } from './merchant-event.js';
import type { TransitionInput } from './transition.js';
import { ALLOWED_FROM, type Order } from './order.js';

/** The fields a verified notification or payQuery answer reports about one order. */
export interface PaymentReport {
  code: number;
  partnerOrderNo: string;
  orderAmount: number;
  currency: string;
  status: 0 | 1 | 2 | 3;
  orderNo?: string | undefined;
  payTime?: string | undefined;
}

/** Why a verified report must not be applied to the stored order, or undefined when it fits. */
export function reportMismatch(order: Order, report: PaymentReport): string | undefined {
  if (report.partnerOrderNo !== order.orderId) return 'partnerOrderNo differs';
  if (report.orderNo && order.gatewayOrderNo && report.orderNo !== order.gatewayOrderNo) {
    return 'orderNo differs from the one the gateway gave at creation';
  }
  if (report.orderAmount !== order.amount) return `amount ${report.orderAmount} ≠ ${order.amount}`;
  if (isoCurrency(report.currency) !== isoCurrency(order.currency)) {
    return `currency ${report.currency} ≠ ${order.currency}`;
  }
  return undefined;
}

/**
 * The transition a report asks for, or undefined when it reports nothing final. It carries its
 * merchant event when the order, as read, can still make it (a duplicate report cannot: the
 * store's compare-and-set refuses it, so its event is not built).
 */
export function reportTransition(
  order: Order,
  report: PaymentReport,
  at: number,
): TransitionInput | undefined {
  const transition = bareTransition(order, report, at);
  if (!transition || !ALLOWED_FROM[transition.to].includes(order.status)) return transition;
  return withEvent(order, transition);
}

function bareTransition(
  order: Order,
  report: PaymentReport,
  at: number,
): TransitionInput | undefined {
  if (report.code !== 1) return undefined;
  const gatewayOrderNo = report.orderNo ? { gatewayOrderNo: report.orderNo } : {};
  switch (report.status) {
    case 1: {
      const paidAt = report.payTime ? Date.parse(report.payTime) : Number.NaN;
      return { to: 'paid', at, paidAt: Number.isFinite(paidAt) ? paidAt : at, ...gatewayOrderNo };
    }
    case 2:
      return {
        to: 'failed',
        at,
        failureCode: 'gateway',
        failureMessage: 'the gateway reported the payment failed',
        ...gatewayOrderNo,
      };
    case 3:
      return { to: 'refunded', at, refundedAmount: order.amount, ...gatewayOrderNo };
    default:
      return undefined;
  }
}
