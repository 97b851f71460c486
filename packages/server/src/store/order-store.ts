import type { NotificationOutcome } from '../domain/notification.js';
import type { NewOrder, Order, OrderStatus } from '../domain/order.js';
import type { RefundRecord } from '../domain/refund.js';
import type { OutboxEvent, TransitionInput } from '../domain/transition.js';

export type { NotificationOutcome } from '../domain/notification.js';
export { NOTIFICATION_OUTCOMES } from '../domain/notification.js';
export type { NewOrder } from '../domain/order.js';
export { REFUND_STATUSES, type RefundRecord, type RefundStatus } from '../domain/refund.js';
export type { OutboxEvent, TransitionInput } from '../domain/transition.js';

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  orderId: string;
  createdAt: number;
}

/**
 * An order is written before the gateway is called, together with its idempotency key and
 * checkout-token claim, in one transaction: concurrent requests with one key or one token
 * make one gateway call, and a crash after the call leaves an order the proxy knows.
 */
export interface InsertOrderInput {
  order: NewOrder;
  /** Claimed in the same transaction as the order. */
  idempotency?: { key: string; requestHash: string };
  /** A single-use checkout token id, claimed in the same transaction as the order. */
  checkoutToken?: { id: string; expiresAt: number };
  /** First reconciliation check of a pending order. Default `createdAt + 60 s`. */
  nextCheckAt?: number;
}

/** The gateway's answer to an order's create call, recorded by `recordCreation`. */
export type CreationOutcome =
  | { at: number; payUrl: string; gatewayOrderNo: string | null }
  | {
      at: number;
      failure: { code: string; message: string };
      /** The checkout token the order claimed: released with the failure. */
      checkoutTokenId?: string;
    };

export type InsertOrderResult =
  | { ok: true }
  | { ok: false; conflict: 'idempotency_key'; existing: IdempotencyRecord }
  | { ok: false; conflict: 'token_used' };

export interface TransitionResult {
  /** True when this call changed the order; false when the compare-and-set did not match. */
  applied: boolean;
  /** The order as it stands after the call; undefined when there is no such order. */
  order: Order | undefined;
}

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

/** A notification that failed verification: no order is touched. */
export interface RejectedNotificationInput {
  /** What is kept of the body: its first 8 KiB, or `''` when only a digest is kept (in `reason`). */
  rawBody: string;
  reason: string;
  receivedAt: number;
  /** Keep at most this many rejected notifications, the newest; older ones are deleted with this write. */
  keep: number;
}

export interface RejectedNotificationResult {
  id: number;
  /** Older rejected notifications deleted to stay within `keep`. */
  pruned: number;
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
  /**
   * Records the gateway's answer to an order written before its create call: its `payUrl` (the
   * order stays pending), or its failure (the order fails and its checkout-token claim is
   * released, so the token can be tried again). Applies only to a pending order without a
   * `payUrl`; `applied` says whether it did.
   */
  recordCreation(orderId: string, outcome: CreationOutcome): Promise<TransitionResult>;
  getOrder(orderId: string): Promise<Order | undefined>;
  getIdempotencyKey(key: string): Promise<IdempotencyRecord | undefined>;
  /** Whether a checkout token id has already been claimed by an order. */
  isCheckoutTokenUsed(tokenId: string): Promise<boolean>;
  transition(orderId: string, input: TransitionInput): Promise<TransitionResult>;
  /** `pending → expired` when `expires_at <= now`, with its event. */
  expire(orderId: string, now: number, event?: OutboxEvent): Promise<TransitionResult>;
  recordNotification(input: NotificationInput): Promise<NotificationResult>;
  listNotifications(orderId?: string): Promise<StoredNotification[]>;
  /**
   * Records a notification that failed verification (`rejected`, unverified) and, in the same
   * transaction, deletes the oldest rejected ones beyond the newest `keep`.
   */
  recordRejectedNotification(input: RejectedNotificationInput): Promise<RejectedNotificationResult>;
  /** Throws when the engine cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // ── Admin ──
  /** Newest first (order ids sort by time); `before` is the last id of the previous page. */
  listOrders(query: ListOrdersQuery): Promise<Order[]>;

  // ── Outbox (merchant events) ──
  /**
   * Claims up to `limit` due events for delivery: each claimed event's `nextAttemptAt` moves to
   * `now + leaseMs`, so another process (or this one after a crash) takes it again only once the
   * lease has passed. Race-free across processes sharing the database.
   */
  claimEvents(query: { now: number; limit: number; leaseMs: number }): Promise<ClaimedEvent[]>;
  /** Settles a claimed delivery; false when the claim was lost (the lease passed and another took it). */
  settleEvent(eventId: string, claim: string, settlement: EventSettlement): Promise<boolean>;
  listEvents(orderId?: string): Promise<OutboxRecord[]>;
  /**
   * Makes every undelivered, unclaimed event due at `now` (e.g. when a disabled endpoint is
   * enabled again); returns how many. Events held by a claim keep it.
   */
  retryEventsNow(now: number): Promise<number>;
  /** A webhook endpoint that answered 410 Gone stays disabled until re-enabled. */
  getEndpoint(url: string): Promise<EndpointState | undefined>;
  setEndpoint(url: string, disabled: { at: number; reason: string } | null): Promise<void>;

  // ── Reconciliation ──
  /**
   * Claims up to `limit` pending orders whose next check is due (`nextCheckAt <= now`; new
   * orders start at `createdAt + 60 s`): each one's next check moves to `now + leaseMs`, and
   * its check count goes up by one.
   */
  claimChecks(query: { now: number; limit: number; leaseMs: number }): Promise<Order[]>;
  /** When to query a still-pending order next. */
  scheduleCheck(orderId: string, nextCheckAt: number): Promise<void>;

  // ── Refunds ──
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

export interface ListOrdersQuery {
  status?: OrderStatus;
  limit: number;
  before?: string;
}

export interface OutboxRecord {
  eventId: string;
  type: string;
  orderId: string | null;
  /** JSON text: the Standard Webhooks payload `{type, timestamp, data}`. */
  payload: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  /** Set when delivery gave up (72 hours of failures). */
  givenUpAt: number | null;
  lastError: string | null;
}

export interface ClaimedEvent extends OutboxRecord {
  /** Fences the settlement: only the holder of the latest claim can settle. */
  claim: string;
}

export type EventSettlement =
  | { outcome: 'delivered'; at: number }
  | { outcome: 'retry'; at: number; nextAttemptAt: number; error: string }
  | { outcome: 'given_up'; at: number; error: string }
  /** Put back untouched (not counted as an attempt), e.g. while the endpoint is disabled. */
  | { outcome: 'released'; nextAttemptAt: number };

export interface EndpointState {
  url: string;
  disabledAt: number | null;
  reason: string | null;
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
