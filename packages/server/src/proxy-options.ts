import type { ScriptCompressor } from './encoding/script-encoding.js';
import type { HashFn, Transport } from '@scanforpay/protocol';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { Context } from 'hono';
import type { Catalog, CatalogItem } from './catalog/parse-catalog.js';
import type { RouteOverrides } from './domain/checkout-context.js';
import type { MerchantEvent } from './domain/merchant-event.js';
import type { FaultHook } from './fault-hook.js';
import type { LogLevel } from './logging/create-logger.js';
import type { RefusedNotificationLimits } from './notify/refusal-budget.js';
import type { ResolveOrderHook } from './orders/price-order.js';
import type { OrderStore } from './store/order-store.js';

export interface ProxyCredentials {
  partnerNo: string;
  storeNo: string;
  /** Never leaves the server: not in a response, a header, a log line or an error. */
  signKey: string;
}

/** The bytes of the button's script-tag bundle, or a loader (undefined while not built). */
export type { ScriptCompressor };

export type ButtonScriptSource =
  | string
  | Uint8Array
  | (() => Promise<string | Uint8Array | undefined> | string | Uint8Array | undefined);

/**
 * Metrics and traces through the OpenTelemetry API: bring the providers (the Node entry builds
 * them from `METRICS_TOKEN`, `METRICS_PORT` and `OTEL_EXPORTER_OTLP_ENDPOINT`). Spans need a
 * context manager registered (`AsyncLocalStorageContextManager`) for the gateway call to be a
 * child of its request's span.
 */
export interface ProxyTelemetry {
  /** One server span per request, a client span per gateway call (with the order id). */
  tracerProvider?: TracerProvider;
  /** Counters, latency histograms and the store gauges (read on each collection). */
  meterProvider?: MeterProvider;
  /**
   * Serves `GET /metrics` behind `Authorization: Bearer <token>` (at least 32 characters):
   * `scrape` returns the Prometheus text, e.g. from `@opentelemetry/exporter-prometheus`.
   */
  metricsEndpoint?: { token: string; scrape: () => Promise<string> };
}

