import { FIRST_CHECK_AFTER_MS } from '../domain/reconciliation.js';

/**
 * Every default of the proxy's options, once. `createRuntime`, `startProxy`, the env parser
 * and the admin CLI read them here; the option docs (`ProxyOptions`, the README) repeat them
 * for readers only.
 */
export const DEFAULTS = {
  /** `timeoutRule` of new orders (`ORDER_TIMEOUT`). */
  orderTimeout: '30m',
  /** Order creations per minute per client (`RATE_LIMIT`); 0 disables. */
  rateLimit: 60,
  /** One webhook delivery, answer included (`WEBHOOK_TIMEOUT_MS`). */
  webhookTimeoutMs: 10_000,
  /** From creation to a pending order's first payQuery check (`RECONCILE_AFTER`). */
  reconcileAfterMs: FIRST_CHECK_AFTER_MS,
  /** Most reconciliation checks per second. */
  reconcileRate: 50,
  /** Most reconciliation checks in one pass (a minute at the default rate). */
  reconcileMaxPerPass: 3000,
  /** payQuery checks per second asked for by anonymous requests (`/return`, result polls). */
  checksPerSecond: 10,
  /** `/return` requests per minute per client that may cause a payQuery. */
  returnRateLimit: 30,
  /** Per-attempt gateway timeout of order creation. */
  gatewayTimeoutMs: 15_000,
  /** Gateway timeout of `/return`'s payQuery, short for the waiting buyer. */
  returnQueryTimeoutMs: 5_000,
  /** Largest request body in bytes. */
  maxBodyBytes: 32 * 1024,
  /** Delivered events, verified notifications and idempotency keys are kept this many days (`RETENTION_DAYS`). */
  retentionDays: 90,
  /** Node entry: the port (`PORT`); 0 picks a free one. */
  port: 8787,
  /** Node entry: the address listened on (`HOST`). */
  host: '127.0.0.1',
  /** Node entry: the SQLite file when no store or Postgres URL is given (`DATABASE_URL`). */
  databasePath: './scanforpay.db',
  /** Node entry: the catalog file (`CATALOG`). */
  catalogPath: './catalog.json',
} as const;
