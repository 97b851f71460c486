import {
  createClient,
  parseTimeoutRule,
  PRODUCTION_API_URL,
  webCryptoSha256,
  type HashFn,
  type ScanForPayClient,
} from '@scanforpay/protocol';
import type { Context } from 'hono';
import { parseCatalog, type Catalog } from './catalog/parse-catalog.js';
import { adminTokenProblem, assertOption } from './config/checks.js';
import { DEFAULTS } from './config/defaults.js';
import { createOutboxWorker, type OutboxWorker } from './events/outbox-worker.js';
import type { FaultHook } from './fault-hook.js';
import { createLogger, createRedactor, type Logger } from './logging/create-logger.js';
import {
  refusedNotificationLimits,
  type RefusedNotificationLimits,
} from './notify/refusal-budget.js';
import { routesProblem, type RouteOverrides } from './domain/checkout-context.js';
import { createOrderId } from './domain/order-id.js';
import { createOrderChecker, type OrderChecker } from './orders/order-checker.js';
import { payUrlMatcher, payUrlSources } from './orders/pay-url-matcher.js';
import { createWindowCounter, type WindowCounter } from './limits/window-counter.js';
import type { ItemLookup, ResolveOrderHook } from './orders/price-order.js';
import type { ButtonScriptSource, ProxyOptions } from './proxy-options.js';
import { webCompress } from './encoding/script-encoding.js';
import { clientKeyReader } from './middleware/client-key.js';
import { buttonBundle, type ButtonBundle } from './encoding/button-bundle.js';
import type { OrderStore } from './store/order-store.js';
import { resolveTelemetry, type ResolvedTelemetry } from './proxy-telemetry.js';
import { instrumentClient } from './telemetry/instrument-client.js';

/** Everything the routes need, resolved once from the options (telemetry's parts included). */
export interface ProxyRuntime extends ResolvedTelemetry {
  credentials: ProxyOptions['credentials'];
  store: OrderStore;
  client: ScanForPayClient;
  returnClient: ScanForPayClient;
  clock: () => number;
  /** Waits between checks of another request's outcome (idempotent replays). */
  sleep: (ms: number) => Promise<void>;
  /** Per-attempt gateway timeout of order creation. */
  gatewayTimeoutMs: number;
  /** Replaces the sign key and the other secrets in a text shown to the merchant. */
  redact: (text: string) => string;
  newOrderId: () => string;
  hash: HashFn;
  logger: Logger;
  lookupItem: ItemLookup;
  /**
   * The static catalog's ids, named in an unknown item's problem to help the merchant; only
   * off the production gateway (a sandbox or test setup), where no catalog is a secret.
   */
  catalogIds?: readonly string[];
  resolveOrder: ResolveOrderHook | undefined;
  checkoutTokenSecret: string | undefined;
  /** The merchant's overrides of the routing table, (wallet, context) → gateway endpoint. */
  routes: RouteOverrides | undefined;
  notifyUrl: string;
  returnUrl: string;
  resultUrl: (orderId?: string) => string;
  isOriginAllowed: (origin: string) => boolean;
  isPayUrlAllowed: (url: string) => boolean;
  /** CSP sources of the pages a `payUrl` may open (a page's `form-action`). */
  payUrlSources: readonly string[];
  /** The shop's name on the hosted pay page. */
  merchantName: string;
  timeoutRule: string;
  timeoutMs: number;
  rateLimit: number;
  /** Counts the rate limit's windows in the store (shared by processes); undefined: in memory. */
  rateCountHit: OrderStore['countHit'];
  clientKey: (c: Context) => string;
  maxBodyBytes: number;
  refusedNotifications: Required<RefusedNotificationLimits>;
  /** The button's script-tag bundle, prepared once per build (forms, ETag, integrity). */
  bundle: ButtonBundle;
  /** Delay from creation to a pending order's first payQuery check. */
  reconcileAfterMs: number;
  /** Most reconciliation checks per second (a pass checks up to this times the time since the last). */
  reconcileRate: number;
  reconcileMaxPerPass: number;
  /** payQuery checks asked for by anonymous requests (`/return`, result polls): coalesced, bounded. */
  checker: OrderChecker;
  /** `/return` requests per minute per client that may cause a check; beyond, the redirect alone. */
  returnLimiter: WindowCounter;
  /** Set when admin routes are on. */
  adminToken: string | undefined;
  /** The merchant webhook endpoint, when one is configured. */
  webhookUrl: string | undefined;
  /** The proxy's public URL, without a trailing slash (the dashboard's links and cookie). */
  publicUrl: string;
  /** The merchant webhook with its secret (the dashboard's signed test event). */
  webhook: ProxyOptions['webhook'];
  fetch: typeof fetch | undefined;
  /** Delivers merchant events; undefined when neither a webhook nor `onEvent` is configured. */
  outbox: OutboxWorker | undefined;
  /**
   * An order changed and its event is in the outbox: deliver soon. Inside a request on Workers
   * the delivery is handed to `waitUntil`, so it outlives the response.
   */
  changed: (c?: Context) => void;
  /** Testing only: awaited at each step boundary; undefined in production. */
  faultHook: FaultHook | undefined;
}

