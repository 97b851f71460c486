/**
 * `@scanforpay/server`: what a merchant calls — `createProxy` and its options, the problem codes,
 * catalogs, checkout tokens, merchant events, webhook helpers and the logger. Stores are in
 * `@scanforpay/server/store` (custom stores) and `@scanforpay/server/node` (SQLite, Postgres).
 */
export { createProxy, type ScanForPayProxy, type BackgroundReport } from './create-proxy.js';
export type {
  ProxyOptions,
  ProxyCredentials,
  ButtonScriptSource,
  ScriptCompressor,
  ProxyTelemetry,
} from './proxy-options.js';
export type { RefusedNotificationLimits } from './notify/refusal-budget.js';
export {
  PROBLEM_CODES,
  PROBLEM_CONTENT_TYPE,
  ProblemError,
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
export {
  MERCHANT_EVENT_TYPES,
  type MerchantEvent,
  type MerchantEventType,
  type MerchantEventData,
} from './domain/merchant-event.js';
export { createWebhookSecret, signWebhook } from './events/deliver-webhook.js';
export type { OrderRequest, ResolvedPrice, ResolveOrderHook } from './orders/price-order.js';
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './logging/create-logger.js';
