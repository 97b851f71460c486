import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DEFAULT_PARTNER, startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { Miniflare, type WorkerOptions } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSecret } from '@scanforpay/server';
import type { AdminOrderDetail } from '../src/routes/admin-route.js';
import { openApiDocument } from '../src/contract/openapi-document.js';
import { createSqliteStore } from '@scanforpay/server/node';
import { verifyMerchantWebhook, type MerchantEvent } from '@scanforpay/server/webhook';
import defaultWorker, { createWorker, type WorkerEnv } from '@scanforpay/server/workers';
import { writeWorkerBundle } from './helpers/build-worker.js';
import { CATALOG } from './helpers/catalog.js';
import { eventually } from './helpers/harness.js';
import { captureLine, captureResponse, TOKEN_SECRET } from './helpers/traffic.js';
import { freePort } from './helpers/processes.js';

const RESULT_URL = 'https://shop.example/thanks';
const SHOP_ORIGIN = 'https://shop.example';
const BAD_WEBHOOK_SECRET = 'whsec_not-really-base64-but-secret';

const dir = mkdtempSync(join(tmpdir(), 'scanforpay-workers-'));
const scriptPath = join(dir, 'worker.js');
const runtimeLines: string[] = [];
let sandbox: RunningSandbox;
let mf: Miniflare;
let base: string;

function collect(stream: Readable): void {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      runtimeLines.push(line);
      captureLine(line);
    }
  });
}

/** The bindings every worker here starts from: the sandbox as gateway, `publicUrl` its own address. */
function proxyBindings(publicUrl: string): Record<string, string> {
  return {
    SCANFORPAY_PARTNER_NO: DEFAULT_PARTNER.partnerNo,
    SCANFORPAY_STORE_NO: DEFAULT_PARTNER.storeNo,
    SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey,
    SCANFORPAY_API_URL: sandbox.url,
    PUBLIC_URL: publicUrl,
    RESULT_URL,
    ALLOWED_ORIGINS: SHOP_ORIGIN,
    CATALOG: JSON.stringify(CATALOG),
    CHECKOUT_TOKEN_SECRET: TOKEN_SECRET,
    RATE_LIMIT: '1000',
  };
}

/** The bundle as one worker of a Miniflare instance, with its own D1 database `DB`. */
function proxyWorker(name: string, bindings: Record<string, string>): WorkerOptions {
  return {
    name,
    modules: true,
    modulesRoot: dir,
    scriptPath,
    compatibilityDate: '2026-04-26',
    d1Databases: ['DB'],
    bindings,
  };
}

/** A workerd process on `127.0.0.1:port`; the first worker answers there. */
function startWorkerd(port: number, workers: WorkerOptions[]): Miniflare {
  return new Miniflare({
    host: '127.0.0.1',
    port,
    handleRuntimeStdio(stdout, stderr) {
      collect(stdout);
      collect(stderr);
    },
    workers,
  });
}

