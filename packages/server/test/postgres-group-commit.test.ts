import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresStore } from '@scanforpay/server/node';
import type { NotificationInput } from '@scanforpay/server/store';
// @ts-expect-error: a plain ES module of the workspace (scripts/), without types.
import { startPostgres } from '../../../scripts/postgres-cluster.mjs';
import { buildCrashProxy } from './helpers/crash-process.js';
import { crashOrders, notifyUntilKilled } from './helpers/notify-until-killed.js';
import { startReceiver } from './helpers/processes.js';
import { newOrder } from './contract/store-contract.js';

/**
 * Postgres group commit of notifications (the Postgres project only): the notifications of
 * many requests, with their transitions and events, are written by one statement, and no
 * caller hears of its notification before that statement has committed.
 */
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-pg-group-'));
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: postgres.Sql;
let databases = 0;

interface PostgresCluster {
  url: string;
  crash(): void;
  restart(): void;
  stop(): void;
}

/** A fresh database on the test cluster. */
async function database(): Promise<{ url: string; sql: postgres.Sql }> {
  const name = `group_commit_${++databases}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = inject('postgresUrl').replace(/\/[^/]*$/, `/${name}`);
  return { url, sql: postgres(url, { max: 1, onnotice: () => {} }) };
}

beforeAll(async () => {
  await buildCrashProxy();
  receiver = await startReceiver();
  admin = postgres(inject('postgresUrl'), { max: 1, onnotice: () => {} });
}, 60_000);

afterAll(async () => {
  for (let i = 1; i <= databases; i++) {
    await admin?.unsafe(`DROP DATABASE IF EXISTS group_commit_${i} WITH (FORCE)`);
  }
  await admin?.end({ timeout: 1 });
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

function paid(orderId: string, at: number): NotificationInput {
  return {
    orderId,
    dedupeKey: `${orderId}:1:1`,
    rawBody: `{"order":"${orderId}","at":${at}}`,
    verified: true,
    outcome: 'ignored',
    reason: null,
    receivedAt: at,
    transition: {
      orderId,
      input: {
        to: 'paid',
        at,
        event: { eventId: `evt_${orderId}_${at}`, type: 'order.paid', payload: '{}' },
      },
    },
  };
}

describe('Postgres group commit', () => {
  it('writes the notifications of one turn in one transaction; a second one for an order waits for the next', async () => {
    const { url, sql } = await database();
    const store = await createPostgresStore({ url });
    try {
      const orders = Array.from({ length: 40 }, (_, i) =>
        newOrder({ orderId: `BATCH${String(i).padStart(3, '0')}` }),
      );
      for (const order of orders) await store.insertOrder({ order });
      const firsts = orders.map((o) => paid(o.orderId, 10));
      const seconds = orders.slice(0, 10).map((o) => paid(o.orderId, 20));
      const results = await Promise.all(
        [...firsts, ...seconds].map((input) => store.recordNotification(input)),
      );
      expect(results.map((r) => r.outcome)).toEqual([
        ...firsts.map(() => 'applied'),
        ...seconds.map(() => 'duplicate'),
      ]);
      // Rows written by one transaction share its id (xmin).
      const rows = await sql<{ outcome: string; tx: string }[]>`
        SELECT outcome, xmin::text AS tx FROM notifications ORDER BY id`;
      const applied = new Set(rows.filter((r) => r.outcome === 'applied').map((r) => r.tx));
      const duplicates = new Set(rows.filter((r) => r.outcome === 'duplicate').map((r) => r.tx));
      expect(applied.size).toBe(1);
      expect(duplicates.size).toBe(1);
      expect([...duplicates][0]).not.toBe([...applied][0]);
      const events = await sql<{ tx: string }[]>`SELECT xmin::text AS tx FROM outbox`;
      expect(events.map((e) => e.tx)).toEqual(orders.map(() => [...applied][0]));
    } finally {
      await store.close();
      await sql.end({ timeout: 1 });
    }
  });

  it('answers a notification only once the statement holding it has committed', async () => {
    const { url, sql } = await database();
    const store = await createPostgresStore({ url });
    const blocker = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const held = newOrder({ orderId: 'HELD0001' });
      const free = newOrder({ orderId: 'FREE0001' });
      await store.insertOrder({ order: held });
      await store.insertOrder({ order: free });
      let release!: () => void;
      const locked = new Promise<void>((lockTaken) => {
        void blocker.begin(async (tx) => {
          await tx`SELECT 1 FROM orders WHERE order_id = ${held.orderId} FOR UPDATE`;
          lockTaken();
          await new Promise<void>((r) => (release = r));
        });
      });
      await locked;
      const answers: string[] = [];
      const pending = [held, free].map((order) =>
        store.recordNotification(paid(order.orderId, 30)).then((result) => {
          answers.push(`${order.orderId}:${result.outcome}`);
          return result;
        }),
      );
      // Both are in one statement, which waits for the lock: neither may be answered yet.
      for (;;) {
        const [waiting] = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND query LIKE '%WITH input AS MATERIALIZED%'`;
        if (waiting!.n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(answers).toEqual([]);
      expect(await sql`SELECT 1 FROM notifications`).toHaveLength(0);
      release();
      const results = await Promise.all(pending);
      expect(results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
      expect(answers.sort()).toEqual(['FREE0001:applied', 'HELD0001:applied']);
      expect(await sql`SELECT 1 FROM notifications`).toHaveLength(2);
    } finally {
      await store.close();
      await blocker.end({ timeout: 1 });
      await sql.end({ timeout: 1 });
    }
  });

  it('never answers success before its commit: every success survives a SIGKILL mid-load', async () => {
    const { url, sql } = await database();
    const orders = crashOrders('PGGROUP', 600);
    const seed = await createPostgresStore({ url });
    await Promise.all(orders.map((order) => seed.insertOrder({ order })));
    await seed.close();
    try {
      const { acked, sent, killed } = await notifyUntilKilled({ postgresUrl: url }, orders, {
        killAfter: 150,
        webhookUrl: receiver.url,
      });
      expect(killed).toBe(true);
      expect(sent).toBeGreaterThan(acked.size);

      const paidIds = new Set(
        (await sql<{ order_id: string }[]>`SELECT order_id FROM orders WHERE status = 'paid'`).map(
          (row) => row.order_id,
        ),
      );
      const applied = new Set(
        (
          await sql<{ order_id: string }[]>`
            SELECT order_id FROM notifications WHERE outcome = 'applied'`
        ).map((row) => row.order_id),
      );
      const lost = [...acked].filter((id) => !paidIds.has(id) || !applied.has(id));
      expect(lost).toEqual([]);
      // Committed but not yet answered is allowed (the gateway sends it again); the reverse not.
      expect(paidIds.size).toBeGreaterThanOrEqual(acked.size);
      // Each paid order has its one event, written with its transition.
      const [{ events }] = await sql<{ events: string }[]>`
        SELECT count(*)::text AS events FROM outbox WHERE type = 'order.paid'`;
      expect(Number(events)).toBe(paidIds.size);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }, 60_000);

  it('never answers success before its commit: every success survives Postgres crashing mid-load', async () => {
    // A cluster of its own (fsync on), killed as a crash would kill it, then recovered.
    const cluster = (await startPostgres({ durable: true })) as PostgresCluster;
    try {
      const orders = crashOrders('PGCRASH', 400);
      const seed = await createPostgresStore({ url: cluster.url });
      await Promise.all(orders.map((order) => seed.insertOrder({ order })));
      await seed.close();
      const { acked, sent, killed } = await notifyUntilKilled(
        { postgresUrl: cluster.url },
        orders,
        { killAfter: 100, webhookUrl: receiver.url, kill: () => cluster.crash() },
      );
      // The answers already on their way when the server died are counted too: they were for
      // units committed before it died (and must be there after recovery).
      expect(killed).toBe(true);
      expect(sent).toBeGreaterThanOrEqual(acked.size);
      cluster.restart();
      const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
      try {
        const paidIds = new Set(
          (
            await sql<{ order_id: string }[]>`SELECT order_id FROM orders WHERE status = 'paid'`
          ).map((row) => row.order_id),
        );
        const lost = [...acked].filter((id) => !paidIds.has(id));
        expect(lost).toEqual([]);
        expect(paidIds.size).toBeGreaterThanOrEqual(acked.size);
      } finally {
        await sql.end({ timeout: 1 });
      }
    } finally {
      cluster.stop();
    }
  }, 60_000);
});
