import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DEFAULT_PARTNER, startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { createWebhookSecret } from '@scanforpay/server';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSuite } from './dashboard/dashboard-suite.js';
import { payOrder, startReceiver, type Receiver } from './dashboard/target.js';
import { writeWorkerBundle } from './helpers/build-worker.js';
import { CATALOG } from './helpers/catalog.js';
import { captureLine, TOKEN_SECRET } from './helpers/traffic.js';
import { freePort } from './helpers/processes.js';

/**
 * The same dashboard suite as dashboard.test.ts, on the Worker bundle in workerd with D1: the
 * sandbox over loopback is its gateway, a real Node server the merchant's webhook endpoint.
 */
const TOKEN = 'workerd-dashboard-token-0123456789abcdefgh';
const SHOP_ORIGIN = 'https://shop.example';
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-dashboard-workers-'));
const scriptPath = join(dir, 'worker.js');
const lines: string[] = [];
let sandbox: RunningSandbox;
let receiver: Receiver;
let mf: Miniflare;
let base: string;

function collect(stream: Readable): void {
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
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
  receiver = await startReceiver(createWebhookSecret());
  base = `http://127.0.0.1:${await freePort()}`;
  const worker = (name: string, extra: Record<string, string>) => ({
    name,
    modules: true,
    modulesRoot: dir,
    scriptPath,
    compatibilityDate: '2026-04-26',
    d1Databases: ['DB'],
    bindings: {
      SCANFORPAY_PARTNER_NO: DEFAULT_PARTNER.partnerNo,
      SCANFORPAY_STORE_NO: DEFAULT_PARTNER.storeNo,
      SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey,
      SCANFORPAY_API_URL: sandbox.url,
      PUBLIC_URL: base,
      RESULT_URL: 'https://shop.example/thanks',
      ALLOWED_ORIGINS: SHOP_ORIGIN,
      CATALOG: JSON.stringify(CATALOG),
      CHECKOUT_TOKEN_SECRET: TOKEN_SECRET,
      RATE_LIMIT: '1000',
      ...extra,
    },
  });
  mf = new Miniflare({
    host: '127.0.0.1',
    port: Number(new URL(base).port),
    handleRuntimeStdio(stdout, stderr) {
      collect(stdout);
      collect(stderr);
    },
    workers: [
      worker('dashboard', {
        ADMIN_TOKEN: TOKEN,
        MERCHANT_WEBHOOK_URL: receiver.url,
        MERCHANT_WEBHOOK_SECRET: receiver.secret,
      }),
      worker('no-admin', {}),
    ],
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await sandbox?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard on the Worker (workerd, D1)', () => {
  dashboardSuite(
    () => ({
      base,
      token: TOKEN,
      paidOrder: (reference) =>
        payOrder({ base, sandboxUrl: sandbox.url, origin: SHOP_ORIGIN, reference }),
      receiver,
      logs: () => lines,
    }),
    { axe: 'all' },
  );

  it('is off without ADMIN_TOKEN: 404 like an unknown route', async () => {
    const off = (await mf.getWorker('no-admin')) as unknown as {
      fetch: (url: string, init?: RequestInit) => Promise<Response>;
    };
    for (const path of ['/admin', '/admin/ui/sign-in', '/admin/ui/orders']) {
      const response = await off.fetch(`${base}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe('not_found');
    }
  });
});
