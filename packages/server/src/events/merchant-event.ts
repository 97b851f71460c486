import type { Order } from '../orders/order.js';
import type { OutboxEvent, TransitionInput } from '../store/order-store.js';

/** Every event the proxy sends the merchant: one per state change of an order. */
export const MERCHANT_EVENT_TYPES = [
  'order.paid',
  'order.failed',
  'order.expired',
  'order.refunded',
  'order.partially_refunded',
] as const;
export type MerchantEventType = (typeof MERCHANT_EVENT_TYPES)[number];

/** The order as the merchant's backend sees it in an event: everything but the buyer's data. */
export interface MerchantEventData {
  orderId: string;
  status: Order['status'];
  itemId: string;
  title: string;
  quantity: number;
  /** Minor units. */
  amount: number;
  currency: string;
  wallet: string;
  reference: string | null;
  gatewayOrderNo: string | null;
  /** ISO 8601. */
  createdAt: string;
  paidAt: string | null;
  /** Minor units refunded so far. */
  refundedAmount: number;
  /** The refund that caused an `order.refunded` / `order.partially_refunded` event. */
  refund?: { refundNo: string; amount: number };
}

/** The Standard Webhooks payload: `{type, timestamp, data}`; `webhook-id` is the event id. */
export interface MerchantEvent {
  /** `webhook-id`: the same on every redelivery of this event. */
  id: string;
  type: MerchantEventType;
  /** ISO 8601: when the state changed. */
  timestamp: string;
  data: MerchantEventData;
}

/**
 * The outbox row for an order that has just moved to `order.status` (the state after the
 * transition, as the caller computed it). Written by the store only if the transition applies.
 */
export function orderEvent(
  order: Order,
  at: number,
  refund?: { refundNo: string; amount: number },
): OutboxEvent {
  const eventId = `evt_${randomHex(12)}`;
  const type = `order.${order.status}` as MerchantEventType;
  if (!MERCHANT_EVENT_TYPES.includes(type)) throw new TypeError(`no event for ${order.status}`);
  const data: MerchantEventData = {
    orderId: order.orderId,
    status: order.status,
    itemId: order.itemId,
    title: order.title,
    quantity: order.quantity,
    amount: order.amount,
    currency: order.currency,
    wallet: order.wallet,
    reference: order.reference,
    gatewayOrderNo: order.gatewayOrderNo,
    createdAt: new Date(order.createdAt).toISOString(),
    paidAt: order.paidAt === null ? null : new Date(order.paidAt).toISOString(),
    refundedAmount: order.refundedAmount,
    ...(refund ? { refund } : {}),
  };
  const payload = { type, timestamp: new Date(at).toISOString(), data };
  return { eventId, type, payload: JSON.stringify(payload) };
}

function randomHex(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = '';
  for (const byte of buffer) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * The transition with its merchant event attached: the event shows the order as it will be
 * once the transition applies (the store writes the event only if it does).
 */
export function withEvent<T extends TransitionInput>(
  order: Order,
  input: T,
  refund?: { refundNo: string; amount: number },
): T & { event: OutboxEvent } {
  const after: Order = {
    ...order,
    status: input.to,
    updatedAt: input.at,
    paidAt: order.paidAt ?? input.paidAt ?? (input.to === 'paid' ? input.at : null),
    gatewayOrderNo: order.gatewayOrderNo ?? input.gatewayOrderNo ?? null,
    refundedAmount: input.refundedAmount ?? order.refundedAmount,
    failureCode: input.failureCode ?? order.failureCode,
    failureMessage: input.failureMessage ?? order.failureMessage,
  };
  return { ...input, event: orderEvent(after, input.at, refund) };
}