export function createRuntime(options: ProxyOptions): ProxyRuntime {
  const { credentials } = options;
  for (const key of ['partnerNo', 'storeNo', 'signKey'] as const) {
    if (!credentials[key]) throw new TypeError(`credentials.${key} is required`);
  }
  const gatewayUrl = options.gatewayUrl ?? PRODUCTION_API_URL;
  const clock = options.clock ?? Date.now;
  const hash = options.hash ?? webCryptoSha256;
  const base = {
    apiUrl: gatewayUrl,
    ...credentials,
    hash,
    now: () => new Date(clock()),
    ...(options.transport ? { transport: options.transport } : {}),
  };
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const timeoutRule = options.orderTimeout ?? DEFAULTS.orderTimeout;
  const timeoutMs = orderTimeoutMs(timeoutRule);
  const resultUrl = new URL(options.resultUrl);
  if (options.adminToken !== undefined) {
    assertOption('adminToken', adminTokenProblem(options.adminToken));
  }
  if (options.routes !== undefined) assertOption('routes', routesProblem(options.routes));
  const secrets = [
    credentials.signKey,
    options.checkoutTokenSecret,
    options.adminToken,
    options.webhook?.secret,
  ];
  const logger = createLogger({
    ...(options.log ? { write: options.log } : {}),
    ...(options.logLevel ? { level: options.logLevel } : {}),
    secrets,
    now: clock,
  });
  const gatewayTimeoutMs = options.gatewayTimeoutMs ?? DEFAULTS.gatewayTimeoutMs;
  const telemetry = resolveTelemetry({ ...options, clock });
  const outbox =
    options.webhook || options.onEvent
      ? createOutboxWorker({
          store: options.store,
          ...(options.webhook ? { webhook: options.webhook } : {}),
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
          clock,
          logger,
          ...(options.faultHook ? { faultHook: options.faultHook } : {}),
          ...(telemetry.metrics ? { metrics: telemetry.metrics } : {}),
        })
      : undefined;

  const returnClient = instrumentClient(
    createClient({
      ...base,
      timeoutMs: options.returnQueryTimeoutMs ?? DEFAULTS.returnQueryTimeoutMs,
      queryRetries: 0,
    }),
    telemetry,
  );

  return {
    credentials,
    store: options.store,
    client: instrumentClient(createClient({ ...base, timeoutMs: gatewayTimeoutMs }), telemetry),
    returnClient,
    clock,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    gatewayTimeoutMs,
    redact: createRedactor(secrets),
    newOrderId: options.idGenerator ?? (() => createOrderId(clock())),
    hash,
    logger,
    lookupItem: itemLookup(options.catalog),
    catalogIds: gatewayUrl === PRODUCTION_API_URL ? undefined : staticIds(options.catalog),
    resolveOrder: options.resolveOrder,
    checkoutTokenSecret: options.checkoutTokenSecret,
    routes: options.routes,
    notifyUrl: `${publicUrl}/notify`,
    returnUrl: `${publicUrl}/return`,
    resultUrl: (orderId) => {
      const url = new URL(resultUrl);
      if (orderId !== undefined) url.searchParams.set('order', orderId);
      return url.href;
    },
    isOriginAllowed: originMatcher(options.allowedOrigins, new URL(publicUrl).origin),
    isPayUrlAllowed: payUrlMatcher(gatewayUrl, options.payUrlHosts),
    payUrlSources: payUrlSources(gatewayUrl, options.payUrlHosts),
    merchantName: options.merchantName?.trim() || new URL(publicUrl).host,
    timeoutRule,
    timeoutMs,
    rateLimit: options.rateLimit ?? DEFAULTS.rateLimit,
    rateCountHit: sharedCounter(options),
    clientKey: clientKeyReader(options.trustProxy ?? false, options.clientAddress),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    refusedNotifications: refusedNotificationLimits(options.refusedNotifications),
    bundle: buttonBundle({
      buttonScript: scriptLoader(options.buttonScript),
      buttonVersion: options.buttonVersion,
      hash,
      compress: options.compress ?? webCompress,
    }),
    reconcileAfterMs: options.reconcileAfterMs ?? DEFAULTS.reconcileAfterMs,
    reconcileRate: options.reconcileRate ?? DEFAULTS.reconcileRate,
    reconcileMaxPerPass: options.reconcileMaxPerPass ?? DEFAULTS.reconcileMaxPerPass,
    checker: createOrderChecker({
      deps: {
        store: options.store,
        client: returnClient,
        clock,
        logger,
        ...(options.faultHook ? { faultHook: options.faultHook } : {}),
      },
      perSecond: options.checksPerSecond ?? DEFAULTS.checksPerSecond,
    }),
    returnLimiter: createWindowCounter({
      limit: options.returnRateLimit ?? DEFAULTS.returnRateLimit,
      windowMs: 60_000,
      now: clock,
    }),
    adminToken: options.adminToken,
    webhookUrl: options.webhook?.url,
    publicUrl,
    webhook: options.webhook,
    fetch: options.fetch,
    outbox,
    changed: (c) => {
      if (!outbox) return;
      const run = outbox.wake();
      if (!c) return;
      try {
        c.executionCtx.waitUntil(run);
      } catch {
        // Not on Workers: the run simply goes on in this process.
      }
    },
    faultHook: options.faultHook,
    ...telemetry,
  };
}

