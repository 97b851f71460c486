import type { Order } from '../domain/order.js';
import type { OrderFilter, OrderStore } from '../store/order-store.js';
import { majorUnits } from './format.js';

const BATCH = 500;
/** The most rows one export holds; a larger set is narrowed with the filters. */
export const MAX_CSV_ROWS = 100_000;

const COLUMNS = [
  'order_id',
  'created_at',
  'status',
  'currency',
  'amount',
  'refunded_amount',
  'wallet',
  'item_id',
  'title',
  'quantity',
  'reference',
  'gateway_order_no',
  'paid_at',
] as const;

/**
 * The filtered set as CSV (RFC 4180, CRLF), newest first like the list, read a batch at a
 * time by keyset so a long export never holds more than one batch. Amounts are in major
 * units; times ISO 8601 UTC. A text cell that a spreadsheet would run as a formula
 * (`= + - @`, tab, CR) is prefixed with `'`.
 */
export function ordersCsv(
  store: Pick<OrderStore, 'searchOrders'>,
  filter: OrderFilter,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: string | undefined;
  let sent = 0;
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${COLUMNS.join(',')}\r\n`));
        return;
      }
      const limit = Math.min(BATCH, MAX_CSV_ROWS - sent);
      const orders =
        limit > 0 ? await store.searchOrders(filter, { limit, ...(before ? { before } : {}) }) : [];
      if (orders.length === 0) {
        controller.close();
        return;
      }
      before = orders[orders.length - 1]!.orderId;
      sent += orders.length;
      controller.enqueue(encoder.encode(orders.map(csvRow).join('')));
      if (orders.length < limit) controller.close();
    },
  });
}

export function csvRow(order: Order): string {
  const iso = (at: number | null) => (at === null ? '' : new Date(at).toISOString());
  const cells = [
    order.orderId,
    iso(order.createdAt),
    order.status,
    order.currency,
    majorUnits(order.amount, order.currency),
    majorUnits(order.refundedAmount, order.currency),
    order.wallet,
    order.itemId,
    order.title,
    String(order.quantity),
    order.reference ?? '',
    order.gatewayOrderNo ?? '',
    iso(order.paidAt),
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