export interface ProxyOptions {
  credentials: ProxyCredentials;
  /** Gateway base URL. Default `https://pay.scanforpay.com`. */
  gatewayUrl?: string;
  /** This proxy's public base URL (with any mount path): builds `notifyUrl` and `returnUrl`. */
  publicUrl: string;
  /** The merchant's result page; the proxy redirects there with `?order=<orderId>`. */
  resultUrl: string;
  /**
   * Storefront origins allowed to call the JSON API (CORS) and create orders, e.g.
   * `['https://shop.example']`, or a predicate. Default: `http(s)://localhost`,
   * `127.0.0.1` and `[::1]` on any port (development only).
   */
  allowedOrigins?: readonly string[] | ((origin: string) => boolean);
  /** The catalog: parsed (`parseCatalog`), as file JSON, or a lookup function. */
  catalog?:
    | Catalog
    | { items: unknown[] }
    | ((id: string) => CatalogItem | undefined | Promise<CatalogItem | undefined>);
  /**
   * Overrides of the routing table from (wallet, context) to the gateway's create endpoint:
   * keys `Wallet` or `Wallet/context`, values `online` (`/api/online/create`) or `qrcode`
   * (`/api/offline/qrcode`), e.g. `{ "Wechat/wechat": "qrcode" }`. A catalog item's own
   * `routes` win. Default: WeChat Pay on a computer → `qrcode`, everything else → `online`.
   */
  routes?: RouteOverrides;
  /** The shop's name on the hosted pay page (`GET /pay/:item`). Default: `publicUrl`'s host. */
  merchantName?: string;
  /** Prices an order in code; return undefined to fall back to the catalog/token. */
  resolveOrder?: ResolveOrderHook;
  /** Enables checkout tokens (`createCheckoutToken`); at least 32 characters. */
  checkoutTokenSecret?: string;
  store: OrderStore;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** Waits `ms` (a request waiting for the first one with its `Idempotency-Key`). Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  /** New order ids (≤ 32 chars, unguessable). Default: time-sortable + 100 random bits. */
  idGenerator?: () => string;
  /** HTTP to the gateway. Default global `fetch`; the Node entry injects keep-alive `node:http`. */
  transport?: Transport;
  /** SHA-256. Default Web Crypto; the Node entry injects `node:crypto`. */
  hash?: HashFn;
  /**
   * Compresses the button script, once per version of it, for `Accept-Encoding`. Default:
   * gzip through the Web `CompressionStream` (no brotli); the Node entry injects `node:zlib`
   * (brotli at quality 11 and gzip at level 9).
   */
  compress?: ScriptCompressor;
  /** Hosts a `payUrl` may point to. Default: the gateway's host (+ scanforpay.com/scan4pay.com subdomains for the real gateway). */
  payUrlHosts?: readonly string[];
  /** `timeoutRule` of new orders and their `expiresAt`, e.g. `30m`, `2h`, `1d`. Default `30m`. */
  orderTimeout?: string;
  /** Order creations per minute per client; `0` disables. Default 60. */
  rateLimit?: number;
  /**
   * Count `rateLimit` in the store (its `countHit`: every SQL store), so every process or
   * isolate on one database shares the limit; otherwise each process counts its own. Default
   * false; `startProxy` turns it on for Postgres, the Workers entry for D1.
   */
  sharedRateLimit?: boolean;
  /** Trust `X-Forwarded-For`: `true` = one proxy hop in front, or the number of hops. Default false. */
  trustProxy?: boolean | number;
  /** The peer address of a request (the Node entry reads the socket). */
  clientAddress?: (c: Context) => string | undefined;
  /** Largest request body in bytes. Default 32 KiB. */
  maxBodyBytes?: number;
  /**
   * How much of refused `POST /notify` traffic (failed verification) is kept, per client and in
   * all: 20 bodies and then 100 digests per client per minute, 1000 rows in the store. A
   * notification that verifies is never counted, limited or refused for volume.
   */
  refusedNotifications?: RefusedNotificationLimits;
  /** Per-attempt gateway timeout for order creation. Default 15000 ms. */
  gatewayTimeoutMs?: number;
  /** Gateway timeout for the payQuery made on `/return`, kept short for the waiting buyer. Default 5000 ms. */
  returnQueryTimeoutMs?: number;
  /** Served at `GET /scanforpay-button.js` and `GET /v/<buttonVersion>/scanforpay-button.js`. */
  buttonScript?: ButtonScriptSource;
  /**
   * The version of `buttonScript` in its pinned URL, `/v/<version>/scanforpay-button.js`
   * (cached for a year as immutable). Default: 16 hex digits of the bundle's sha384. The Node
   * and Workers entries serve `@scanforpay/button`'s own bundle under its package version.
   */
  buttonVersion?: string;
  /**
   * Where merchant events go (`order.paid`, `order.failed`, `order.expired`, `order.refunded`,
   * `order.partially_refunded`): POSTed, signed per Standard Webhooks with `secret`
   * (`whsec_…`), retried with backoff for up to 72 hours. A 410 answer disables delivery.
   */
  webhook?: { url: string; secret: string; timeoutMs?: number };
  /** In-process delivery of the same events (at least once, from the outbox). A throw retries. */
  onEvent?: (event: MerchantEvent) => void | Promise<void>;
  /** Bearer token for `/admin/*` (at least 32 characters); without it the admin routes are off. */
  adminToken?: string;
  /** `fetch` for webhook delivery. Default global `fetch`. */
  fetch?: typeof fetch;
  /** How long after creation a still-pending order is first checked with payQuery. Default 60 000 ms. */
  reconcileAfterMs?: number;
  /**
   * Most payQuery checks per second that reconciliation makes: each pass checks due orders,
   * oldest first, up to this rate times the time since the previous pass. Default 50.
   */
  reconcileRate?: number;
  /**
   * Most checks in one pass, whatever the time since the last. Default 3000 (a minute at the
   * default rate); the Workers entry uses 500, within a Worker's subrequest limit per invocation.
   */
  reconcileMaxPerPass?: number;
  /**
   * payQuery checks per second that anonymous requests may cause (`/return`, result polls past
   * expiry), per process; one per order per 10 s, one in flight per order. Default 10.
   */
  checksPerSecond?: number;
  /** `/return` requests per minute per client that may cause a payQuery; beyond, only the redirect. Default 30. */
  returnRateLimit?: number;
  /**
   * Days that delivered events, verified notifications and idempotency keys are kept; older
   * ones are deleted by the background pass, in batches of 500. Orders, refunds, undelivered
   * events and the bounded refused notifications are never deleted by it. `0` keeps
   * everything. Default 90.
   */
  retentionDays?: number;
  /**
   * Who adds `SECURITY_HEADERS` (CSP, `X-Content-Type-Options`, `X-Frame-Options`, …) to every
   * answer, each unless the route set its own: `'proxy'` (default) on the Web `Response`;
   * `'adapter'` leaves them to the server adapter, which must set them on its native response
   * before the route's headers. The Node entry does so (a dozen `Headers` operations fewer per
   * request).
   */
  securityHeaders?: 'proxy' | 'adapter';
  /** Metrics and traces (OpenTelemetry); off when absent, and then no request pays for them. */
  telemetry?: ProxyTelemetry;
  /** Receives one JSON log line at a time. Default `console.log`. Secrets are scrubbed first. */
  log?: (line: string) => void;
  logLevel?: LogLevel;
  /**
   * Testing only: called and awaited at each step boundary (`FAULT_STEPS`), so a crash test can
   * stop the process exactly there. Not for production.
   */
  faultHook?: FaultHook;
}
