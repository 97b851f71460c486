import type { Order } from '../domain/order.js';
import type { RefundRecord } from '../domain/refund.js';
import type { TransitionInput } from '../domain/transition.js';

/** Refunds: reserved against what was paid before the gateway is called, then settled. */
export interface RefundLedger {
  /**
   * Reserves a refund: the order must be paid or partially refunded, have no other refund in
   * flight, and `amount` must fit in what is left. A known `refundNo` answers `exists` with the
   * stored refund (the caller checks it is the same request).
   */
  reserveRefund(input: ReserveRefundInput): Promise<ReserveRefundResult>;
  /**
   * Settles a pending refund. On success the order's refunded total and status move in the same
   * transaction (with its event); on failure the reservation is released.
   */
  settleRefund(input: SettleRefundInput): Promise<SettleRefundResult>;
  listRefunds(orderId: string): Promise<RefundRecord[]>;
}

export interface ReserveRefundInput {
  refundNo: string;
  orderId: string;
  amount: number;
  reason: string | null;
  at: number;
}

export type ReserveRefundResult =
  | { ok: true; refund: RefundRecord; order: Order }
  | { ok: false; conflict: 'exists'; refund: RefundRecord; order: Order | undefined }
  | { ok: false; conflict: 'unknown_order' }
  | { ok: false; conflict: 'not_refundable' | 'exceeds' | 'in_flight'; order: Order };

export interface SettleRefundInput {
  refundNo: string;
  at: number;
  /** On success: the order transition (status, total, event) to apply with it. */
  success?: TransitionInput;
  failure?: { code: string; message: string };
}

export interface SettleRefundResult {
  refund: RefundRecord | undefined;
  order: Order | undefined;
  /** True when this call settled the refund. */
  applied: boolean;
}
