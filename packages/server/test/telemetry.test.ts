import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckoutToken, createWebhookSecret } from '@scanforpay/server';
import { createSqliteStore, startProxy } from '@scanforpay/server/node';
import { startNodeTelemetry, type NodeTelemetry } from '../src/node/node-telemetry.js';
import { CATALOG } from './helpers/catalog.js';
import { createHarness, eventually, SHOP_ORIGIN, type Harness } from './helpers/harness.js';
import { captureLine, captureResponse, TOKEN_SECRET } from './helpers/traffic.js';

/**
 * Metrics and traces on Node (SQLite), over loopback: real purchases through the real sandbox,
 * then the Prometheus scrape of `GET /metrics` (exact counters, the store gauges) and the spans
 * an in-memory exporter collected (the request → gateway tree). Neither holds a secret, a token
 * or a buyer id.
 */
const METRICS_TOKEN = 'metrics-token-0123456789abcdefghijklmnop';
const ADMIN_TOKEN = 'admin-token-0123456789abcdefghijklmnopqrs';
const WEBHOOK_SECRET = createWebhookSecret();

let h: Harness;
let node: NodeTelemetry;
let receiver: Server;
const spans = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({
  spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
});
/** Webhook deliveries the receiver saw, by event type; `order.refunded` is answered 503. */
const received: string[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const type = (JSON.parse(body) as { type: string }).type;
      received.push(type);
      response.writeHead(type === 'order.refunded' ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  node = await startNodeTelemetry(
    { metricsToken: METRICS_TOKEN, metricsPort: 0 },
    { tracerProvider },
  );
  h = await createHarness({
    proxy: {
      telemetry: node.telemetry!,
      adminToken: ADMIN_TOKEN,
      webhook: {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        secret: WEBHOOK_SECRET,
      },
    },
  });
});

afterAll(async () => {
  await h.app.idle();
  await h.close();
  await node.close();
  await tracerProvider.shutdown();
  await new Promise((resolve) => receiver.close(resolve));
});

async function scrape(init: RequestInit = {}): Promise<Response> {
  return captureResponse(await fetch(`${h.proxyUrl}/metrics`, init));
}

