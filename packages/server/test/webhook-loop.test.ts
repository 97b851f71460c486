import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProxy } from '@scanforpay/server';
import { createSqliteStore } from '@scanforpay/server/node';
import {
  createWebhookSecret,
  verifyMerchantWebhook,
  type MerchantEvent,
} from '@scanforpay/server/webhook';
import { runAdminCli } from '../src/node/admin-cli/run-admin-cli.js';
import { CATALOG } from './helpers/catalog.js';
import { createHarness, eventually, RESULT_URL, type Harness } from './helpers/harness.js';
import { captureLine } from './helpers/traffic.js';

/**
 * The webhook developer loop of `scanforpay-proxy`, in process, against the real sandbox and
 * a real receiver (node:http) on loopback: `webhook test`, `trigger <event>` (the whole flow:
 * order, sandbox payment, notification, delivery) and `events resend`.
 */
const TOKEN = 'loop-'.repeat(8);
const SECRET = createWebhookSecret();
let h: Harness;
let receiver: Server;
let hookUrl: string;
let reply = { status: 200, body: '{"received":true}' };
let received: { headers: IncomingHttpHeaders; event: MerchantEvent }[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        event: verifyMerchantWebhook(body, request.headers, SECRET),
      });
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  h = await createHarness({
    proxy: { adminToken: TOKEN, webhook: { url: hookUrl, secret: SECRET } },
  });
}, 30_000);

afterAll(async () => {
  await h?.close();
  await new Promise((done) => receiver?.close(done));
});

beforeEach(() => {
  reply = { status: 200, body: '{"received":true}' };
  received = [];
});

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** The CLI as `scanforpay-proxy <args>` in the proxy's directory (its .env merged in). */
async function cli(
  args: string[],
  env: Record<string, string> = {},
  fetchFn?: typeof fetch,
): Promise<Run> {
  const out = { stdout: '', stderr: '' };
  const code = await runAdminCli(args, {
    env: { ADMIN_TOKEN: TOKEN, PROXY_URL: h.proxyUrl, SCANFORPAY_API_URL: h.sandbox!.url, ...env },
    stdout: (text) => (out.stdout += text),
    stderr: (text) => (out.stderr += text),
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });
  const lines = (text: string) => text.split('\n').filter(Boolean);
  for (const line of [...lines(out.stdout), ...lines(out.stderr)]) captureLine(line);
  return { code, stdout: lines(out.stdout), stderr: lines(out.stderr) };
}

/** A proxy without a socket (no sandbox), answered through the CLI's `fetch`. */
function offlineProxy(webhook?: { url: string; secret: string }): typeof fetch {
  const app = createProxy({
    credentials: {
      partnerNo: '100000000000001',
      storeNo: '200000000000001',
      signKey: 'k'.repeat(16),
    },
    publicUrl: 'http://127.0.0.1:1',
    resultUrl: RESULT_URL,
    gatewayUrl: 'http://127.0.0.1:9',
    catalog: CATALOG,
    store: createSqliteStore({ path: ':memory:' }),
    adminToken: TOKEN,
    log: captureLine,
    ...(webhook ? { webhook } : {}),
  });
  return (input, init) => Promise.resolve(app.request(String(input), init));
}

const orderIdOf = (line: string | undefined) =>
  /^order (\S+) created: /.exec(line ?? '')?.[1] ?? '';
const evtOf = (line: string | undefined) => /^event (evt_\S+) /.exec(line ?? '')?.[1] ?? '';

