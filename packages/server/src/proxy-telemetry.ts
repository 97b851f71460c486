import type { Tracer } from '@opentelemetry/api';
import { adminTokenProblem, assertOption } from './config/checks.js';
import type { ProxyOptions } from './proxy-options.js';
import type { OrderStore } from './store/order-store.js';
import {
  createProxyMetrics,
  type ProxyMetrics,
  type StoreGauges,
} from './telemetry/proxy-metrics.js';

/** The instrumentation scope of every span and metric of the proxy. */
export const TELEMETRY_SCOPE = '@scanforpay/server';

/** `ProxyOptions.telemetry` resolved once: each part undefined when off. */
export interface ResolvedTelemetry {
  /** Spans per request and per gateway call; undefined when tracing is off. */
  tracer: Tracer | undefined;
  /** The business metrics; undefined when metrics are off (no instrument is touched then). */
  metrics: ProxyMetrics | undefined;
  /** `GET /metrics` (token and scrape); undefined when the proxy does not serve it. */
  metricsEndpoint: { token: string; scrape: () => Promise<string> } | undefined;
}

/**
 * The tracer and the instruments from the configured providers. The gauges read the store
 * (two indexed counts) only when the meter collects, i.e. on a scrape or an export.
 */
export function resolveTelemetry(
  options: Pick<ProxyOptions, 'telemetry' | 'store' | 'webhook' | 'onEvent'> & {
    clock: () => number;
  },
): ResolvedTelemetry {
  const { telemetry, store, clock } = options;
  const delivers = options.webhook !== undefined || options.onEvent !== undefined;
  const endpoint = telemetry?.metricsEndpoint;
  if (endpoint) assertOption('telemetry.metricsEndpoint.token', adminTokenProblem(endpoint.token));
  return {
    tracer: telemetry?.tracerProvider?.getTracer(TELEMETRY_SCOPE),
    metrics: telemetry?.meterProvider
      ? createProxyMetrics(telemetry.meterProvider.getMeter(TELEMETRY_SCOPE), () =>
          readGauges(store, clock, delivers),
        )
      : undefined,
    metricsEndpoint: endpoint,
  };
}

async function readGauges(
  store: Pick<OrderStore, 'outboxWaiting' | 'countCheckedPending'>,
  clock: () => number,
  delivers: boolean,
): Promise<StoreGauges> {
  const [outbox, pendingCheckedOrders] = await Promise.all([
    delivers ? store.outboxWaiting() : undefined,
    store.countCheckedPending(),
  ]);
  if (!outbox) return { pendingCheckedOrders };
  const oldest = outbox.oldestCreatedAt;
  return {
    webhookBacklog: outbox.waiting,
    webhookOldestAgeSeconds: oldest === null ? 0 : Math.max(0, (clock() - oldest) / 1000),
    pendingCheckedOrders,
  };
}
