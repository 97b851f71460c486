import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSecret } from '@scanforpay/server';
import { createSqliteStore } from '@scanforpay/server/node';
import { CATALOG } from './helpers/catalog.js';
import { buildCrashProxy, startCrashProxy } from './helpers/crash-process.js';
import { freePort, paidNotification, startReceiver } from './helpers/processes.js';
import { newOrder } from './contract/store-contract.js';

/**
 * SQLite group commit: the write units of one event-loop turn share a transaction, and no
 * caller hears of its unit before that transaction has committed.
 */
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-group-'));
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  await buildCrashProxy();
  receiver = await startReceiver();
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite group commit', () => {
  it('rolls back only the unit that fails; the others of its group commit', async () => {
    const store = createSqliteStore({ path: join(dir, 'units.db') });
    try {
      const taken = newOrder();
      await store.insertOrder({ order: taken });
      // Queued in one turn: one group. The second unit fails on its last statement (the order
      // id is taken) after its idempotency key was written: that key must go with it.
      const fresh = [newOrder(), newOrder()];
      const results = await Promise.allSettled([
        store.insertOrder({ order: fresh[0]! }),
        store.insertOrder({
          order: { ...taken, createdAt: 5 },
          idempotency: { key: 'lost-key', requestHash: 'h' },
        }),
        store.transition(taken.orderId, { to: 'paid', at: 7 }),
        store.insertOrder({ order: fresh[1]!, idempotency: { key: 'kept-key', requestHash: 'h' } }),
      ]);
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE|PRIMARY/);
      expect(await store.getIdempotencyKey('lost-key')).toBeUndefined();
      expect(await store.getIdempotencyKey('kept-key')).toMatchObject({
        orderId: fresh[1]!.orderId,
      });
      expect((await store.getOrder(taken.orderId))?.status).toBe('paid');
      expect(await store.getOrder(fresh[0]!.orderId)).toBeDefined();
    } finally {
      await store.close();
    }
  });

  it('never answers success before its commit: every success survives a SIGKILL mid-load', async () => {
    const path = join(dir, 'crash.db');
    const ORDERS = 600;
    const KILL_AFTER = 150;
    const now = Date.now();
    const seed = createSqliteStore({ path });
    const orders = Array.from({ length: ORDERS }, (_, i) =>
      newOrder({
        orderId: `GROUP${String(i).padStart(5, '0')}`,
        createdAt: now,
        expiresAt: now + 1_800_000,
        gatewayOrderNo: `GW${i}`,
      }),
    );
    for (const order of orders) await seed.insertOrder({ order });
    await seed.close();
    const bodies = await Promise.all(
      orders.map((o) => paidNotification(o.orderId, o.gatewayOrderNo!, o.amount)),
    );

    const port = await freePort();
    const proxy = await startCrashProxy({
      port,
      gatewayUrl: 'http://127.0.0.1:9',
      credentials: {
        partnerNo: DEFAULT_PARTNER.partnerNo,
        storeNo: DEFAULT_PARTNER.storeNo,
        signKey: DEFAULT_PARTNER.signKey,
      },
      catalog: CATALOG,
      databasePath: path,
      webhook: { url: receiver.url, secret: createWebhookSecret() },
      adminToken: 'group-commit-admin-token-0123456789abcdef',
    });
    const acked = new Set<string>();
    let sent = 0;
    let killed = false;
    // 32 clients at once, as the gateway's retries would be: many units per group.
    await Promise.all(
      Array.from({ length: 32 }, async (_, k) => {
        for (let i = k; i < ORDERS && !killed; i += 32) {
          sent++;
          try {
            const response = await fetch(`${proxy.url}/notify`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: bodies[i],
            });
            if ((await response.text()) !== 'success') continue;
            acked.add(orders[i]!.orderId);
            if (acked.size >= KILL_AFTER && !killed) {
              killed = true;
              proxy.child.kill('SIGKILL');
            }
          } catch {
            // The connection died with the process.
          }
        }
      }),
    );
    await proxy.kill();
    expect(killed).toBe(true);
    // Requests were still in flight when the process died.
    expect(sent).toBeGreaterThan(acked.size);

    const db = new Database(path);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const paid = new Set(
        (
          db.prepare("SELECT order_id FROM orders WHERE status = 'paid'").all() as {
            order_id: string;
          }[]
        ).map((row) => row.order_id),
      );
      const applied = new Set(
        (
          db.prepare("SELECT order_id FROM notifications WHERE outcome = 'applied'").all() as {
            order_id: string;
          }[]
        ).map((row) => row.order_id),
      );
      const lost = [...acked].filter((id) => !paid.has(id) || !applied.has(id));
      expect(lost).toEqual([]);
      // Committed but not yet answered is allowed (the gateway sends it again); the reverse not.
      expect(paid.size).toBeGreaterThanOrEqual(acked.size);
    } finally {
      db.close();
    }
  }, 60_000);
});
