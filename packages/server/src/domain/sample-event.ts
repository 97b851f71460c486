import { randomHex } from '@scanforpay/protocol';
import {
  MERCHANT_EVENT_TYPES,
  type MerchantEventData,
  type MerchantEventType,
} from './merchant-event-types.js';
import type { OrderStatus } from './order.js';

/** What a test send may be: any merchant event, or the bare `webhook.test` ping. */
export const SAMPLE_EVENT_TYPES = [...MERCHANT_EVENT_TYPES, 'webhook.test'] as const;
export type SampleEventType = (typeof SAMPLE_EVENT_TYPES)[number];

/** A sample event to send to the merchant: its `webhook-id` and the payload text. */
export interface SampleEvent {
  /** `evt_test_…`: never the id of a stored event. */
  eventId: string;
  type: SampleEventType;
  payload: string;
}

const AMOUNT = 19900;
const REFUNDED: Partial<Record<MerchantEventType, number>> = {
  'order.refunded': AMOUNT,
  'order.partially_refunded': 5000,
};

/**
 * A sample of `type` at `now`, shaped exactly like the real event: the order is
 * invented (`orderId` `test_…`, `reference` `scanforpay-proxy test`), so a receiver finds no
 * such order and nothing real is fulfilled.
 */
export function sampleEvent(type: SampleEventType, now: number): SampleEvent {
  const eventId = `evt_test_${randomHex(12)}`;
  const timestamp = new Date(now).toISOString();
  if (type === 'webhook.test') {
    return { eventId, type, payload: JSON.stringify({ type, timestamp, data: { test: true } }) };
  }
  const status = type.slice('order.'.length) as OrderStatus;
  const refunded = REFUNDED[type] ?? 0;
  const paid = status !== 'failed' && status !== 'expired';
  const data: MerchantEventData = {
    orderId: `test_${randomHex(10)}`,
    status,
    itemId: 'sample-item',
    title: 'Sample item (test event)',
    quantity: 1,
    amount: AMOUNT,
    currency: 'HKD',
    wallet: 'AlipayHK',
    reference: 'scanforpay-proxy test',
    gatewayOrderNo: paid ? '2026010112000001' : null,
    createdAt: new Date(now - 5 * 60_000).toISOString(),
    paidAt: paid ? new Date(now - 4 * 60_000).toISOString() : null,
    refundedAmount: refunded,
    ...(refunded > 0 ? { refund: { refundNo: `test_${randomHex(6)}`, amount: refunded } } : {}),
  };
  return { eventId, type, payload: JSON.stringify({ type, timestamp, data }) };
}

/** How a test send went, as the admin API and the CLI show it. */
export interface TestEventDelivery {
  url: string;
  eventId: string;
  type: SampleEventType;
  outcome: 'delivered' | 'gone' | 'failed';
  /** The receiver's HTTP status; null when it could not be reached or did not answer in time. */
  status: number | null;
  /** The start of the receiver's answer (200 characters, whitespace collapsed). */
  answer: string;
  /** Why it was not delivered (`HTTP 500`, `network error (ECONNREFUSED)`, a timeout). */
  error: string | null;
}
