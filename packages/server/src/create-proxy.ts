import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { apiCors } from './middleware/api-cors.js';
import { createWindowCounter } from './limits/window-counter.js';
import { bodySizeLimit } from './middleware/body-size-limit.js';
import { originGuard } from './middleware/origin-guard.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestLog } from './middleware/request-log.js';
import { requestTelemetry } from './middleware/request-telemetry.js';
import { securityHeaders } from './middleware/security-headers.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, type ProblemCode } from './problem.js';
import type { ProxyOptions } from './proxy-options.js';
import { StoreUnavailableError } from './store/sql/sql-driver.js';
import type { ProxyEnv } from './middleware/proxy-env.js';
import { createRuntime, type ProxyRuntime } from './proxy-runtime.js';
import type { OutboxRunResult } from './events/outbox-worker.js';
import { reconcileDue, type ReconcileReport } from './orders/reconcile.js';
import { retentionSchedule, type RetentionReport } from './orders/retention.js';
import { DEFAULTS } from './config/defaults.js';
import { dashboardRoute } from './dashboard/dashboard-route.js';
import { payPageRoute } from './pay-page/pay-page-route.js';
import { adminRoute } from './routes/admin-route.js';
import { adminEventsRoute } from './routes/admin-events-route.js';
import { sendTestEvent } from './events/send-test-event.js';
import { buttonScriptRoute } from './routes/button-script-route.js';
import { checkoutErrorPage, checkoutRoute } from './routes/checkout-route.js';
import { healthRoute } from './routes/health-route.js';
import { metricsRoute } from './routes/metrics-route.js';
import { itemsRoute } from './routes/items-route.js';
import { notifyRoute } from './routes/notify-route.js';
import { openApiRoute } from './routes/openapi-route.js';
import { ordersRoute } from './routes/orders-route.js';
import { payQrRoute } from './routes/pay-qr-route.js';
import { walletMarksRoute } from './routes/wallet-marks-route.js';
import { returnRoute } from './routes/return-route.js';
import { statusPageRoute } from './routes/status-page-route.js';
import { money } from './domain/money.js';
import { shopperLang } from './domain/offer-texts.js';
import { problemMessage } from './domain/shopper-messages.js';

/** What one background pass did. */
export interface BackgroundReport {
  /** Merchant event deliveries; null when no webhook or `onEvent` is configured. */
  events: OutboxRunResult | null;
  /** payQuery checks of pending orders. */
  checks: ReconcileReport;
  /** Old records deleted (`retentionDays`); null when no retention pass ran this time. */
  pruned: RetentionReport | null;
}

/** The proxy: a Hono app (`fetch`, `route`, …) plus its background work. */
export type ScanForPayProxy = Hono<ProxyEnv> & {
  /**
   * Delivers due merchant events, reconciles due pending orders and deletes records past
   * `retentionDays`, once. The Node entry runs it every second; on Workers the cron trigger
   * does. Safe to run from several processes.
   */
  runBackground(): Promise<BackgroundReport>;
  /** Resolves once no background work or event delivery is in flight (graceful shutdown). */
  idle(): Promise<void>;
};

/**
 * The signing proxy as a Hono app: mount it at any base path (and set `publicUrl` to match).
 * Web-standard only; `@scanforpay/server/node` adds SQLite, Postgres, a keep-alive transport
 * and a CLI; `@scanforpay/server/workers` runs it on Cloudflare Workers with D1.
 */
