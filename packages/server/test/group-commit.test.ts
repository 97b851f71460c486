import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '@scanforpay/server/node';
import { buildCrashProxy } from './helpers/crash-process.js';
import { crashOrders, notifyUntilKilled } from './helpers/notify-until-killed.js';
import { startReceiver } from './helpers/processes.js';
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
    const orders = crashOrders('GROUP', 600);
    const seed = createSqliteStore({ path });
    await Promise.all(orders.map((order) => seed.insertOrder({ order })));
    await seed.close();
    const { acked, sent, killed } = await notifyUntilKilled({ databasePath: path }, orders, {
      killAfter: 150,
      webhookUrl: receiver.url,
    });
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
