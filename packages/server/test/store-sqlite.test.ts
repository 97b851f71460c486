import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore, MIGRATIONS } from '@scanforpay/server/node';

/** What only the SQLite adapter does; the shared behaviour is in test/contract. */
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createSqliteStore', () => {
  it('opens in WAL mode with every migration recorded, and reopens without re-applying them', async () => {
    const path = join(dir, 'reopen.db');
    const first = createSqliteStore({ path });
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    await first.close();
    const second = createSqliteStore({ path, synchronous: 'FULL' });
    expect(second.db.pragma('synchronous', { simple: true })).toBe(2);
    const versions = second.db.prepare('SELECT version FROM schema_migrations').all();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    const tables = second.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => (row as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'orders',
        'notifications',
        'idempotency_keys',
        'checkout_tokens',
        'outbox',
        'refunds',
        'webhook_endpoints',
      ]),
    );
    await second.close();
  });

  it('upgrades a database of the first release in place, scheduling checks for its pending orders', async () => {
    const path = join(dir, 'v1.db');
    const old = new Database(path);
    old.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    old.exec(MIGRATIONS[0]!.sql);
    old.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(MIGRATIONS[0]!.name);
    old
      .prepare(
        `INSERT INTO orders (order_id, item_id, title, amount, currency, wallet, quantity, status,
           created_at, expires_at, updated_at) VALUES (?, 'tee', 'Tee', 100, 'HKD', 'AlipayHK', 1, ?, ?, ?, ?)`,
      )
      .run('OLDPENDING', 'pending', 5_000, 9_000, 5_000);
    old
      .prepare(
        `INSERT INTO orders (order_id, item_id, title, amount, currency, wallet, quantity, status,
           created_at, expires_at, updated_at) VALUES (?, 'tee', 'Tee', 100, 'HKD', 'AlipayHK', 1, ?, ?, ?, ?)`,
      )
      .run('OLDPAID', 'paid', 5_000, 9_000, 6_000);
    old.close();

    const store = createSqliteStore({ path });
    expect(await store.getOrder('OLDPENDING')).toMatchObject({
      status: 'pending',
      checks: 0,
      nextCheckAt: 65_000,
    });
    expect(await store.getOrder('OLDPAID')).toMatchObject({ status: 'paid', nextCheckAt: null });
    expect((await store.claimChecks({ now: 65_000, limit: 5, leaseMs: 1 })).length).toBe(1);
    await store.close();
  });

  it('fails after close', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.ping();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/not open/);
  });
});