function sharedCounter({ sharedRateLimit, store }: ProxyOptions): OrderStore['countHit'] {
  if (!sharedRateLimit) return undefined;
  if (!store.countHit) throw new TypeError('sharedRateLimit: the store has no countHit');
  return store.countHit.bind(store);
}

function orderTimeoutMs(rule: string): number {
  try {
    return parseTimeoutRule(rule);
  } catch (error) {
    throw new TypeError(`orderTimeout: ${(error as Error).message}`, { cause: error });
  }
}

function staticIds(catalog: ProxyOptions['catalog']): readonly string[] | undefined {
  if (catalog === undefined || typeof catalog === 'function') return undefined;
  return ('get' in catalog ? catalog : parseCatalog(catalog)).items.map((item) => item.id);
}

function itemLookup(catalog: ProxyOptions['catalog']): ItemLookup {
  if (catalog === undefined) return () => undefined;
  if (typeof catalog === 'function') return catalog;
  const parsed: Catalog = 'get' in catalog ? catalog : parseCatalog(catalog);
  return (id) => parsed.get(id);
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** The allow-list; the proxy's `own` origin always passes (its pay page orders from there). */
export function originMatcher(
  allowed: ProxyOptions['allowedOrigins'],
  own = '',
): (origin: string) => boolean {
  const listed: (origin: string) => boolean =
    allowed === undefined
      ? (origin) => LOCAL_ORIGIN.test(origin)
      : typeof allowed === 'function'
        ? allowed
        : (origin) => set.has(origin.toLowerCase());
  const set = new Set(
    Array.isArray(allowed) ? allowed.map((o) => o.replace(/\/+$/, '').toLowerCase()) : [],
  );
  return (origin) => origin.toLowerCase() === own || listed(origin);
}

function scriptLoader(
  source: ButtonScriptSource | undefined,
): () => Promise<string | Uint8Array | undefined> {
  if (source === undefined) return () => Promise.resolve(undefined);
  if (typeof source === 'function') return async () => source();
  return () => Promise.resolve(source);
}
