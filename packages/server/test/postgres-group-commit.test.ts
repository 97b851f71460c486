import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWebhookSecret } from '@scanforpay/server';
import { createPostgresStore } from '@scanforpay/server/node';
import type { NotificationInput } from '@scanforpay/server/store';
import { CATALOG } from './helpers/catalog.js';
import { buildCrashProxy, startCrashProxy } from './helpers/crash-process.js';
import { freePort, paidNotification, startReceiver } from './helpers/processes.js';
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

  it('never answers success before its commit: every success survives a SIGKILL mid-load', async () => {
    const ORDERS = 600;
    const KILL_AFTER = 150;
    const { url, sql } = await database();
    const now = Date.now();
    const orders = Array.from({ length: ORDERS }, (_, i) =>
      newOrder({
        orderId: `PGGROUP${String(i).padStart(5, '0')}`,
        createdAt: now,
        expiresAt: now + 1_800_000,
        gatewayOrderNo: `GW${i}`,
      }),
    );
    const seed = await createPostgresStore({ url });
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
      postgresUrl: url,
      webhook: { url: receiver.url, secret: createWebhookSecret() },
      adminToken: 'group-commit-admin-token-0123456789abcdef',
    });
    const acked = new Set<string>();
    let sent = 0;
    let killed = false;
    try {
      // 32 clients at once, as the gateway's retries would be: many notifications a statement.
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
      await proxy.kill();
      await sql.end({ timeout: 1 });
    }
  }, 60_000);
});
