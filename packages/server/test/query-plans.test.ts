import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore, sqliteDriver, type SqliteStore } from '@scanforpay/server/node';
import { createSqlStore, type OrderStore, type SqlStatement } from '@scanforpay/server/store';
import { newOrder, paidNotification } from './contract/store-contract.js';

/**
 * Flat cost as data grows, on SQLite: with 100,000 pending orders and 100,000 undelivered
 * events stored (and 10,000 settled ones of each), every statement of the hot paths — creation,
 * notify, the reconciliation sweep's claim, the outbox claim — is an index SEARCH, and both
 * claims read only their index (COVERING: no table row is visited to choose what to claim).
 * The plans are SQLite's own (`EXPLAIN QUERY PLAN`) for the exact SQL the store runs.
 */
const PENDING = 100_000;
const NOW = 1_800_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-plans-'));
let base: SqliteStore;
let store: OrderStore;
const seen: { what: string; statement: SqlStatement }[] = [];
let current = '';

beforeAll(() => {
  base = createSqliteStore({ path: join(dir, 'plans.db') });
  const { db } = base;
  const order = db.prepare(
    `INSERT INTO orders (order_id, item_id, title, amount, currency, wallet, quantity, status,
       created_at, expires_at, updated_at, next_check_at)
     VALUES (?, 'tee', 'Tee', 100, 'HKD', 'AlipayHK', 1, ?, ?, ?, ?, ?)`,
  );
  const event = db.prepare(
    `INSERT INTO outbox (event_id, type, order_id, payload, created_at, next_attempt_at, delivered_at)
     VALUES (?, 'order.paid', ?, '{}', ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < PENDING; i++) {
      const at = NOW - 3_600_000 + i;
      order.run(`P${i}`, 'pending', at, at + 1_800_000, at, at + 60_000);
      event.run(`E${i}`, `P${i}`, at, at + (i % 2 ? 0 : 7_200_000), null);
      if (i % 10 === 0) {
        order.run(`S${i}`, 'paid', at, at + 1_800_000, at, null);
        event.run(`D${i}`, `S${i}`, at, at, at + 1);
      }
    }
  })();
  db.exec('ANALYZE');
  // The same connection, through a driver that remembers every statement it is given.
  const driver = sqliteDriver(db);
  store = createSqlStore({
    ...driver,
    run(statements) {
      for (const statement of statements) seen.push({ what: current, statement });
      return driver.run(statements);
    },
    close: () => Promise.resolve(),
  });
}, 60_000);

afterAll(async () => {
  await base?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** SQLite's plan lines for every statement recorded while `what` ran. */
function plans(what: string): string[][] {
  const statements = seen.filter((s) => s.what === what).map((s) => s.statement);
  expect(statements.length, what).toBeGreaterThan(0);
  return statements.map(({ sql, params }) =>
    (base.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
      (row) => row.detail,
    ),
  );
}

/** A full pass over a table or index: the one thing that grows with the data. */
const FULL_SCAN = /^SCAN (?!picked\b|CONSTANT ROW)/;

async function during<T>(what: string, fn: () => Promise<T>): Promise<T> {
  current = what;
  try {
    return await fn();
  } finally {
    current = '';
  }
}

describe('query plans with 100,000 pending rows (SQLite)', () => {
  it('claims due pending orders and due events from their index alone', async () => {
    const checks = await during('claimChecks', () =>
      store.claimChecks({ now: NOW, limit: 50, leaseMs: 60_000 }),
    );
    expect(checks).toHaveLength(50);
    const events = await during('claimEvents', () =>
      store.claimEvents({ now: NOW, limit: 50, leaseMs: 60_000 }),
    );
    expect(events).toHaveLength(50);
    const [claimChecks] = plans('claimChecks');
    expect(claimChecks).toContain(
      'SEARCH orders USING COVERING INDEX orders_pending (next_check_at<?)',
    );
    expect(claimChecks).toContain('SEARCH orders USING PRIMARY KEY (order_id=?)');
    const [claimEvents] = plans('claimEvents');
    expect(claimEvents).toContain(
      'SEARCH outbox USING COVERING INDEX outbox_due (next_attempt_at<?)',
    );
    expect(claimEvents).toContain('SEARCH outbox USING INTEGER PRIMARY KEY (rowid=?)');
    for (const plan of [claimChecks!, claimEvents!]) {
      expect(plan.filter((line) => FULL_SCAN.test(line) || /TEMP B-TREE/.test(line))).toEqual([]);
    }
  });

  it('creates an order and applies its notification with index searches only', async () => {
    const order = newOrder({ orderId: 'PLANNED1', createdAt: NOW, expiresAt: NOW + 1_800_000 });
    await during('insertOrder', () =>
      store.insertOrder({
        order,
        idempotency: { key: 'plan-key', requestHash: 'h' },
        nextCheckAt: NOW + 60_000,
      }),
    );
    await during('recordCreation', () =>
      store.recordCreation(order.orderId, {
        at: NOW,
        payUrl: 'https://pay.example/x',
        gatewayOrderNo: 'GW1',
      }),
    );
    await during('getOrder', () => store.getOrder(order.orderId));
    const first = await during('notify', () =>
      store.recordNotification(paidNotification(order.orderId, NOW + 1)),
    );
    expect(first).toMatchObject({ applied: true, outcome: 'applied' });
    const again = await during('notify again', () =>
      store.recordNotification(paidNotification(order.orderId, NOW + 2)),
    );
    expect(again).toMatchObject({ applied: false, outcome: 'duplicate' });
    for (const what of ['insertOrder', 'recordCreation', 'getOrder', 'notify', 'notify again']) {
      for (const plan of plans(what)) {
        expect(
          plan.filter((line) => FULL_SCAN.test(line)),
          `${what}: ${plan.join(' | ')}`,
        ).toEqual([]);
      }
    }
  });

  it('prunes old records from their age index alone (retention)', async () => {
    for (const records of ['events', 'notifications', 'idempotencyKeys'] as const) {
      await during(records, () => store.pruneBefore!(records, NOW - 90 * 86_400_000, 500));
    }
    const [events] = plans('events');
    expect(events).toContain(
      'SEARCH outbox USING COVERING INDEX outbox_delivered (delivered_at>? AND delivered_at<?)',
    );
    const [notifications] = plans('notifications');
    expect(notifications).toContain(
      'SEARCH notifications USING COVERING INDEX notifications_verified_received (received_at<?)',
    );
    const [keys] = plans('idempotencyKeys');
    expect(keys).toContain(
      'SEARCH idempotency_keys USING COVERING INDEX idempotency_keys_created (created_at<?)',
    );
    for (const plan of [events!, notifications!, keys!]) {
      expect(plan.filter((line) => FULL_SCAN.test(line) || /TEMP B-TREE/.test(line))).toEqual([]);
    }
  });

  // Last: it ANALYZEs a database most of whose events are delivered and orders paid, and the
  // statistics stay for any test after it.
  it('reads the metrics gauges from the partial indexes of waiting events and pending orders', async () => {
    // As in a running shop, most events are delivered and most orders paid (here 90%): the
    // gauges read the entries of the rest only.
    const settle = (delivered: string, status: string) =>
      base.db.exec(
        `UPDATE outbox SET delivered_at = ${delivered} WHERE event_id LIKE 'E%' AND event_id NOT LIKE '%0';
         UPDATE orders SET status = '${status}' WHERE order_id LIKE 'P%' AND order_id NOT LIKE '%0';
         ANALYZE`,
      );
    settle('created_at + 1', 'paid');
    try {
      await during('gauges', async () => {
        await store.outboxWaiting();
        await store.countCheckedPending();
      });
      const [waiting, checked] = plans('gauges');
      expect(waiting).toEqual(['SCAN outbox USING INDEX outbox_due']);
      expect(checked).toEqual(['SCAN orders USING INDEX orders_pending']);
    } finally {
      settle('NULL', 'pending');
    }
  });
});
