import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DEFAULT_PARTNER, startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '@scanforpay/server/node';
import defaultWorker, { createWorker, type WorkerEnv } from '@scanforpay/server/workers';
import { writeWorkerBundle } from './helpers/build-worker.js';
import { CATALOG } from './helpers/catalog.js';
import { eventually } from './helpers/harness.js';
import { captureLine, captureResponse, TOKEN_SECRET } from './helpers/traffic.js';

const RESULT_URL = 'https://shop.example/thanks';
const SHOP_ORIGIN = 'https://shop.example';
const BAD_WEBHOOK_SECRET = 'whsec_not-really-base64-but-secret';

const dir = mkdtempSync(join(tmpdir(), 'scanforpay-workers-'));
const scriptPath = join(dir, 'worker.js');
const runtimeLines: string[] = [];
let sandbox: RunningSandbox;
let mf: Miniflare;
let base: string;

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

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
  const bindings = {
    SCANFORPAY_PARTNER_NO: DEFAULT_PARTNER.partnerNo,
    SCANFORPAY_STORE_NO: DEFAULT_PARTNER.storeNo,
    SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey,
    SCANFORPAY_API_URL: sandbox.url,
    PUBLIC_URL: base,
    RESULT_URL,
    ALLOWED_ORIGINS: SHOP_ORIGIN,
    CATALOG: JSON.stringify(CATALOG),
    CHECKOUT_TOKEN_SECRET: TOKEN_SECRET,
    RATE_LIMIT: '1000',
  };
  mf = new Miniflare({
    host: '127.0.0.1',
    port,
    handleRuntimeStdio(stdout, stderr) {
      collect(stdout);
      collect(stderr);
    },
    workers: [
      {
        name: 'proxy',
        modules: true,
        modulesRoot: dir,
        scriptPath,
        compatibilityDate: '2026-04-26',
        d1Databases: ['DB'],
        bindings,
      },
      {
        // The same bundle with a malformed webhook secret.
        name: 'misconfigured',
        modules: true,
        modulesRoot: dir,
        scriptPath,
        compatibilityDate: '2026-04-26',
        d1Databases: ['DB'],
        bindings: {
          ...bindings,
          MERCHANT_WEBHOOK_URL: 'https://shop.example/hooks',
          MERCHANT_WEBHOOK_SECRET: BAD_WEBHOOK_SECRET,
        },
      },
    ],
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Real loopback HTTP to the worker, every response captured for the secrets check. */
async function call(path: string, init?: RequestInit): Promise<Response> {
  return captureResponse(
    await fetch(base + path, { ...init, signal: AbortSignal.timeout(10_000) }),
  );
}

async function control(path: string): Promise<Response> {
  return fetch(`${sandbox.url}/__sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    signal: AbortSignal.timeout(5_000),
  });
}

async function createOrder(): Promise<{ orderId: string; payUrl: string }> {
  const response = await call('/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SHOP_ORIGIN },
    body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK' }),
  });
  expect(response.status).toBe(201);
  expect(response.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
  return (await response.json()) as { orderId: string; payUrl: string };
}

/** What `mf.getWorker()` gives (typed loosely without @cloudflare/workers-types). */
interface WorkerStub {
  fetch(url: string): Promise<Response>;
  scheduled(options: { cron: string; scheduledTime?: Date }): Promise<{ outcome: string }>;
}

async function worker(name: string): Promise<WorkerStub> {
  return (await mf.getWorker(name)) as unknown as WorkerStub;
}

async function status(orderId: string): Promise<string> {
  return ((await (await call(`/orders/${orderId}`)).json()) as { status: string }).status;
}

describe('the Workers entry in workerd (miniflare, D1)', () => {
  it('answers /healthz with the D1 store up', async () => {
    const response = await call('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, store: 'ok' });
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
        detail:
          'MERCHANT_WEBHOOK_SECRET: must be whsec_ followed by the base64 of 24 to 64 random bytes',
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
    const worker = createWorker({ log: (line) => lines.push(line) });
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
      new Request('https://w.example/items/tee-red'),
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