export function createProxy(options: ProxyOptions): ScanForPayProxy {
  const runtime = createRuntime(options);
  const app = new Hono<ProxyEnv>();

  app.use(requestId());
  app.use(requestLog({ logger: runtime.logger }));
  // Only when metrics or traces are on: with both off no request runs any telemetry code.
  if (runtime.tracer || runtime.metrics) {
    app.use(requestTelemetry({ tracer: runtime.tracer, metrics: runtime.metrics }));
  }
  // The Node entry sets them on its native response instead (`securityHeaders: 'adapter'`).
  if (options.securityHeaders !== 'adapter') app.use(securityHeaders());
  app.use(bodySizeLimit({ maxBytes: runtime.maxBodyBytes }));

  // A refused origin is logged once a minute (and at most 100 origins a minute), naming the fix.
  const refusals = createWindowCounter({
    limit: 1,
    windowMs: 60_000,
    now: runtime.clock,
    maxKeys: 100,
  });
  const onRefused = (origin: string) => {
    if (refusals.count(origin).count !== 1) return;
    runtime.logger.warn('origin refused', {
      origin: origin.slice(0, 200),
      fix: 'add it to ALLOWED_ORIGINS if it is your shop',
    });
  };
  const cors = apiCors({
    isOriginAllowed: runtime.isOriginAllowed,
    onRefused,
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    exposeHeaders: ['Retry-After', 'X-Request-Id'],
    maxAgeSeconds: 600,
  });
  app.use('/items/*', cors);
  app.use('/orders', cors);
  app.use('/orders/*', cors);

  const guard = originGuard({ isOriginAllowed: runtime.isOriginAllowed, onRefused });
  const limiter =
    runtime.rateLimit > 0
      ? rateLimit({
          limit: runtime.rateLimit,
          windowMs: 60_000,
          now: runtime.clock,
          key: runtime.clientKey,
          ...(runtime.rateCountHit ? { countHit: runtime.rateCountHit } : {}),
        })
      : undefined;
  app.post('/checkout', async (c, next) => {
    c.set('htmlErrors', true);
    await next();
  });
  for (const path of ['/orders', '/checkout']) {
    app.post(path, guard);
    if (limiter) app.post(path, limiter);
  }

  app.route('/', itemsRoute(runtime));
  app.route('/', payQrRoute(runtime));
  app.route('/', statusPageRoute(runtime));
  app.route('/', ordersRoute(runtime));
  app.route('/', walletMarksRoute());
  app.route('/', checkoutRoute(runtime));
  app.route('/', returnRoute(runtime));
  app.route('/', notifyRoute(runtime));
  app.route('/', buttonScriptRoute(runtime));
  app.route('/', payPageRoute(runtime));
  app.route('/', healthRoute(runtime));
  if (runtime.metricsEndpoint) {
    app.route('/', metricsRoute({ ...runtime, metricsEndpoint: runtime.metricsEndpoint }));
  }
  app.route('/', openApiRoute(runtime));
  // The dashboard first: its pages under /admin/ui answer before the bearer guard of /admin/*.
  app.route('/', dashboardRoute(runtime));
  app.route('/', adminRoute(runtime));
  const { webhook } = runtime;
  app.route(
    '/',
    adminEventsRoute({
      ...runtime,
      sendTestEvent: webhook && ((type) => sendTestEvent({ ...runtime, webhook }, type)),
    }),
  );

  app.notFound(() => {
    throw new ProblemError('not_found', 'no such route');
  });
  app.onError((error, c) => problemResponse(c, error, runtime));
  const prune = retentionSchedule(runtime, {
    days: options.retentionDays ?? DEFAULTS.retentionDays,
  });
  const inFlight = new Set<Promise<unknown>>();
  let lastPassAt: number | undefined;
  return Object.assign(app, {
    runBackground(): Promise<BackgroundReport> {
      const run = (async () => {
        const now = runtime.clock();
        // The checks of this pass follow the backlog up to the rate over the time since the last
        // pass (at least a second's worth, at most a minute's: a Cron Trigger runs each minute).
        const elapsed = lastPassAt === undefined ? 1000 : now - lastPassAt;
        lastPassAt = now;
        const seconds = Math.min(60, Math.max(1, elapsed / 1000));
        const checks = await reconcileDue(
          { ...runtime, changed: () => runtime.changed() },
          {
            maxChecks: Math.max(
              1,
              Math.min(runtime.reconcileMaxPerPass, Math.floor(runtime.reconcileRate * seconds)),
            ),
            concurrency: Math.max(1, Math.min(8, Math.ceil(runtime.reconcileRate / 5))),
          },
        );
        const events = runtime.outbox ? await runtime.outbox.runOnce() : null;
        // Deliveries the checks woke finish inside this pass: on Workers nothing outlives the
        // Cron Trigger's waitUntil, and a run cut off there would hold up later wakes.
        await runtime.outbox?.idle();
        // Last, and never failing the pass: old rows can wait for the next one.
        const pruned = await prune().catch((error: unknown) => {
          runtime.logger.warn('retention pass failed', { error: (error as Error).message });
          return undefined;
        });
        return { events, checks, pruned: pruned ?? null };
      })();
      const settled = run.catch(() => {});
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
      return run;
    },
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all(inFlight);
      await runtime.outbox?.idle();
    },
  });
}

