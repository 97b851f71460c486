import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation } from '@opentelemetry/api';
import type { TelemetrySettings } from '../config/parse-telemetry-env.js';
import type { ProxyTelemetry } from '../proxy-options.js';
import { PROMETHEUS_CONTENT_TYPE } from '../routes/metrics-route.js';

export type { TelemetrySettings };

/** What `startProxy` built for metrics and traces; `close` flushes spans and stops the listener. */
export interface NodeTelemetry {
  telemetry: ProxyTelemetry | undefined;
  /** `http://127.0.0.1:<port>/metrics` when `metricsPort` is set. */
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * Builds the OpenTelemetry SDK parts the settings ask for, loading them only then: a
 * `MeterProvider` read by the Prometheus exporter (for `GET /metrics` with `metricsToken`, and/or
 * a listener on `127.0.0.1:metricsPort`), a `TracerProvider` exporting by OTLP/HTTP in batches
 * (`tracesUrl`; `OTEL_EXPORTER_OTLP_HEADERS` adds the collector's headers). Spans need the
 * `AsyncLocalStorage` context manager for the gateway call to be the request's child: it is
 * registered (unless one is already) whenever there is a tracer, the given one included.
 * With nothing set, nothing is loaded and the proxy runs no telemetry code.
 */
export async function startNodeTelemetry(
  settings: TelemetrySettings,
  given: ProxyTelemetry | undefined,
): Promise<NodeTelemetry> {
  const { metricsToken, metricsPort, tracesUrl } = settings;
  const wantsMetrics = metricsToken !== undefined || metricsPort !== undefined;
  if (wantsMetrics && given?.meterProvider) {
    throw new TypeError(
      'metricsToken/metricsPort read the meter provider startProxy builds: leave telemetry.meterProvider unset, or serve your own with telemetry.metricsEndpoint',
    );
  }
  if (tracesUrl && given?.tracerProvider) {
    throw new TypeError(
      'tracesUrl exports through the tracer provider startProxy builds: leave telemetry.tracerProvider unset',
    );
  }
  if (given?.tracerProvider || tracesUrl) await useAsyncContext();
  if (!wantsMetrics && !tracesUrl) return { telemetry: given, metricsUrl: undefined, close: noop };

  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const resource = resourceFromAttributes({
    'service.name': settings.serviceName ?? 'scanforpay-proxy',
  });
  const closers: (() => Promise<void>)[] = [];
  const telemetry: ProxyTelemetry = { ...given };
  let metricsUrl: string | undefined;

  if (wantsMetrics) {
    const { MeterProvider } = await import('@opentelemetry/sdk-metrics');
    const { PrometheusExporter, PrometheusSerializer } =
      await import('@opentelemetry/exporter-prometheus');
    const reader = new PrometheusExporter({ preventServerStart: true });
    const meterProvider = new MeterProvider({ resource, readers: [reader] });
    closers.push(() => meterProvider.shutdown());
    const serializer = new PrometheusSerializer();
    const scrape = async () => serializer.serialize((await reader.collect()).resourceMetrics);
    telemetry.meterProvider = meterProvider;
    if (metricsToken !== undefined) telemetry.metricsEndpoint = { token: metricsToken, scrape };
    if (metricsPort !== undefined) {
      const server = await listenForScrapes(metricsPort, scrape);
      closers.push(() => new Promise((resolve) => server.close(() => resolve())));
      metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    }
  }

  if (tracesUrl) {
    const { TracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [
        new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: tracesUrl }) }),
      ],
    });
    closers.push(() => tracerProvider.shutdown());
    telemetry.tracerProvider = tracerProvider;
  }

  return {
    telemetry,
    metricsUrl,
    async close() {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}

async function noop(): Promise<void> {}

/** The AsyncLocalStorage context manager and the W3C `traceparent` propagator, once per process. */
async function useAsyncContext(): Promise<void> {
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const manager = new AsyncLocalStorageContextManager();
  // False (and nothing changes) when the application registered its own already.
  if (context.setGlobalContextManager(manager.enable())) {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  } else {
    manager.disable();
  }
}

/** `GET /metrics` on 127.0.0.1 only, without a token: for a Prometheus or an agent on this host. */
async function listenForScrapes(port: number, scrape: () => Promise<string>): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    scrape().then(
      (text) => response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('collection failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
