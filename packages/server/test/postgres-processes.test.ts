import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createWebhookSecret } from '@scanforpay/server';
import { verifyMerchantWebhook } from '@scanforpay/server/webhook';
import { CATALOG } from './helpers/catalog.js';
import {
  buildPackage,
  sandboxEnv,
  paidNotification,
  startProxyProcess,
  startReceiver,
  until,
  type ProxyProcess,
} from './helpers/processes.js';
import { captureLine } from './helpers/traffic.js';

/**
 * Two `scanforpay-proxy` processes on one Postgres database (the Postgres project only):
 * concurrent duplicate notifications split between them apply once, and every merchant
 * event is delivered once even though both processes run the outbox every second.
 */
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-pg-processes-'));
const secret = createWebhookSecret();
let sandbox: RunningSandbox;
let admin: postgres.Sql;
let db: postgres.Sql;
let pgUrl: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const proxies: ProxyProcess[] = [];

beforeAll(async () => {
  buildPackage();
  const base = inject('postgresUrl');
  admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE two_processes');
  const url = base.replace(/\/[^/]*$/, '/two_processes');
  pgUrl = url;
  db = postgres(url, { max: 2, onnotice: () => {} });
  sandbox = await startSandbox({ port: 0, control: true, log: captureLine });
  receiver = await startReceiver();
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(CATALOG));
  const env = {
    ...sandboxEnv(sandbox.url),
    DATABASE_URL: url,
    MERCHANT_WEBHOOK_URL: receiver.url,
    MERCHANT_WEBHOOK_SECRET: secret,
    RATE_LIMIT: '0',
  };
  // Both start together: migrations are serialized by an advisory lock.
  proxies.push(...(await Promise.all([startProxyProcess(env, dir), startProxyProcess(env, dir)])));
}, 60_000);

afterAll(async () => {
  for (const proxy of proxies) proxy.child.kill('SIGTERM');
  await Promise.all(proxies.map((proxy) => proxy.exited));
  await db?.end({ timeout: 1 });
  await admin?.unsafe('DROP DATABASE IF EXISTS two_processes WITH (FORCE)');
  await admin?.end({ timeout: 1 });
  await receiver?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two proxy processes on one Postgres', () => {
  it('apply duplicate notifications split between them once, and deliver each event once', async () => {
    // The sandbox's own notifications are dropped: only ours arrive, all at once.
    await fetch(`${sandbox.url}/__sandbox/chaos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dropFirst: 1000 }),
    });
    const orders: { orderId: string; gatewayOrderNo: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${proxies[i % 2]!.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
        body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK' }),
      });
      expect(response.status).toBe(201);
      const { orderId } = (await response.json()) as { orderId: string };
      const paid = await fetch(`${sandbox.url}/__sandbox/orders/${orderId}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const { order } = (await paid.json()) as { order: { orderNo: string } };
      orders.push({ orderId, gatewayOrderNo: order.orderNo });
    }

    const answers = await Promise.all(
      orders.flatMap(({ orderId, gatewayOrderNo }) =>
        Array.from({ length: 10 }, async (_, i) => {
          const body = await paidNotification(orderId, gatewayOrderNo, 19900);
          const response = await fetch(`${proxies[i % 2]!.url}/notify`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          return [response.status, await response.text()];
        }),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 60 }, () => [200, 'success']));

    const outcomes = await db<{ outcome: string; n: number }[]>`
      SELECT outcome, CAST(COUNT(*) AS INTEGER) AS n FROM notifications GROUP BY outcome ORDER BY outcome`;
    expect(outcomes.map((row) => [row.outcome, row.n])).toEqual([
      ['applied', 6],
      ['duplicate', 54],
    ]);
    const statuses = await db<{ status: string }[]>`SELECT DISTINCT status FROM orders`;
    expect(statuses.map((row) => row.status)).toEqual(['paid']);

    // Each order's one event reaches the merchant once, from whichever process claimed it.
    await until(() => (receiver.received.length >= 6 ? true : undefined), 10_000);
    await new Promise((r) => setTimeout(r, 2_500)); // two more background passes in each process
    const ids = receiver.received.map((hook) => hook.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    const events = receiver.received.map((hook) =>
      verifyMerchantWebhook(hook.body, hook.headers as Record<string, string>, secret),
    );
    expect(events.map((event) => event.data.orderId).sort()).toEqual(
      orders.map((order) => order.orderId).sort(),
    );
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['order.paid']));
    const outbox = await db<{ n: number }[]>`
      SELECT CAST(COUNT(*) AS INTEGER) AS n FROM outbox WHERE delivered_at IS NOT NULL AND attempts = 1`;
    expect(outbox[0]!.n).toBe(6);
  });

  it('share one rate limit: together at most RATE_LIMIT orders a minute per client', async () => {
    const limit = 4;
    const env = { ...sandboxEnv(sandbox.url), DATABASE_URL: pgUrl, RATE_LIMIT: String(limit) };
    const limited = await Promise.all([startProxyProcess(env, dir), startProxyProcess(env, dir)]);
    proxies.push(...limited);
    const windowOf = () => Math.floor(Date.now() / 60_000);
    const before = windowOf();
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) {
      // The item does not exist: each request is counted, and nothing is created.
      const response = await fetch(`${limited[i % 2]!.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
        body: JSON.stringify({ item: 'no-such-item', wallet: 'AlipayHK' }),
      });
      answers.push(response.status);
    }
    const allowed = answers.filter((status) => status === 404).length;
    expect(allowed + answers.filter((status) => status === 429).length).toBe(10);
    // Counted per process, each would let `limit` through: 2 × limit in all.
    if (windowOf() === before) expect(allowed).toBe(limit);
    else expect(allowed).toBeLessThanOrEqual(2 * limit); // a window edge fell inside the loop
    expect(answers.slice(-2)).toEqual([429, 429]);
  });
});
