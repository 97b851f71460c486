import type { OrderStatus } from './order.js';

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
  status: OrderStatus;
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
