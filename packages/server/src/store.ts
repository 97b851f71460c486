/**
 * `@scanforpay/server/store`: for writing your own store. Implement `OrderStore` (one part per
 * aggregate), or give `createSqlStore` a `SqlDriver` that runs a batch of statements atomically.
 */
export type {
  RateCounter,
  Retention,
  RetainedRecords,
  OrderStore,
  StoreConnection,
  OrderRecords,
  NotificationLog,
  EventOutbox,
  CheckQueue,
  RefundLedger,
  // Orders
  InsertOrderInput,
  InsertOrderResult,
  CreationOutcome,
  IdempotencyRecord,
  TransitionResult,
  ListOrdersQuery,
  // Notifications
  NotificationInput,
  NotificationResult,
  RejectedNotificationInput,
  RejectedNotificationResult,
  StoredNotification,
  // Outbox and webhook endpoints
  OutboxRecord,
  ClaimedEvent,
  EventSettlement,
  EndpointState,
  // Refunds
  ReserveRefundInput,
  ReserveRefundResult,
  SettleRefundInput,
  SettleRefundResult,
} from './store/order-store.js';
// The domain a store keeps: orders and the transitions it must compare-and-set against.
export {
  ORDER_STATUSES,
  ALLOWED_FROM,
  type Order,
  type OrderStatus,
  type NewOrder,
} from './domain/order.js';
export type { TransitionInput, OutboxEvent } from './domain/transition.js';
export { NOTIFICATION_OUTCOMES, type NotificationOutcome } from './domain/notification.js';
export { REFUND_STATUSES, type RefundRecord, type RefundStatus } from './domain/refund.js';
// The SQL store and what a driver for another engine implements.
export { createSqlStore, FIRST_CHECK_AFTER_MS } from './store/sql/create-sql-store.js';
export {
  StoreUnavailableError,
  type SqlDriver,
  type SqlStatement,
  type SqlRow,
  type SqlValue,
} from './store/sql/sql-driver.js';
export {
  createD1Store,
  d1Driver,
  type D1DatabaseLike,
  type D1PreparedStatementLike,
} from './store/d1/create-d1-store.js';
export { d1MigrationFiles, type D1MigrationFile } from './store/d1/d1-migration-files.js';
