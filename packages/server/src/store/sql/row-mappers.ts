import type { Wallet } from '@scanforpay/protocol';
import type { NotificationOutcome } from '../../domain/notification.js';
import type { Order, OrderStatus } from '../../domain/order.js';
import type { RefundRecord, RefundStatus } from '../../domain/refund.js';
import type { EndpointState, OutboxRecord } from '../event-outbox.js';
import type { StoredNotification } from '../notification-log.js';
import type { IdempotencyRecord } from '../order-records.js';
import { toNumber, toNumberOrNull, type SqlRow } from './sql-driver.js';

/** Rows as every engine returns them (Postgres BIGINT as text, SQLite booleans as 0/1) → records. */
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

export function toOrder(row: SqlRow): Order {
  return {
    orderId: String(row.order_id),
    itemId: String(row.item_id),
    title: String(row.title),
    amount: toNumber(row.amount),
    currency: String(row.currency),
    wallet: row.wallet as Wallet,
    quantity: toNumber(row.quantity),
    reference: text(row.reference),
    status: row.status as OrderStatus,
    gatewayOrderNo: text(row.gateway_order_no),
    payUrl: text(row.pay_url),
    failureCode: text(row.failure_code),
    failureMessage: text(row.failure_message),
    createdAt: toNumber(row.created_at),
    expiresAt: toNumber(row.expires_at),
    paidAt: toNumberOrNull(row.paid_at),
    refundedAmount: toNumber(row.refunded_amount),
    updatedAt: toNumber(row.updated_at),
    context: text(row.context) as Order['context'],
    endpoint: row.gateway_endpoint === 'qrcode' ? 'qrcode' : 'online',
    checks: toNumber(row.checks ?? 0),
    nextCheckAt: toNumberOrNull(row.next_check_at),
  };
}

export function toKey(row: SqlRow): IdempotencyRecord {
  return {
    key: String(row.key),
    requestHash: String(row.request_hash),
    orderId: String(row.order_id),
    createdAt: toNumber(row.created_at),
  };
}

export function toNotification(row: SqlRow): StoredNotification {
  return {
    id: toNumber(row.id),
    orderId: text(row.order_id),
    dedupeKey: text(row.dedupe_key),
    rawBody: String(row.raw_body),
    verified: toNumber(row.verified) === 1,
    outcome: row.outcome as NotificationOutcome,
    reason: text(row.reason),
    receivedAt: toNumber(row.received_at),
  };
}

export function toEvent(row: SqlRow): OutboxRecord {
  return {
    eventId: String(row.event_id),
    type: String(row.type),
    orderId: text(row.order_id),
    payload: String(row.payload),
    createdAt: toNumber(row.created_at),
    attempts: toNumber(row.attempts),
    nextAttemptAt: toNumber(row.next_attempt_at),
    deliveredAt: toNumberOrNull(row.delivered_at),
    givenUpAt: toNumberOrNull(row.given_up_at),
    lastError: text(row.last_error),
  };
}

export function toEndpoint(row: SqlRow): EndpointState {
  return {
    url: String(row.url),
    disabledAt: toNumberOrNull(row.disabled_at),
    reason: text(row.reason),
  };
}

export function toRefund(row: SqlRow): RefundRecord {
  return {
    refundNo: String(row.refund_no),
    orderId: String(row.order_id),
    amount: toNumber(row.amount),
    status: row.status as RefundStatus,
    refundedBefore: toNumber(row.refunded_before),
    reason: text(row.reason),
    failureCode: text(row.failure_code),
    failureMessage: text(row.failure_message),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}
