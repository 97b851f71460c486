import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '@scanforpay/server/node';
import { createHarness, eventually, type Harness } from './helpers/harness.js';

/**
 * Another connection (a second process, a backup, an operator's `sqlite3`) holds the write
 * lock of the proxy's SQLite file. The store's wait for it is asynchronous, so requests that
 * need no database are answered meanwhile; a write that never gets the lock ends in a 503
 * `store_unavailable` and leaves nothing behind.
 */
const BUDGET_MS = 200;

let h: Harness;
let store: SqliteStore;
let holder: Database.Database;
/** Every wait the store asked for, in ms. */
let sleeps: number[];
/** What the store's next wait does; each test sets it. */
let onSleep: (ms: number) => Promise<void>;

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scanforpay-busy-'));
  const path = join(dir, 'proxy.db');
  sleeps = [];
  onSleep = () => Promise.resolve();
  store = createSqliteStore({
    path,
    busyTimeoutMs: BUDGET_MS,
    sleep: (ms) => {
      sleeps.push(ms);
      return onSleep(ms);
    },
  });
  h = await createHarness({ proxy: { store } });
  holder = new Database(path);
  holder.pragma('busy_timeout = 0');
  return async () => {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
    await h.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
});

const count = (table: string) =>
  (holder.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('a SQLite file locked by another connection', () => {
  it('answers what needs no database at once, and a write 503 store_unavailable once the wait is spent', async () => {
    // SQLite itself never sleeps inside a call: that would stop the event loop.
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(0);
    holder.exec('BEGIN IMMEDIATE');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    onSleep = () => gate;

    let settled = false;
    const creating = h
      .createOrder({ item: 'tee-red', wallet: 'AlipayHK' }, { 'idempotency-key': 'busy-1' })
      .finally(() => (settled = true));
    // The order write found the lock taken and is waiting, asynchronously.
    await eventually(() => Promise.resolve(sleeps.length > 0 ? true : undefined));

    expect((await h.request('/items/tee-red')).status).toBe(200);
    // Reads still work under WAL while the other connection holds the write lock.
    expect((await h.request('/healthz')).status).toBe(200);
    expect(settled).toBe(false);
    expect(holder.inTransaction).toBe(true);

    release();
    const response = await creating;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 503, code: 'store_unavailable' });
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(BUDGET_MS);
    expect(holder.inTransaction).toBe(true);

    // Nothing of the failed write is there, so the same key places the order afresh.
    holder.exec('ROLLBACK');
    expect([count('orders'), count('idempotency_keys'), count('outbox')]).toEqual([0, 0, 0]);
    const again = await h.createOrder(
      { item: 'tee-red', wallet: 'AlipayHK' },
      { 'idempotency-key': 'busy-1' },
    );
    expect(again.status).toBe(201);
    expect([count('orders'), count('idempotency_keys')]).toEqual([1, 1]);
  });

  it('writes once when the lock is freed during the wait', async () => {
    holder.exec('BEGIN IMMEDIATE');
    onSleep = () => {
      if (sleeps.length === 3) holder.exec('COMMIT');
      return Promise.resolve();
    };
    const response = await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
    expect(response.status).toBe(201);
    expect(sleeps).toEqual([1, 2, 4]);
    const { orderId } = (await response.json()) as { orderId: string };
    expect(holder.prepare('SELECT order_id FROM orders').all()).toEqual([{ order_id: orderId }]);
  });

  it('fails a single write with StoreUnavailableError, and runs it once the lock is released', async () => {
    holder.exec('BEGIN IMMEDIATE');
    const url = 'https://shop.example/hook';
    await expect(store.setEndpoint(url, { at: 1, reason: 'test' })).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      code: 'store_unavailable',
    });
    holder.exec('ROLLBACK');
    await store.setEndpoint(url, { at: 1, reason: 'test' });
    expect(count('webhook_endpoints')).toBe(1);
  });
});
