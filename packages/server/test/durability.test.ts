import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSecret } from '@scanforpay/server';
import { verifyMerchantWebhook } from '@scanforpay/server/webhook';
import { CATALOG } from './helpers/catalog.js';
import {
  buildPackage,
  sandboxEnv,
  startProxyProcess,
  startReceiver,
  until,
  type ProxyProcess,
} from './helpers/processes.js';
import { captureLine } from './helpers/traffic.js';

/**
 * A proxy killed with SIGKILL in the middle of a webhook delivery loses nothing: after a
 * restart the event goes out again, with the same `webhook-id` and the same body.
 */
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-durability-'));
const secret = createWebhookSecret();
let sandbox: RunningSandbox;
const proxies: ProxyProcess[] = [];

beforeAll(async () => {
  buildPackage();
  sandbox = await startSandbox({ port: 0, control: true, log: captureLine });
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(CATALOG));
}, 60_000);

afterAll(async () => {
  for (const proxy of proxies) if (proxy.child.exitCode === null) proxy.child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a proxy killed mid-delivery', () => {
  it('delivers the event again after a restart, with the same webhook-id', async () => {
    let hold = true;
    // The first delivery is held open (the merchant is slow) while the proxy is killed.
    const receiver = await startReceiver((_, response) => {
      if (!hold) response.writeHead(204).end();
    });
    const env = {
      ...sandboxEnv(sandbox.url),
      DATABASE_URL: 'file:./proxy.db',
      MERCHANT_WEBHOOK_URL: receiver.url,
      MERCHANT_WEBHOOK_SECRET: secret,
      // A short timeout keeps the claim's lease (2 × timeout + 5 s) short for the test.
      WEBHOOK_TIMEOUT_MS: '1000',
    };
    try {
      const first = await startProxyProcess(env, dir);
      proxies.push(first);
      const created = await fetch(`${first.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
        body: JSON.stringify({ item: 'tee-red', wallet: 'Wechat' }),
      });
      const { orderId } = (await created.json()) as { orderId: string };
      // The sandbox notifies the proxy, which commits `paid` and starts delivering at once: its
      // claim on the event is taken after this moment, on the same (system) clock.
      const beforeClaim = Date.now();
      await fetch(`${sandbox.url}/__sandbox/orders/${orderId}/pay`, { method: 'POST' });
      await until(() => (receiver.received.length === 1 ? true : undefined), 10_000);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();

      hold = false;
      const second = await startProxyProcess(env, dir);
      proxies.push(second);
      await until(() => (receiver.received.length >= 2 ? true : undefined), 15_000);
      // Only once the dead process's lease ran out (2 × 1 s + 5 s after its claim). Measured
      // from before the claim, so however slowly the kill and restart go this cannot fail.
      expect(Date.now() - beforeClaim).toBeGreaterThanOrEqual(7_000);

      const [held, again] = receiver.received;
      expect(again!.id).toBe(held!.id);
      expect(again!.body).toBe(held!.body);
      const event = verifyMerchantWebhook(
        again!.body,
        again!.headers as Record<string, string>,
        secret,
      );
      expect(event).toMatchObject({
        id: held!.id,
        type: 'order.paid',
        data: { orderId, status: 'paid' },
      });

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      const db = new Database(join(dir, 'proxy.db'), { readonly: true });
      try {
        expect(
          db
            .prepare('SELECT event_id, attempts, delivered_at IS NOT NULL AS delivered FROM outbox')
            .all(),
        ).toEqual([{ event_id: held!.id, attempts: 2, delivered: 1 }]);
        expect(db.prepare('SELECT status FROM orders').all()).toEqual([{ status: 'paid' }]);
      } finally {
        db.close();
      }
      expect(receiver.received).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  }, 40_000);
});
