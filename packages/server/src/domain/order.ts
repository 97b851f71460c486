import type { Wallet } from '@scanforpay/protocol';
import type { CheckoutContext, GatewayEndpoint } from './checkout-context.js';

export const ORDER_STATUSES = [
  'pending',
  'paid',
  'failed',
  'expired',
  'refunded',
  'partially_refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The lifecycle as compare-and-set rules: a transition to the key applies only when the
 * stored status is one of the listed ones, so nothing ever moves backwards.
 * `failed`/`expired` → `paid` exists because a payment the gateway confirms (signed
 * notification or payQuery) after the proxy gave up locally is money that moved: it is
 * recorded, never dropped.
 */
export const ALLOWED_FROM: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: [],
  paid: ['pending', 'expired', 'failed'],
  failed: ['pending'],
  expired: ['pending'],
  partially_refunded: ['paid', 'partially_refunded'],
  refunded: ['paid', 'partially_refunded'],
};

export interface Order {
  /** Also the gateway's `partnerOrderNo`. */
  orderId: string;
  itemId: string;
  title: string;
  /** Minor units. */
  amount: number;
  currency: string;
  wallet: Wallet;
  quantity: number;
  reference: string | null;
  status: OrderStatus;
  gatewayOrderNo: string | null;
  payUrl: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  paidAt: number | null;
  refundedAmount: number;
  updatedAt: number;
  /** Where the shopper's browser was (null: not told, e.g. the no-script checkout). */
  context: CheckoutContext | null;
  /** The gateway endpoint the order was created on (`online` for orders before routing). */
  endpoint: GatewayEndpoint;
  /** Reconciliation: payQuery checks made so far, and when the next is due (pending orders). */
  checks: number;
  nextCheckAt: number | null;
}

/** What the public `GET /orders/:orderId` shows: nothing secret, nothing about the buyer. */
export interface PublicOrder {
  orderId: string;
  status: OrderStatus;
  amount: number;
  currency: string;
  wallet: Wallet;
  title: string;
  paidAt?: string;
}

export function toPublicOrder(order: Order): PublicOrder {
  const view: PublicOrder = {
    orderId: order.orderId,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    wallet: order.wallet,
    title: order.title,
  };
  if (order.paidAt !== null) view.paidAt = new Date(order.paidAt).toISOString();
  return view;
}

/**
 * A new order row: the stored order's own fields. `POST /orders` writes it `pending` with no
 * `payUrl` before the gateway is called, then records the answer with `recordCreation`.
 */
export type NewOrder = Pick<
  Order,
  | 'orderId'
  | 'itemId'
  | 'title'
  | 'amount'
  | 'currency'
  | 'wallet'
  | 'quantity'
  | 'reference'
  | 'createdAt'
  | 'expiresAt'
  | 'payUrl'
  | 'gatewayOrderNo'
  | 'failureCode'
  | 'failureMessage'
> & {
  status: 'pending' | 'failed';
  /** Default null. */
  context?: CheckoutContext | null;
  /** Default `online`. */
  endpoint?: GatewayEndpoint;
};
