import type { CheckQueue } from './check-queue.js';
import type { EventOutbox } from './event-outbox.js';
import type { NotificationLog } from './notification-log.js';
import type { OrderRecords } from './order-records.js';
import type { RateCounter } from './rate-counter.js';
import type { RefundLedger } from './refund-ledger.js';
import type { Retention } from './retention.js';

export type { NotificationOutcome } from '../domain/notification.js';
export { NOTIFICATION_OUTCOMES } from '../domain/notification.js';
export type { NewOrder } from '../domain/order.js';
export { REFUND_STATUSES, type RefundRecord, type RefundStatus } from '../domain/refund.js';
export type { OutboxEvent, TransitionInput } from '../domain/transition.js';
export type { CheckQueue } from './check-queue.js';
export type { RateCounter } from './rate-counter.js';
export { RETAINED_RECORDS, type RetainedRecords, type Retention } from './retention.js';
export type {
  ClaimedEvent,
  EndpointState,
  EventOutbox,
  EventSettlement,
  OutboxBacklog,
  OutboxRecord,
} from './event-outbox.js';
export type {
  NotificationInput,
  NotificationLog,
  NotificationResult,
  RejectedNotificationInput,
  RejectedNotificationResult,
  StoredNotification,
} from './notification-log.js';
export type {
  CreationOutcome,
  IdempotencyRecord,
  InsertOrderInput,
  InsertOrderResult,
  ListOrdersQuery,
  OrderFilter,
  OrderRecords,
  OrderSearchPage,
  OrderTotals,
  TransitionResult,
} from './order-records.js';
export type {
  RefundLedger,
  ReserveRefundInput,
  ReserveRefundResult,
  SettleRefundInput,
  SettleRefundResult,
} from './refund-ledger.js';

/** The store as a whole: which engine it runs on, whether it answers, and closing it. */
export interface StoreConnection {
  /** `sqlite`, `postgres`, `d1`: shown by `/healthz`. */
  readonly engine: string;
  /** Throws when the engine cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where orders live, one part per aggregate. Every method is one atomic unit on the engine
 * (one transaction), so an adapter for Postgres or D1 implements the same contract without
 * changing callers. Transitions are compare-and-set against `ALLOWED_FROM`: they report whether
 * they applied, and can enqueue an outbox event in the same transaction. `countHit` (the
 * SQL stores have it) lets several processes share one rate limit; `pruneBefore` (the SQL
 * stores have it too) lets the background pass delete old records.
 */
export interface OrderStore
  extends
    OrderRecords,
    NotificationLog,
    EventOutbox,
    CheckQueue,
    RefundLedger,
    StoreConnection,
    Partial<RateCounter>,
    Partial<Retention> {}