/** The one place an error becomes an HTTP answer. */
function problemResponse(c: Context<ProxyEnv>, error: Error, runtime: ProxyRuntime): Response {
  const problem = toProblem(error);
  if (problem.code === 'internal_error') {
    runtime.logger.error('unhandled error', {
      requestId: c.get('requestId'),
      error: `${error.name}: ${error.message}`,
    });
  } else {
    c.get('logFields').code = problem.code;
  }
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...problem.headers };
  if (c.get('htmlErrors')) {
    const referer = c.req.header('referer');
    const back = referer && isAllowedPage(referer, runtime) ? referer : undefined;
    const lang = shopperLang(c.req.query('lang'), c.req.header('accept-language'));
    return c.html(
      checkoutErrorPage(
        lang,
        problem.status,
        problem.code,
        shopperProblemMessage(c, problem),
        back,
      ),
      contentful(problem.status),
      headers,
    );
  }
  // The shopper's words next to the merchant's `detail`: the button shows `message`.
  const body = { ...problem.toBody(), message: shopperProblemMessage(c, problem) };
  return c.body(JSON.stringify(body), contentful(problem.status), {
    ...headers,
    'content-type': PROBLEM_CONTENT_TYPE,
  });
}

function shopperProblemMessage(c: Context<ProxyEnv>, problem: ProblemError): string {
  const extra = problem.extra ?? {};
  const retryAfter = Number(
    Object.entries(problem.headers ?? {}).find(([name]) => /^retry-after$/i.test(name))?.[1],
  );
  const lang = shopperLang(c.req.query('lang'), c.req.header('accept-language'));
  const { min, max, currency } = extra;
  return problemMessage(lang, {
    code: problem.code,
    retryAfter: Number.isInteger(retryAfter) ? retryAfter : undefined,
    gatewayCode: extra.gatewayCode,
    range:
      typeof min === 'number' && typeof max === 'number' && typeof currency === 'string'
        ? [money(lang, min, currency), money(lang, max, currency)]
        : undefined,
  });
}

function toProblem(error: Error): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof StoreUnavailableError) {
    return new ProblemError('store_unavailable', 'the order store is busy; try again shortly', {
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
      cause: error,
    });
  }
  if (error instanceof HTTPException) {
    const code: ProblemCode | undefined = (
      {
        400: 'invalid_request',
        404: 'not_found',
        405: 'method_not_allowed',
        413: 'payload_too_large',
        415: 'unsupported_media_type',
      } as const
    )[error.status as 400];
    if (code) return new ProblemError(code, undefined, { cause: error });
  }
  return new ProblemError('internal_error', 'something went wrong on the proxy', { cause: error });
}

type ContentfulStatus = 400 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503;
function contentful(status: number): ContentfulStatus {
  return status as ContentfulStatus;
}

function isAllowedPage(url: string, runtime: ProxyRuntime): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
      runtime.isOriginAllowed(parsed.origin)
    );
  } catch {
    return false;
  }
}
