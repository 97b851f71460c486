import type { OrderStatus } from './order.js';

/** A merchant event written in the same transaction as the transition that caused it. */
export interface OutboxEvent {
  eventId: string;
  type: string;
  /** JSON text. */
  payload: string;
}

export interface TransitionInput {
  to: OrderStatus;
  /** Compare-and-set on the refunded total too (refunds: no two complete against the same total). */
  expectRefundedAmount?: number;
  /** Epoch ms of the change. */
  at: number;
  paidAt?: number;
  gatewayOrderNo?: string;
  refundedAmount?: number;
  failureCode?: string;
  failureMessage?: string;
  /** Enqueued only if the transition applies. */
  event?: OutboxEvent;
}
