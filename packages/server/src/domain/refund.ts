/** A refund's state: reserved (`pending`) until the gateway answers. */
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface RefundRecord {
  refundNo: string;
  orderId: string;
  amount: number;
  status: RefundStatus;
  /** The order's refunded total when the refund was reserved. */
  refundedBefore: number;
  reason: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: number;
  updatedAt: number;
}
