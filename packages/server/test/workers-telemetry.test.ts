import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PARTNER, startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_BUILD, WORKERS_ENTRY } from './helpers/build-worker.js';
import { CATALOG } from './helpers/catalog.js';
import { eventually } from './helpers/harness.js';
import { freePort } from './helpers/processes.js';
import { captureLine, captureResponse } from './helpers/traffic.js';

/**
 * The Workers entry with the proxy's own telemetry, in workerd: a worker built as a merchant
 * would (`createWorker({ telemetry })` with `@opentelemetry/sdk-trace` and
 * `@opentelemetry/sdk-metrics`, the `nodejs_compat` flag and the `AsyncLocalStorage` context
 * manager) makes the same spans (request → gateway child, with the order id) and the same
 * counters as Node. Its two extra routes hand the collected spans and metrics to the test.
 */
const ENTRY = `
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createWorker } from ${JSON.stringify(WORKERS_ENTRY)};

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const spans = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
class PullReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}
const reader = new PullReader();
const meterProvider = new MeterProvider({ readers: [reader] });
const worker = createWorker({ telemetry: { tracerProvider, meterProvider } });

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/__spans') {
      return Response.json(spans.getFinishedSpans().map((span) => ({
        name: span.name,
        id: span.spanContext().spanId,
        parent: span.parentSpanContext?.spanId,
        attributes: span.attributes,
      })));
    }
    if (pathname === '/__metrics') {
      const { resourceMetrics } = await reader.collect();
      return Response.json(resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => ({
        name: metric.descriptor.name,
        points: metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value })),
      }))));
    }
    return worker.fetch(request, env, ctx);
  },
  scheduled: worker.scheduled,
};
`;

interface ExportedSpan {
  name: string;
  id: string;
  parent?: string;
  attributes: Record<string, unknown>;
}
interface ExportedMetric {
  name: string;
  points: { attributes: Record<string, string>; value: unknown }[];
}

const dir = mkdtempSync(join(tmpdir(), 'scanforpay-workers-otel-'));
let sandbox: RunningSandbox;
let mf: Miniflare;
let base: string;

beforeAll(async () => {
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, ENTRY);
  await build({
    ...WORKER_BUILD,
    entryPoints: [entry],
    outfile: join(dir, 'worker.js'),
    write: true,
    // The context manager's AsyncLocalStorage (and EventEmitter) come from nodejs_compat.
    external: ['async_hooks', 'events', 'node:*'],
    nodePaths: [join(import.meta.dirname, '..', 'node_modules')],
  });
  sandbox = await startSandbox({ port: 0, control: true, notifySchedule: [0], log: captureLine });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  mf = new Miniflare({
    host: '127.0.0.1',
    port,
    modules: true,
    modulesRoot: dir,
    scriptPath: join(dir, 'worker.js'),
    compatibilityDate: '2026-04-26',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: ['DB'],
    bindings: {
      SCANFORPAY_PARTNER_NO: DEFAULT_PARTNER.partnerNo,
      SCANFORPAY_STORE_NO: DEFAULT_PARTNER.storeNo,
      SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey,
      SCANFORPAY_API_URL: sandbox.url,
      PUBLIC_URL: base,
      RESULT_URL: 'https://shop.example/thanks',
      ALLOWED_ORIGINS: 'https://shop.example',
      CATALOG: JSON.stringify(CATALOG),
    },
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(path: string, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  headers.set('connection', 'close');
  return captureResponse(await fetch(base + path, { ...init, headers }));
}

describe('telemetry on Workers (workerd)', () => {
  it('a purchase: the request span with the gateway call as its child, and the counters', async () => {
    const created = await call('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.example' },
      body: JSON.stringify({ item: 'tee-red', wallet: 'Alipay' }),
    });
    expect(created.status).toBe(201);
    const { orderId } = (await created.json()) as { orderId: string };
    await fetch(`${sandbox.url}/__sandbox/orders/${orderId}/pay`, { method: 'POST' });
    await eventually(async () => {
      const order = (await (await call(`/orders/${orderId}`)).json()) as { status: string };
      return order.status === 'paid' ? true : undefined;
    });

    const spans = (await (await call('/__spans')).json()) as ExportedSpan[];
    const request = spans.find((span) => span.name === 'POST /orders')!;
    expect(request.attributes).toMatchObject({
      'http.route': '/orders',
      'http.response.status_code': 201,
      'scanforpay.order_id': orderId,
    });
    expect(spans.filter((span) => span.parent === request.id)).toEqual([
      expect.objectContaining({
        name: 'POST /api/online/create',
        attributes: expect.objectContaining({
          'scanforpay.order_id': orderId,
          'scanforpay.gateway.outcome': 'ok',
        }),
      }),
    ]);
    expect(JSON.stringify(spans)).not.toContain(DEFAULT_PARTNER.signKey);

    const metrics = (await (await call('/__metrics')).json()) as ExportedMetric[];
    const points = (name: string) => metrics.find((metric) => metric.name === name)?.points;
    expect(points('scanforpay.orders.created')).toEqual([
      { attributes: { wallet: 'Alipay', outcome: 'created' }, value: 1 },
    ]);
    expect(points('scanforpay.notifications')).toEqual([
      { attributes: { outcome: 'applied' }, value: 1 },
    ]);
    // The gauges read D1 on collection; with no webhook nothing delivers: no backlog reported.
    expect(points('scanforpay.orders.pending_checked')).toEqual([{ attributes: {}, value: 0 }]);
    expect(points('scanforpay.webhook.backlog') ?? []).toEqual([]);
  });
});
