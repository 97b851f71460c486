import type { Order, OrderStatus } from '../orders/order.js';

/** A new order row: the stored order's own fields, `pending` with the gateway's `payUrl`, or `failed` when the gateway refused it. */
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
> & { status: 'pending' | 'failed' };

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  orderId: string;
  createdAt: number;
}

/**
 * An order is written once, after the gateway answered, together with its idempotency key and
 * checkout-token claim: one transaction per order creation.
 */
export interface InsertOrderInput {
  order: NewOrder;
  /** Claimed in the same transaction as the order. */
  idempotency?: { key: string; requestHash: string };
  /** A single-use checkout token id, claimed in the same transaction as the order. */
  checkoutToken?: { id: string; expiresAt: number };
}

export type InsertOrderResult =
  | { ok: true }
  | { ok: false; conflict: 'idempotency_key'; existing: IdempotencyRecord }
  | { ok: false; conflict: 'token_used' };

/** A merchant event written in the same transaction as the transition that caused it. */
export interface OutboxEvent {
  eventId: string;
  type: string;
  /** JSON text. */
  payload: string;
}

export interface TransitionInput {
  to: OrderStatus;
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

export interface TransitionResult {
  /** True when this call changed the order; false when the compare-and-set did not match. */
  applied: boolean;
  /** The order as it stands after the call; undefined when there is no such order. */
  order: Order | undefined;
}

export const NOTIFICATION_OUTCOMES = [
  'applied',
  'duplicate',
  'ignored',
  'rejected',
  'mismatch',
  'unknown_order',
] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

export interface NotificationInput {
  orderId: string | null;
  dedupeKey: string | null;
  rawBody: string;
  verified: boolean;
  /** Used when there is no transition; otherwise the store derives it. */
  outcome: NotificationOutcome;
  reason: string | null;
  receivedAt: number;
  /** Applied in the same transaction as the notification row is written. */
  transition?: { orderId: string; input: TransitionInput };
}

export interface NotificationResult extends TransitionResult {
  id: number;
  outcome: NotificationOutcome;
}

export interface StoredNotification {
  id: number;
  orderId: string | null;
  dedupeKey: string | null;
  rawBody: string;
  verified: boolean;
  outcome: NotificationOutcome;
  reason: string | null;
  receivedAt: number;
}

/**
 * Where orders live. Every method is one atomic unit on the engine (one transaction), so an
 * adapter for Postgres or D1 implements the same contract without changing callers.
 * Transitions are compare-and-set against `ALLOWED_FROM`: they report whether they applied,
 * and can enqueue an outbox event in the same transaction.
 */
export interface OrderStore {
  /** `sqlite`, `postgres`, `d1`: shown by `/healthz`. */
  readonly engine: string;
  insertOrder(input: InsertOrderInput): Promise<InsertOrderResult>;
  getOrder(orderId: string): Promise<Order | undefined>;
  getIdempotencyKey(key: string): Promise<IdempotencyRecord | undefined>;
  /** Whether a checkout token id has already been claimed by an order. */
  isCheckoutTokenUsed(tokenId: string): Promise<boolean>;
  transition(orderId: string, input: TransitionInput): Promise<TransitionResult>;
  /** `pending → expired` when `expires_at <= now`. */
  expire(orderId: string, now: number): Promise<TransitionResult>;
  recordNotification(input: NotificationInput): Promise<NotificationResult>;
  listNotifications(orderId?: string): Promise<StoredNotification[]>;
  /** Throws when the engine cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How a verified notification's transition is classified; shared by every adapter. */
export function notificationOutcome(
  applied: boolean,
  order: Order | undefined,
  to: OrderStatus,
): NotificationOutcome {
  if (applied) return 'applied';
  if (!order) return 'unknown_order';
  return order.status === to ? 'duplicate' : 'ignored';
}