beforeAll(async () => {
  await writeWorkerBundle(scriptPath);
  sandbox = await startSandbox({
    port: 0,
    control: true,
    notifySchedule: [0, 100, 200],
    log: captureLine,
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const bindings = proxyBindings(base);
  mf = startWorkerd(port, [
    proxyWorker('proxy', bindings),
    // The same bundle with a malformed webhook secret.
    proxyWorker('misconfigured', {
      ...bindings,
      MERCHANT_WEBHOOK_URL: 'https://shop.example/hooks',
      MERCHANT_WEBHOOK_SECRET: BAD_WEBHOOK_SECRET,
    }),
  ]);
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Real loopback HTTP to a worker (`at`), every response captured for the secrets check. One
 * connection per call: workerd closes a connection whose request body went unread (a 401 to a
 * POST), and a pooled socket reused just then fails with "other side closed".
 */
async function call(path: string, init?: RequestInit, at = base): Promise<Response> {
  const headers = new Headers(init?.headers);
  headers.set('connection', 'close');
  return captureResponse(
    await fetch(at + path, { ...init, headers, signal: AbortSignal.timeout(10_000) }),
  );
}

async function control(path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${sandbox.url}/__sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
}

async function createOrder(at = base): Promise<{ orderId: string; payUrl: string }> {
  const response = await call(
    '/orders',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SHOP_ORIGIN },
      body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK' }),
    },
    at,
  );
  expect(response.status).toBe(201);
  expect(response.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
  return (await response.json()) as { orderId: string; payUrl: string };
}

/** What `mf.getWorker()` gives (typed loosely without @cloudflare/workers-types). */
interface WorkerStub {
  fetch(url: string): Promise<Response>;
  scheduled(options: { cron: string; scheduledTime?: Date }): Promise<{ outcome: string }>;
}

async function worker(name: string, on = mf): Promise<WorkerStub> {
  return (await on.getWorker(name)) as unknown as WorkerStub;
}

async function status(orderId: string, at = base): Promise<string> {
  return ((await (await call(`/orders/${orderId}`, undefined, at)).json()) as { status: string })
    .status;
}

async function paid(orderId: string, at = base): Promise<void> {
  await eventually(async () => ((await status(orderId, at)) === 'paid' ? true : undefined), 10_000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

describe('the Workers entry in workerd (miniflare, D1)', () => {
  it('answers /healthz with the D1 store up', async () => {
    const response = await call('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, store: 'ok' });
  });

  it('serves the OpenAPI document and its reference page, the same as on Node', async () => {
    const response = await call('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await response.json()).toEqual(openApiDocument('/'));
    const again = await call('/openapi.json', {
      headers: { 'if-none-match': response.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    const page = await call('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/,
    );
    expect(await page.text()).toContain('id="createOrder"');
  });

  it('creates an order, takes the signed notify, and sends the buyer back', async () => {
    const { orderId, payUrl } = await createOrder();
    expect(payUrl.startsWith(`${sandbox.url}/cashier/`)).toBe(true);
    expect(await status(orderId)).toBe('pending');

    expect((await control(`/orders/${orderId}/pay`)).status).toBe(200);
    await eventually(async () => ((await status(orderId)) === 'paid' ? true : undefined), 10_000);

    const notifications = (await (
      await fetch(`${sandbox.url}/__sandbox/notifications?partnerOrderNo=${orderId}`)
    ).json()) as { notifications: { url: string; status: number | null; response?: string }[] };
    expect(notifications.notifications[0]).toMatchObject({ url: `${base}/notify`, status: 200 });

    const db = await mf.getD1Database('DB', 'proxy');
    const row = await db
      .prepare('SELECT status, amount, currency FROM orders WHERE order_id = ?')
      .bind(orderId)
      .first();
    expect(row).toEqual({ status: 'paid', amount: 19900, currency: 'HKD' });

    const back = await call('/return', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `partnerOrderNo=${orderId}`,
      redirect: 'manual',
    });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`${RESULT_URL}?order=${orderId}`);
  }, 30_000);

  it('refuses an origin that is not allowed', async () => {
    const response = await call('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK' }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('origin_not_allowed');
  });

  it('runs the Cron Trigger handler', async () => {
    const stub = await worker('proxy');
    const result = await stub.scheduled({ cron: '* * * * *', scheduledTime: new Date() });
    expect(result.outcome).toBe('ok');
  });

  it('answers every request with a 500 problem naming the bad variable, logged once', async () => {
    const stub = await worker('misconfigured');
    for (const path of ['/healthz', '/items/tee-red']) {
      const response = await captureResponse(await stub.fetch(`${base}${path}`));
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        type: 'urn:scanforpay:problem:internal_error',
        title: 'Internal error',
        status: 500,
        detail: 'MERCHANT_WEBHOOK_SECRET: must be whsec_ followed by standard base64',
        code: 'internal_error',
      });
      expect(text).not.toContain(BAD_WEBHOOK_SECRET.slice('whsec_'.length));
    }
    const logged = () => runtimeLines.filter((line) => line.includes('configuration error'));
    await eventually(async () => (logged().length > 0 ? true : undefined), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toContain('"variable":"MERCHANT_WEBHOOK_SECRET"');
    expect(runtimeLines.join('\n')).not.toContain(BAD_WEBHOOK_SECRET.slice('whsec_'.length));
  });

  it('the cron handler does nothing while the configuration is bad', async () => {
    const stub = await worker('misconfigured');
    const result = await stub.scheduled({ cron: '* * * * *', scheduledTime: new Date() });
    expect(result.outcome).toBe('ok');
  });
});

describe('merchant events, reconciliation and admin in workerd (issue 7)', () => {
  const webhookSecret = createWebhookSecret();
  const adminToken = 'workerd-admin-token-0123456789abcdefghij';
  const CRON = { cron: '* * * * *' };

  /** What the merchant's endpoint (a real Node server in this process) was sent. */
  interface Delivery {
    headers: IncomingHttpHeaders;
    body: string;
  }
  const delivered: Delivery[] = [];
  let receiver: Server | undefined;
  let edge: Miniflare | undefined;
  let edgeBase: string;
  /** Set once a cron run has reconciled an order in the edge worker's isolate. */
  let reconciled = false;

  beforeAll(async () => {
    expect(adminToken).toHaveLength(40);
    receiver = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        delivered.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(204).end();
      });
    });
    const listening = receiver;
    await new Promise<void>((done) => listening.listen(0, '127.0.0.1', done));
    const hookPort = (listening.address() as AddressInfo).port;

    const port = await freePort();
    edgeBase = `http://127.0.0.1:${port}`;
    // Its own workerd (own port for the sandbox's notifications, own D1), same bundle.
    edge = startWorkerd(port, [
      proxyWorker('edge', {
        ...proxyBindings(edgeBase),
        MERCHANT_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hooks/scanforpay`,
        MERCHANT_WEBHOOK_SECRET: webhookSecret,
        RECONCILE_AFTER: '10s',
        ADMIN_TOKEN: adminToken,
      }),
    ]);
    await edge.ready;
  }, 60_000);

  afterAll(async () => {
    await edge?.dispose();
    const open = receiver;
    if (open) {
      open.closeAllConnections();
      await new Promise((done) => open.close(done));
    }
    // Neither secret of this worker ever reached a log line.
    const logged = runtimeLines.join('\n');
    expect(logged).not.toContain(adminToken);
    expect(logged).not.toContain(webhookSecret.slice('whsec_'.length));
  });

  /** The verified events the receiver got for one order (a bad signature fails the test). */
  function eventsFor(orderId: string): { delivery: Delivery; event: MerchantEvent }[] {
    return delivered
      .map((delivery) => ({
        delivery,
        event: verifyMerchantWebhook(delivery.body, delivery.headers, webhookSecret),
      }))
      .filter(({ event }) => event.data.orderId === orderId);
  }

  async function edgeStub(): Promise<WorkerStub> {
    return worker('edge', edge);
  }

  const bearer = { authorization: `Bearer ${adminToken}` };

  it('delivers order.paid to MERCHANT_WEBHOOK_URL from the notify request, through waitUntil', async () => {
    const { orderId } = await createOrder(edgeBase);
    expect((await control(`/orders/${orderId}/pay`)).status).toBe(200);

    // No scheduled() has run on this worker: the delivery is the one /notify handed to
    // c.executionCtx.waitUntil (runtime.changed), after its response went back to the sandbox.
    const [first] = await eventually(async () => {
      const events = eventsFor(orderId);
      return events.length > 0 ? events : undefined;
    }, 10_000);
    expect(first?.delivery.headers['webhook-id']).toMatch(/\S/);
    expect(first?.delivery.headers['content-type']).toMatch(/^application\/json/);
    expect(first?.event).toMatchObject({
      id: first?.delivery.headers['webhook-id'],
      type: 'order.paid',
      data: { orderId, status: 'paid', amount: 19900, currency: 'HKD', itemId: 'tee-red' },
    });
    expect(await status(orderId, edgeBase)).toBe('paid');

    // Settled as delivered in D1, and sent exactly once.
    const db = await edge!.getD1Database('DB', 'edge');
    await eventually(async () => {
      const row = await db
        .prepare('SELECT delivered_at FROM outbox WHERE order_id = ? AND type = ?')
        .bind(orderId, 'order.paid')
        .first<{ delivered_at: number | null }>();
      return row?.delivered_at != null ? true : undefined;
    }, 5_000);
    await sleep(200);
    expect(eventsFor(orderId)).toHaveLength(1);
  }, 20_000);

  it('refunds through /admin with ADMIN_TOKEN, and refuses without it', async () => {
    const { orderId } = await createOrder(edgeBase);
    expect((await control(`/orders/${orderId}/pay`)).status).toBe(200);
    await paid(orderId, edgeBase);

    const path = `/admin/orders/${orderId}/refunds`;
    const refundInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 5000 }),
    };
    const refused = await call(path, refundInit, edgeBase);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await refused.json()) as { code: string }).code).toBe('unauthorized');
    const wrong = await call(
      path,
      {
        ...refundInit,
        headers: { ...refundInit.headers, authorization: `Bearer ${'x'.repeat(40)}` },
      },
      edgeBase,
    );
    expect(wrong.status).toBe(401);

    const refunded = await call(
      path,
      { ...refundInit, headers: { ...refundInit.headers, ...bearer } },
      edgeBase,
    );
    expect(refunded.status).toBe(201);
    expect(refunded.headers.get('cache-control')).toBe('no-store');
    const answer = (await refunded.json()) as {
      refund: { refundNo: string };
      order: { status: string };
    };
    expect(answer).toMatchObject({
      refund: { orderId, amount: 5000, status: 'succeeded', refundedBefore: 0 },
      order: { orderId, status: 'partially_refunded', refundedAmount: 5000 },
    });

    const shown = await call(`/admin/orders/${orderId}`, { headers: bearer }, edgeBase);
    expect(shown.status).toBe(200);
    const detail = (await shown.json()) as AdminOrderDetail;
    expect(detail.order).toMatchObject({ status: 'partially_refunded', refundedAmount: 5000 });
    expect(detail.refunds).toMatchObject([
      { refundNo: answer.refund.refundNo, amount: 5000, status: 'succeeded' },
    ]);
    expect(detail.events.map((event) => event.type)).toEqual([
      'order.paid',
      'order.partially_refunded',
    ]);
    expect(detail.events[1]?.payload).toMatchObject({
      data: { refund: { refundNo: answer.refund.refundNo, amount: 5000 } },
    });
    expect(detail.notifications.length).toBeGreaterThan(0);
    expect((await call(`/admin/orders/${orderId}`, undefined, edgeBase)).status).toBe(401);

    // The refund's event goes to the merchant from this request's waitUntil as well.
    await eventually(async () => {
      const types = eventsFor(orderId).map(({ event }) => event.type);
      return types.includes('order.partially_refunded') ? true : undefined;
    }, 10_000);
  });

  it('reconciles on the Cron Trigger an order whose notifications were all lost', async () => {
    expect((await control('/chaos', { dropFirst: 1000 })).status).toBe(200);
    try {
      const { orderId } = await createOrder(edgeBase);
      // The order's createdAt is at most this: its first check is due 10 s (RECONCILE_AFTER) later.
      const createdBy = Date.now();
      expect((await control(`/orders/${orderId}/pay`)).status).toBe(200);

      // Paid at the gateway, but all three notification attempts (0, 100, 200 ms) are dropped.
      await eventually(async () => {
        const { notifications } = (await (
          await fetch(`${sandbox.url}/__sandbox/notifications?partnerOrderNo=${orderId}`)
        ).json()) as { notifications: { error?: string }[] };
        return notifications.length === 3 &&
          notifications.every((n) => n.error === 'dropped by chaos (dropFirst)')
          ? true
          : undefined;
      }, 5_000);
      expect(await status(orderId, edgeBase)).toBe('pending');

      // A cron run before RECONCILE_AFTER leaves the order alone.
      const stub = await edgeStub();
      expect((await stub.scheduled(CRON)).outcome).toBe('ok');
      expect(await status(orderId, edgeBase)).toBe('pending');

      // Real time: 10 s is the least RECONCILE_AFTER allows and the worker reads its own clock.
      await sleep(createdBy + 10_000 + 250 - Date.now());
      expect((await stub.scheduled(CRON)).outcome).toBe('ok');
      // The pass runs in ctx.waitUntil: it may finish just after scheduled() resolves.
      await paid(orderId, edgeBase);
      // …and its event goes out within the same cron pass.
      await eventually(async () => (eventsFor(orderId).length > 0 ? true : undefined), 5_000);
      expect(eventsFor(orderId).map(({ event }) => event.type)).toEqual(['order.paid']);
      reconciled = true;
    } finally {
      await control('/chaos', {});
    }
  }, 30_000);

  // A cron pass that settles an order delivers its event within the pass (runBackground waits
  // for the wakes its checks start): nothing is left claimed-but-cut-off to block later wakes.
  it('after a cron reconciliation, a notify still delivers through waitUntil', async (context) => {
    if (!reconciled) context.skip();
    const { orderId } = await createOrder(edgeBase);
    expect((await control(`/orders/${orderId}/pay`)).status).toBe(200);
    await paid(orderId, edgeBase);
    await eventually(async () => (eventsFor(orderId).length > 0 ? true : undefined), 3_000);
  });
});

describe('createWorker (in Node, with overrides)', () => {
  const env = (extra: Record<string, unknown> = {}): WorkerEnv => ({
    SCANFORPAY_PARTNER_NO: DEFAULT_PARTNER.partnerNo,
    SCANFORPAY_STORE_NO: DEFAULT_PARTNER.storeNo,
    SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey,
    PUBLIC_URL: 'https://pay.shop.example',
    RESULT_URL,
    CATALOG: JSON.stringify(CATALOG),
    ...extra,
  });
  const ctx = () => {
    const waited: Promise<unknown>[] = [];
    return {
      waited,
      ctx: {
        waitUntil: (promise: Promise<unknown>) => void waited.push(promise),
        passThroughOnException: () => undefined,
        props: {},
      },
    };
  };

  it('builds once per env object, and again for a new one', async () => {
    const stores: string[] = [];
    const worker = createWorker(() => {
      stores.push('opened');
      return { store: createSqliteStore({ path: ':memory:' }), log: () => undefined };
    });
    const first = env();
    const { ctx: c } = ctx();
    expect((await worker.fetch(new Request('https://w.example/healthz'), first, c)).status).toBe(
      200,
    );
    expect((await worker.fetch(new Request('https://w.example/healthz'), first, c)).status).toBe(
      200,
    );
    expect(stores).toHaveLength(1);
    const item = await worker.fetch(new Request('https://w.example/items/tee-red'), env(), c);
    expect(await item.json()).toMatchObject({ id: 'tee-red', amount: 19900 });
    expect(stores).toHaveLength(2);
  });

  it.each([
    [{ PUBLIC_URL: undefined }, "PUBLIC_URL: is required on Workers (this worker's public URL)"],
    [
      { CATALOG: undefined },
      'CATALOG: is required on Workers: the catalog JSON itself (or set CHECKOUT_TOKEN_SECRET)',
    ],
    [{ CATALOG: '{"items": [' }, /^CATALOG: is not valid JSON \(/],
    [{ DB: undefined }, 'DB: bind a D1 database as DB (d1_databases in wrangler.jsonc)'],
    [{ ADMIN_TOKEN: 'short-admin-token' }, 'ADMIN_TOKEN: at least 32 characters'],
  ])('answers 500 for %o', async (extra, detail) => {
    const lines: string[] = [];
    // A store of its own, so that the one problem told is the one under test (but for DB).
    const store = 'DB' in extra ? {} : { store: createSqliteStore({ path: ':memory:' }) };
    const worker = createWorker({ ...store, log: (line) => lines.push(line) });
    const response = await captureResponse(
      await worker.fetch(new Request('https://w.example/healthz'), env(extra), ctx().ctx),
    );
    expect(response.status).toBe(500);
    const body = (await response.json()) as { detail: string };
    if (typeof detail === 'string') expect(body.detail).toBe(detail);
    else expect(body.detail).toMatch(detail);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(DEFAULT_PARTNER.signKey);
    expect(lines[0]).not.toContain('short-admin-token');
  });

  it('answers 500 naming every missing binding at once', async () => {
    const worker = createWorker({ log: () => undefined });
    const bare = { SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey };
    const response = await worker.fetch(new Request('https://w.example/healthz'), bare, ctx().ctx);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { detail: string }).detail).toBe(
      [
        '6 settings need fixing:',
        '  SCANFORPAY_PARTNER_NO: is required',
        '  SCANFORPAY_STORE_NO: is required',
        '  RESULT_URL: is required',
        "  PUBLIC_URL: is required on Workers (this worker's public URL)",
        '  CATALOG: is required on Workers: the catalog JSON itself (or set CHECKOUT_TOKEN_SECRET)',
        '  DB: bind a D1 database as DB (d1_databases in wrangler.jsonc)',
      ].join('\n'),
    );
  });

  it('schedules the background work through ctx.waitUntil', async () => {
    const worker = createWorker({ store: createSqliteStore({ path: ':memory:' }) });
    const { ctx: c, waited } = ctx();
    worker.scheduled({ cron: '* * * * *', scheduledTime: Date.now() }, env(), c);
    // One promise once createProxy's result has runBackground(); none before.
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
  });

  it('runs on the vars of examples/workers/wrangler.jsonc plus the sign key secret', async () => {
    const jsonc = readFileSync(
      new URL('../examples/workers/wrangler.jsonc', import.meta.url),
      'utf8',
    );
    // Whole-line comments and trailing commas are all the JSONC the example uses.
    const json = jsonc.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1');
    const config = JSON.parse(json) as {
      main: string;
      d1_databases: { binding: string }[];
      triggers: { crons: string[] };
      vars: Record<string, string>;
    };
    expect(config.main).toBe('src/index.ts');
    expect(config.d1_databases[0]?.binding).toBe('DB');
    expect(config.triggers.crons).toEqual(['* * * * *']);
    const worker = createWorker({ store: createSqliteStore({ path: ':memory:' }), log: () => {} });
    const vars = { ...config.vars, SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey };
    const item = await worker.fetch(
      new Request('https://w.example/items/harbour-tee'),
      vars,
      ctx().ctx,
    );
    expect(item.status).toBe(200);
  });

  it('is the default export too', () => {
    expect(typeof defaultWorker.fetch).toBe('function');
    expect(typeof defaultWorker.scheduled).toBe('function');
  });
});
