import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlRow, SqlStatement } from '../src/store/sql/sql-driver.js';
import { readBatch } from '../src/store/sqlite/read-batch.js';

/**
 * The lone reads of one turn run in one read transaction (one WAL read lock instead of one a
 * read). The store contract and every SQLite test run through it too; these pin its own rules.
 */
let db: Database.Database;
/** Each statement run: its SQL, and whether a transaction was open around it. */
let runs: { sql: string; inTransaction: boolean }[];
/** Flushes queued by the batch, run by the test (no timer). */
let flushes: (() => void)[];
/** Lock errors still to throw, one a statement run. */
let busy: number;
let sleeps: number[];

const select = (id: number): SqlStatement => ({
  sql: 'SELECT v FROM t WHERE id = ?',
  params: [id],
});

function batch() {
  return readBatch(db, {
    budgetMs: 1000,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    schedule: (flush) => flushes.push(flush),
    execute: (statement): SqlRow[] => {
      runs.push({ sql: statement.sql, inTransaction: db.inTransaction });
      if (busy > 0) {
        busy -= 1;
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      }
      return db.prepare(statement.sql).all(...statement.params) as SqlRow[];
    },
  });
}

beforeEach(() => {
  db = new Database(':memory:');
  db.exec(
    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')",
  );
  runs = [];
  flushes = [];
  busy = 0;
  sleeps = [];
});
afterEach(() => db.close());

const flushAll = async () => {
  while (flushes.length) flushes.shift()!();
  // The batch resolves its callers after its (synchronous) reads, through retryWhileBusy.
  await new Promise((resolve) => setImmediate(resolve));
};

describe('readBatch', () => {
  it('runs the reads queued in one turn in one transaction, each answered with its rows', async () => {
    const reads = batch();
    const answers = Promise.all([
      reads.read(select(1)),
      reads.read(select(2)),
      reads.read(select(3)),
    ]);
    expect(flushes).toHaveLength(1);
    expect(runs).toEqual([]);
    await flushAll();
    expect(await answers).toEqual([[{ v: 'a' }], [{ v: 'b' }], [{ v: 'c' }]]);
    expect(runs.map((r) => r.inTransaction)).toEqual([true, true, true]);
    expect(db.inTransaction).toBe(false);
  });

  it('runs a lone read of its turn without a transaction, and the next turn as a new batch', async () => {
    const reads = batch();
    const first = reads.read(select(1));
    await flushAll();
    expect(await first).toEqual([{ v: 'a' }]);
    const second = reads.read(select(2));
    expect(flushes).toHaveLength(1);
    await flushAll();
    expect(await second).toEqual([{ v: 'b' }]);
    expect(runs.map((r) => r.inTransaction)).toEqual([false, false]);
  });

  it('fails a read that fails alone; the others of its batch are answered', async () => {
    const reads = batch();
    const results = Promise.allSettled([
      reads.read(select(1)),
      reads.read({ sql: 'SELECT v FROM missing WHERE id = ?', params: [1] }),
      reads.read(select(3)),
    ]);
    await flushAll();
    const [a, b, c] = await results;
    expect(a).toEqual({ status: 'fulfilled', value: [{ v: 'a' }] });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'no such table: missing' } });
    expect(c).toEqual({ status: 'fulfilled', value: [{ v: 'c' }] });
    expect(db.inTransaction).toBe(false);
  });

  it('reads the whole batch again after a wait when it meets a lock, and gives up with 503 once the budget is spent', async () => {
    const reads = batch();
    busy = 1;
    const answers = Promise.all([reads.read(select(1)), reads.read(select(2))]);
    await flushAll();
    expect(await answers).toEqual([[{ v: 'a' }], [{ v: 'b' }]]);
    // The first attempt stopped at its first read; the second read both.
    expect(runs).toHaveLength(3);
    expect(sleeps).toEqual([1]);
    expect(db.inTransaction).toBe(false);

    busy = Number.POSITIVE_INFINITY;
    const refused = reads.read(select(3)).catch((error: unknown) => error);
    await flushAll();
    expect(await refused).toMatchObject({
      name: 'StoreUnavailableError',
      code: 'store_unavailable',
    });
    expect(sleeps.slice(1).reduce((a, b) => a + b, 0)).toBe(1000);
  });
});
