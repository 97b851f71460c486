import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { ProxyMetrics } from '../telemetry/proxy-metrics.js';
import type { ProxyEnv } from './proxy-env.js';

export interface RequestTelemetryOptions {
  /** One server span per request; the gateway calls made for it are its children. */
  tracer?: Tracer | undefined;
  /** `http.server.request.duration` by method, route pattern and status. */
  metrics?: Pick<ProxyMetrics, 'request'> | undefined;
}

/** Reads an incoming `traceparent` (and the like) straight from the Web `Headers`. */
const HEADERS: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * A span and a latency sample per request, named by the route's pattern (`POST /orders`,
 * `GET /orders/:orderId`), never by its raw path. The span's attributes are the method, the
 * route, the status, the request id, the order id (when the route named one) and the problem
 * code: no URL, query, header or body, so no token or buyer id can reach it. Mounted only when
 * telemetry is on: with it off, requests run through no code of it at all.
 */
export function requestTelemetry(options: RequestTelemetryOptions): MiddlewareHandler<ProxyEnv> {
  const { tracer, metrics } = options;

  function finish(c: Parameters<MiddlewareHandler<ProxyEnv>>[0], start: number, span?: Span) {
    const route = routePath(c) || 'unmatched';
    const status = c.res.status;
    metrics?.request(c.req.method, route, status, (performance.now() - start) / 1000);
    if (!span) return;
    span.updateName(`${c.req.method} ${route}`);
    span.setAttribute('http.route', route);
    span.setAttribute('http.response.status_code', status);
    const fields = c.get('logFields');
    if (typeof fields?.orderId === 'string')
      span.setAttribute('scanforpay.order_id', fields.orderId);
    if (typeof fields?.code === 'string') span.setAttribute('scanforpay.problem', fields.code);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }

  return async function requestTelemetry(c, next) {
    const start = performance.now();
    if (!tracer) {
      try {
        await next();
      } finally {
        finish(c, start);
      }
      return;
    }
    const parent = propagation.extract(context.active(), c.req.raw.headers, HEADERS);
    const span = tracer.startSpan(
      c.req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': c.req.method,
          'scanforpay.request_id': c.get('requestId'),
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      finish(c, start, span);
      span.end();
    }
  };
}
