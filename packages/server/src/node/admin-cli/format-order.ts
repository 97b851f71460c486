import { formatMoney } from '@scanforpay/protocol';
import type { Order } from '../../domain/order.js';
import type { AdminOrderDetail } from '../../routes/admin-route.js';

const LOCALE = 'en-HK';

/** One line per order: id, status, amount, wallet, creation time, and what was refunded. */
export function orderLine(order: Order): string {
  const refunded =
    order.refundedAmount > 0 ? `  refunded ${money(order.refundedAmount, order)}` : '';
  return (
    [
      order.orderId,
      order.status.padEnd(18),
      money(order.amount, order).padStart(12),
      order.wallet.padEnd(8),
      isoTime(order.createdAt),
    ].join('  ') + refunded
  );
}

/** The order's line, then one indented line per known field, refund, event and notification. */
export function detailLines(detail: AdminOrderDetail): string[] {
  const { order } = detail;
  const lines = [orderLine(order)];
  const field = (name: string, value: string | null) => {
    if (value !== null && value !== '') lines.push(`  ${name.padEnd(10)} ${value}`);
  };
  field('title', order.title);
  field('item', `${order.itemId} × ${order.quantity}`);
  field('reference', order.reference);
  field('gateway', order.gatewayOrderNo);
  field('expires', order.status === 'pending' ? isoTime(order.expiresAt) : null);
  field('paid', order.paidAt === null ? null : isoTime(order.paidAt));
  field(
    'failure',
    order.failureCode === null ? null : `${order.failureCode} ${order.failureMessage ?? ''}`.trim(),
  );
  if (order.refundedAmount > 0) {
    const left = order.amount - order.refundedAmount;
    field('refunded', `${money(order.refundedAmount, order)} (${money(left, order)} left)`);
  }
  for (const refund of detail.refunds) {
    const failure = refund.failureCode
      ? ` ${refund.failureCode} ${refund.failureMessage ?? ''}`
      : '';
    field(
      'refund',
      `${refund.refundNo}  ${money(refund.amount, order)}  ${refund.status}${failure.trimEnd()}  ` +
        `${isoTime(refund.createdAt)}${refund.reason ? `  ${refund.reason}` : ''}`,
    );
  }
  for (const event of detail.events) {
    const delivery =
      event.deliveredAt !== null
        ? `delivered ${isoTime(event.deliveredAt)}`
        : event.givenUpAt !== null
          ? `given up ${isoTime(event.givenUpAt)}`
          : `not delivered (${event.attempts} attempt${event.attempts === 1 ? '' : 's'})`;
    field('event', `${event.type}  ${isoTime(event.createdAt)}  ${delivery}`);
  }
  for (const notification of detail.notifications) {
    field(
      'notify',
      `${isoTime(notification.receivedAt)}  ${notification.outcome}` +
        `${notification.verified ? '' : '  unverified'}` +
        `${notification.reason ? `  ${notification.reason}` : ''}`,
    );
  }
  return lines;
}

/** An amount in minor units, written for people in the currency's own way. */
export function formatAmount(minor: number, currency: string): string {
  return formatMoney(minor, currency, LOCALE);
}

/** `2024-05-01T02:00:00Z`: ISO time to the second. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function money(minor: number, order: Pick<Order, 'currency'>): string {
  return formatAmount(minor, order.currency);
}