/** The sample of `name` whose labels include `labels` (exactly one must match). */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = text
    .split('\n')
    .map((line) => /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/i.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === name)
    .filter((m) => {
      const have = new Map([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
      return Object.entries(labels).every(([key, value]) => have.get(key) === value);
    });
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match`);
  return found[0] ? Number(found[0][3]) : undefined;
}

let paid = '';
let pending = '';
let checkoutToken = '';
const buyerIds: string[] = [];

describe('a purchase, a refund and a reconciliation, then the scrape', () => {
  it('counts them exactly and reads the gauges from the store', async () => {
    // 1. An Alipay order, paid in the sandbox: its notification applies, its event is delivered.
    const created = await h.createOrder({ item: 'tee-red', wallet: 'Alipay' });
    expect(created.status).toBe(201);
    paid = ((await created.json()) as { orderId: string }).orderId;
    await h.control(`/orders/${paid}/pay`);
    await eventually(async () => (received.includes('order.paid') ? true : undefined));
    // The buyer's identifiers, as the gateway sent them in the notification.
    const [notification] = await h.store.listNotifications(paid);
    for (const field of ['buyerId', 'buyer']) {
      buyerIds.push(new RegExp(`"${field}":"([^"]+)"`).exec(notification!.rawBody)![1]!);
    }

    // 2. The buyer comes back; a forged notification is refused.
    const back = await h.request('/return', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `partnerOrderNo=${paid}`,
    });
    expect(back.status).toBe(303);
    const forged = await h.request('/notify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"request":{"header":{},"body":{}},"signature":"' + '0'.repeat(64) + '"}',
    });
    expect(forged.status).toBe(400);

    // 3. An AlipayHK order priced by a checkout token, left unpaid; one the gateway refuses.
    checkoutToken = await createCheckoutToken({
      secret: TOKEN_SECRET,
      amount: 4200,
      currency: 'HKD',
      title: 'Cart',
    });
    const second = await h.createOrder({ token: checkoutToken, wallet: 'AlipayHK' });
    expect(second.status).toBe(201);
    pending = ((await second.json()) as { orderId: string }).orderId;
    await h.control('/chaos', { apiCode: 1099, apiMsg: 'refused', apiTimes: 1 });
    const refused = await h.createOrder({ item: 'tee-red', wallet: 'Alipay' });
    expect(refused.status).toBe(502);
    expect(await refused.json()).toMatchObject({ code: 'gateway_error' });

    // 4. A refund of the paid order: its event is answered 503 and waits for a retry.
    const refund = await h.request(`/admin/orders/${paid}/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refund.status).toBe(201);
    await eventually(async () => (received.includes('order.refunded') ? true : undefined));
    await h.app.idle();

    // 5. Past its first check, reconciliation asks about the unpaid order: still unpaid. The same
    // pass tries the refund's event again: a second 503.
    h.advance(61_000);
    expect((await h.app.runBackground()).checks).toMatchObject({ checked: 1, rescheduled: 1 });
    h.advance(120_000);

    const response = await scrape({ headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    const orders = 'scanforpay_orders_created_total';
    expect(sample(text, orders, { wallet: 'Alipay', outcome: 'created' })).toBe(1);
    expect(sample(text, orders, { wallet: 'AlipayHK', outcome: 'created' })).toBe(1);
    expect(sample(text, orders, { wallet: 'Alipay', outcome: 'gateway_error' })).toBe(1);
    const notifications = 'scanforpay_notifications_total';
    expect(sample(text, notifications, { outcome: 'applied' })).toBe(1);
    expect(sample(text, notifications, { outcome: 'rejected', reason: 'unexpected_kind' })).toBe(1);
    expect(sample(text, 'scanforpay_returns_total', { outcome: 'already_final' })).toBe(1);
    expect(sample(text, 'scanforpay_refunds_total', { outcome: 'succeeded' })).toBe(1);
    const checks = 'scanforpay_reconciliation_checks_total';
    expect(sample(text, checks, { outcome: 'rescheduled' })).toBe(1);
    const deliveries = 'scanforpay_webhook_deliveries_total';
    expect(sample(text, deliveries, { outcome: 'delivered' })).toBe(1);
    expect(sample(text, deliveries, { outcome: 'retry' })).toBe(2);
    // Latency by route pattern and by gateway endpoint and outcome.
    const requests = 'http_server_request_duration_count';
    expect(
      sample(text, requests, { http_route: '/orders', http_response_status_code: '201' }),
    ).toBe(2);
    expect(sample(text, requests, { http_route: '/admin/orders/:orderId/refunds' })).toBe(1);
    expect(text).not.toContain(paid);
    const gateway = 'scanforpay_gateway_duration_count';
    expect(sample(text, gateway, { endpoint: '/api/online/create', outcome: 'ok' })).toBe(2);
    expect(sample(text, gateway, { endpoint: '/api/online/create', outcome: 'refused' })).toBe(1);
    expect(sample(text, gateway, { endpoint: '/api/common/payQuery', outcome: 'ok' })).toBe(1);
    expect(sample(text, gateway, { endpoint: '/api/common/refund', outcome: 'ok' })).toBe(1);
    // The gauges, read from the store at the scrape: the refund's event waits (since 121 s).
    expect(sample(text, 'scanforpay_webhook_backlog')).toBe(1);
    const age = sample(text, 'scanforpay_webhook_oldest_age')!;
    expect(age).toBeGreaterThanOrEqual(181);
    expect(age).toBeLessThan(240);
    expect(sample(text, 'scanforpay_orders_pending_checked')).toBe(1);

    // The loopback listener serves the same exposition without a token.
    const local = await fetch(node.metricsUrl!);
    expect(local.status).toBe(200);
    expect(sample(await local.text(), orders, { wallet: 'Alipay', outcome: 'created' })).toBe(1);
  });

  it('refuses a scrape without the token, or with a wrong one, with a 401 problem', async () => {
    for (const [authorization, detail] of [
      [undefined, 'send the metrics token as Authorization: Bearer <METRICS_TOKEN>'],
      [`Bearer ${ADMIN_TOKEN}`, 'the metrics token is not valid'],
    ] as const) {
      const response = await scrape(authorization ? { headers: { authorization } } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ code: 'unauthorized', status: 401, detail });
    }
  });
});

describe('spans', () => {
  const byName = (name: string) => all().filter((span) => span.name === name);
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it('one per request, the gateway call its child, with the order id', () => {
    const [create] = byName('POST /orders');
    expect(create).toBeDefined();
    expect(create!.kind).toBe(SpanKind.SERVER);
    expect(create!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/orders',
      'http.response.status_code': 201,
      'scanforpay.order_id': paid,
    });
    const calls = all().filter((span) => parentOf(span) === create!.spanContext().spanId);
    expect(calls.map((span) => [span.name, span.kind, span.attributes])).toEqual([
      [
        'POST /api/online/create',
        SpanKind.CLIENT,
        {
          'http.request.method': 'POST',
          'scanforpay.gateway.endpoint': '/api/online/create',
          'scanforpay.order_id': paid,
          'scanforpay.gateway.outcome': 'ok',
        },
      ],
    ]);
    expect(calls[0]!.spanContext().traceId).toBe(create!.spanContext().traceId);

    const [refund] = byName('POST /admin/orders/:orderId/refunds');
    const refundCall = all().find((span) => parentOf(span) === refund!.spanContext().spanId);
    expect(refundCall?.name).toBe('POST /api/common/refund');
    // The refused creation: an error span with the outcome, never the gateway's words.
    const refusedCall = all().find(
      (span) => span.attributes['scanforpay.gateway.outcome'] === 'refused',
    );
    expect(refusedCall?.status).toEqual({ code: 2, message: 'refused' });
    // Background checks are traces of their own (no request is active).
    const query = byName('POST /api/common/payQuery');
    expect(query.map((span) => [parentOf(span), span.attributes['scanforpay.order_id']])).toEqual([
      [undefined, pending],
    ]);
  });

  it('continues an incoming W3C trace', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await h.request('/healthz', { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    const [health] = byName('GET /healthz');
    expect(health?.spanContext().traceId).toBe(traceId);
    expect(parentOf(health!)).toBe('b7ad6b7169203331');
  });
});

describe('no secret, token or buyer id', () => {
  it('in the scrape or in any span', async () => {
    const scraped = await (
      await scrape({ headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    const exported = JSON.stringify(
      all().map((span) => [span.name, span.attributes, span.status, span.events, span.links]),
    );
    captureLine(exported);
    const forbidden = [
      DEFAULT_PARTNER.signKey,
      TOKEN_SECRET,
      checkoutToken,
      ADMIN_TOKEN,
      METRICS_TOKEN,
      WEBHOOK_SECRET,
      ...buyerIds,
    ];
    expect(buyerIds).toEqual([expect.stringMatching(/^2088\d{12}$/), expect.any(String)]);
    for (const text of [scraped, exported]) {
      for (const secret of forbidden) expect(text.includes(secret), secret.slice(0, 6)).toBe(false);
    }
  });
});

function all(): ReadableSpan[] {
  return spans.getFinishedSpans();
}

describe('startProxy', () => {
  it('serves /metrics from METRICS_TOKEN and nothing from telemetry when off', async () => {
    const base = {
      credentials: { ...DEFAULT_PARTNER },
      gatewayUrl: 'http://127.0.0.1:9',
      resultUrl: 'https://shop.example/thanks',
      catalog: CATALOG,
      port: 0,
      backgroundIntervalMs: 0,
      log: captureLine,
    };
    const on = await startProxy({
      ...base,
      store: createSqliteStore({ path: ':memory:' }),
      metricsToken: METRICS_TOKEN,
    });
    const off = await startProxy({ ...base, store: createSqliteStore({ path: ':memory:' }) });
    try {
      const scraped = await fetch(`${on.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}`, origin: SHOP_ORIGIN },
      });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('# TYPE scanforpay_orders_pending_checked gauge');
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
      const store = createSqliteStore({ path: ':memory:' });
      await expect(
        startProxy({
          ...base,
          store,
          metricsToken: METRICS_TOKEN,
          telemetry: { meterProvider: new MeterProvider() },
        }),
      ).rejects.toThrow('metricsToken/metricsPort read the meter provider startProxy builds');
      await store.close();
    } finally {
      await on.close();
      await off.close();
    }
  });
});