describe('scanforpay-proxy webhook test', () => {
  it('sends a signed sample order.paid and prints the receiver’s status and answer', async () => {
    const run = await cli(['webhook', 'test']);
    expect(run).toMatchObject({ code: 0, stderr: [] });
    expect(received).toHaveLength(1);
    const [{ event, headers }] = received as [(typeof received)[number]];
    expect(event.id).toMatch(/^evt_test_[0-9a-f]{24}$/);
    expect(headers['webhook-id']).toBe(event.id);
    expect(event).toMatchObject({
      type: 'order.paid',
      data: { status: 'paid', amount: 19900, currency: 'HKD', reference: 'scanforpay-proxy test' },
    });
    expect(event.data.orderId).toMatch(/^test_[0-9a-f]{20}$/);
    expect(run.stdout).toEqual([
      `sent order.paid test event ${event.id} to ${hookUrl}`,
      'HTTP 200: {"received":true}',
    ]);
  });

  it('says what the receiver answered when it is not 2xx, in one line, exit 1', async () => {
    reply = { status: 500, body: '  {"error":\n"handler crashed"}  ' };
    const run = await cli(['webhook', 'test', '--type', 'order.partially_refunded']);
    expect(received[0]?.event).toMatchObject({
      type: 'order.partially_refunded',
      data: { refundedAmount: 5000, refund: { amount: 5000 } },
    });
    expect(run).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        `scanforpay-proxy: the receiver at ${hookUrl} answered HTTP 500: {"error": "handler crashed"}`,
      ],
    });
  });

  it('says when no webhook is configured, the receiver is unreachable, or the type is unknown', async () => {
    const none = await cli(['webhook', 'test'], {}, offlineProxy());
    expect(none).toEqual({
      code: 1,
      stdout: [],
      stderr: ['scanforpay-proxy: no merchant webhook is configured (MERCHANT_WEBHOOK_URL)'],
    });
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hooks`;
    await new Promise((done) => closed.close(done));
    const dead = await cli(['webhook', 'test'], {}, offlineProxy({ url: deadUrl, secret: SECRET }));
    expect(dead).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        `scanforpay-proxy: cannot reach the receiver at ${deadUrl}: network error (ECONNREFUSED)`,
      ],
    });
    const bad = await cli(['webhook', 'test', '--type', 'order.shipped']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toEqual([
      'scanforpay-proxy: --type: one of order.paid, order.failed, order.expired, order.refunded, ' +
        'order.partially_refunded, webhook.test (see scanforpay-proxy --help)',
    ]);
    expect(received).toEqual([]);
  });
});

describe('scanforpay-proxy trigger', () => {
  it('order.paid: creates an order, pays it at the sandbox, and follows the event to the receiver', async () => {
    const catalog = join(h.dir, 'catalog.json');
    writeFileSync(catalog, JSON.stringify(CATALOG));
    const run = await cli(['trigger', 'order.paid'], { CATALOG: catalog });
    expect(run.stderr).toEqual([]);
    const orderId = orderIdOf(run.stdout[0]);
    const eventId = evtOf(run.stdout[2]);
    expect(run).toEqual({
      code: 0,
      stderr: [],
      stdout: [
        `order ${orderId} created: Red tee, HK$199.00, AlipayHK`,
        `order ${orderId} paid at the sandbox; its signed notification reached /notify`,
        `event ${eventId} order.paid delivered to ${hookUrl}`,
      ],
    });
    expect(received.map((r) => [r.event.id, r.event.type, r.event.data.orderId])).toEqual([
      [eventId, 'order.paid', orderId],
    ]);
    expect(received[0]!.event.data).toMatchObject({
      status: 'paid',
      reference: 'scanforpay-proxy trigger',
    });
    // The order became paid through the sandbox's signed notification, acknowledged by /notify.
    const { notifications } = (await h.control(`/notifications?partnerOrderNo=${orderId}`)) as {
      notifications: { acknowledged: boolean }[];
    };
    expect(notifications.some((n) => n.acknowledged)).toBe(true);
  });

  it('order.failed: fails it at the sandbox; the shopper’s return confirms it', async () => {
    const run = await cli(['trigger', 'order.failed', '--item', 'donation', '--wallet', 'Wechat']);
    const orderId = orderIdOf(run.stdout[0]);
    const eventId = evtOf(run.stdout[2]);
    expect(run).toEqual({
      code: 0,
      stderr: [],
      stdout: [
        `order ${orderId} created: Donation, HK$10.00, Wechat`,
        `order ${orderId} failed at the sandbox; /return confirmed it with payQuery`,
        `event ${eventId} order.failed delivered to ${hookUrl}`,
      ],
    });
    expect(received.map((r) => r.event.type)).toEqual(['order.failed']);
  });

  it('order.partially_refunded: pays, refunds half through the admin API, delivers both events', async () => {
    const run = await cli(['trigger', 'order.partially_refunded', '--item', 'tee-red']);
    const orderId = orderIdOf(run.stdout[0]);
    const refundNo = /\(refund (\S+)\)/.exec(run.stdout[2] ?? '')?.[1];
    const eventId = evtOf(run.stdout[3]);
    expect(run).toEqual({
      code: 0,
      stderr: [],
      stdout: [
        `order ${orderId} created: Red tee, HK$199.00, AlipayHK`,
        `order ${orderId} paid at the sandbox; its signed notification reached /notify`,
        `HK$99.50 refunded (refund ${refundNo}): order ${orderId} is partially_refunded`,
        `event ${eventId} order.partially_refunded delivered to ${hookUrl}`,
      ],
    });
    expect(received.map((r) => r.event.type).sort()).toEqual([
      'order.paid',
      'order.partially_refunded',
    ]);
  });

  it('refuses the production gateway, a URL that is no sandbox, and order.expired; sends nothing', async () => {
    const orders = async () => (await h.query('SELECT COUNT(*) AS n FROM orders'))[0]!.n;
    const before = await orders();
    const production = await cli(['trigger', 'order.paid'], { SCANFORPAY_API_URL: '' });
    expect(production).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        'scanforpay-proxy: refusing to trigger against the production gateway https://pay.scanforpay.com ' +
          '(SCANFORPAY_API_URL is not set): trigger only drives the local sandbox; point ' +
          'SCANFORPAY_API_URL (or --sandbox) at it',
      ],
    });
    const official = await cli(['trigger', 'order.paid', '--sandbox', 'https://api.scan4pay.com']);
    expect(official.stderr[0]).toMatch(
      /^scanforpay-proxy: refusing to trigger against the production gateway https:\/\/api\.scan4pay\.com: /,
    );
    const notSandbox = await cli(['trigger', 'order.paid', '--sandbox', h.proxyUrl]);
    expect(notSandbox).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        `scanforpay-proxy: ${h.proxyUrl} is not a ScanForPay sandbox with its control API (/__sandbox/): trigger only drives the local sandbox`,
      ],
    });
    const expired = await cli(['trigger', 'order.expired']);
    expect(expired.code).toBe(2);
    expect(expired.stderr[0]).toMatch(/^scanforpay-proxy: order\.expired cannot be triggered: /);
    expect(await orders()).toBe(before);
    expect(received).toEqual([]);
  });
});

describe('scanforpay-proxy events', () => {
  it('resends a delivered event with the same webhook-id and follows it; an unknown id is one line', async () => {
    const trigger = await cli(['trigger', 'order.paid', '--item', 'tee-red']);
    const orderId = orderIdOf(trigger.stdout[0]);
    const eventId = evtOf(trigger.stdout[2]);
    const run = await cli(['events', 'resend', eventId]);
    expect(run).toEqual({
      code: 0,
      stderr: [],
      stdout: [
        `event ${eventId} (order.paid, order ${orderId}) queued again for ${hookUrl}`,
        `event ${eventId} order.paid delivered to ${hookUrl}`,
      ],
    });
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);

    reply = { status: 503, body: 'down for maintenance' };
    const failed = await cli(['events', 'resend', eventId]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toEqual([
      `event ${eventId} (order.paid, order ${orderId}) queued again for ${hookUrl}`,
    ]);
    expect(failed.stderr).toEqual([
      `scanforpay-proxy: event ${eventId} order.paid was not delivered to ${hookUrl}: HTTP 503 ` +
        `(attempt 3; the proxy retries it with backoff, or run scanforpay-proxy events resend ${eventId})`,
    ]);
    const shown = await cli(['events', 'show', eventId]);
    expect(shown.stdout[0]).toMatch(
      new RegExp(
        `^${eventId}  order\\.paid  order ${orderId}  created \\S+Z  waiting, 3 attempts \\(last: HTTP 503\\)$`,
      ),
    );

    // The receiver retires the endpoint (410 Gone): the event waits, and the command says why.
    reply = { status: 410, body: '' };
    const gone = await cli(['events', 'resend', eventId]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toEqual([
      `scanforpay-proxy: event ${eventId} order.paid waits: the webhook ${hookUrl} is disabled ` +
        '(it answered 410 Gone); scanforpay-proxy webhook enable sends it',
    ]);
    reply = { status: 200, body: 'ok' };
    expect((await cli(['webhook', 'enable'])).stdout).toEqual([`${hookUrl}  enabled`]);
    await eventually(async () => (received.length === 5 ? true : undefined));
    expect(received.map((r) => r.headers['webhook-id'])).toEqual(Array(5).fill(eventId));

    const unknown = await cli(['events', 'resend', 'evt_000000000000000000000000']);
    expect(unknown).toEqual({
      code: 1,
      stdout: [],
      stderr: ['scanforpay-proxy: there is no event evt_000000000000000000000000'],
    });
    const malformed = await cli(['events', 'resend', 'evt 1']);
    expect(malformed).toEqual({
      code: 2,
      stdout: [],
      stderr: ['scanforpay-proxy: "evt 1" is not an event id (see scanforpay-proxy --help)'],
    });
  });
});
