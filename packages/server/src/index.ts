export { createProxy, type ScanForPayProxy, type BackgroundReport } from './create-proxy.js';
export type { ProxyOptions, ProxyCredentials, ButtonScriptSource } from './proxy-options.js';
export { FAULT_STEPS, type FaultHook, type FaultStep } from './fault-hook.js';
export type { ProxyEnv } from './proxy-runtime.js';
export type { RefusedNotificationLimits } from './notify/refusal-budget.js';
export {
  PROBLEM_CODES,
  PROBLEM_CONTENT_TYPE,
  ProblemError,
  problemType,
  type ProblemBody,
  type ProblemCode,
} from './problem.js';
export {
  parseCatalog,
  CatalogError,
  type Catalog,
  type CatalogItem,
  type FixedItem,
  type OpenItem,
} from './catalog/parse-catalog.js';
export {
  createCheckoutToken,
  verifyCheckoutToken,
  CheckoutTokenError,
  type CheckoutTokenClaims,
  type CheckoutTokenErrorCode,
  type CreateCheckoutTokenOptions,
} from './checkout-token/checkout-token.js';
export type {
  OrderStore,
  NewOrder,
  InsertOrderInput,
  InsertOrderResult,
  IdempotencyRecord,
  TransitionInput,
  TransitionResult,
  OutboxEvent,
  NotificationInput,
  NotificationResult,
  NotificationOutcome,
  RejectedNotificationInput,
  RejectedNotificationResult,
  StoredNotification,
  ListOrdersQuery,
  OutboxRecord,
  ClaimedEvent,
  EventSettlement,
  EndpointState,
  RefundRecord,
  RefundStatus,
  ReserveRefundInput,
  ReserveRefundResult,
  SettleRefundInput,
  SettleRefundResult,
} from './store/order-store.js';
export {
  NOTIFICATION_OUTCOMES,
  REFUND_STATUSES,
} from './store/order-store.js';
export { createSqlStore, FIRST_CHECK_AFTER_MS } from './store/sql/create-sql-store.js';
export type { SqlDriver, SqlStatement, SqlRow, SqlValue } from './store/sql/sql-driver.js';
export {
  createD1Store,
  d1Driver,
  type D1DatabaseLike,
  type D1PreparedStatementLike,
} from './store/d1/create-d1-store.js';
export {
  orderEvent,
  MERCHANT_EVENT_TYPES,
  type MerchantEvent,
  type MerchantEventType,
  type MerchantEventData,
  withEvent,
} from './domain/merchant-event.js';
export {
  createOutboxWorker,
  outboxLeaseMs,
  type OutboxWorker,
  type OutboxWorkerOptions,
  type OutboxRunResult,
  type OutboxLogger,
} from './events/outbox-worker.js';
export {
  deliverWebhook,
  createWebhookSecret,
  assertWebhookSecret,
  signWebhook,
  type WebhookDelivery,
} from './events/deliver-webhook.js';
export { nextAttemptDelay, DELIVERY_WINDOW_MS } from './events/backoff.js';
export {
  refundOrder,
  REFUND_NO_SHAPE,
  type RefundOrderInput,
  type RefundOutcome,
} from './orders/refund-order.js';
export type {
  AdminOrderPage,
  AdminOrderDetail,
  AdminEvent,
  AdminWebhookState,
} from './routes/admin-route.js';
export {
  reconcileDue,
  nextCheckDelay,
  EXPIRY_GRACE_MS,
  type ReconcileReport,
} from './orders/reconcile.js';
export {
  ORDER_STATUSES,
  ALLOWED_FROM,
  toPublicOrder,
  type Order,
  type OrderStatus,
  type PublicOrder,
} from './domain/order.js';
export type { OrderRequest, ResolvedPrice, ResolveOrderHook } from './orders/price-order.js';
export type { CreatedOrder } from './orders/place-order.js';
export { createOrderId } from './domain/order-id.js';
export {
  createLogger,
  maskIdentifier,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './logging/create-logger.js';
