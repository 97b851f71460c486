import { randomHex } from '@scanforpay/protocol';
import type { Order } from './order.js';
import type { OutboxEvent, TransitionInput } from './transition.js';
import {
  MERCHANT_EVENT_TYPES,
  type MerchantEventData,
  type MerchantEventType,
} from './merchant-event-types.js';

export {
  MERCHANT_EVENT_TYPES,
  type MerchantEvent,
  type MerchantEventData,
  type MerchantEventType,
} from './merchant-event-types.js';

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

/** What the stored events' ids look like (`evt_…`); anything else is no event. */
export const EVENT_ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;
