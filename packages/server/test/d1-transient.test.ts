import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createD1Store,
  type D1DatabaseLike,
  type D1PreparedStatementLike,
  type OrderStore,
} from '@scanforpay/server/store';
import { createHarness, type Harness } from './helpers/harness.js';

/**
 * D1 fails now and then with a transient error (Cloudflare's list: the database object
 * restarting, a storage timeout, a lost connection, an overload). The store turns those into
 * `StoreUnavailableError`, so the proxy answers 503 `store_unavailable` with `Retry-After`, as
 * for a lock timeout on SQLite or Postgres, and the storefront's retry with the same
 * `Idempotency-Key` settles it whether or not the failed batch was written. Any other D1 error
 * stays a 500. The faults are injected around miniflare's real D1 (workerd's SQLite).
 */
let mf: Miniflare;
let db: D1DatabaseLike;

/** What the next batch that writes an order does: fail before it runs, or after it committed. */
let fault: { message: string; when: 'before' | 'after' } | undefined;

interface Wrapped extends D1PreparedStatementLike {
  sql: string;
  inner: D1PreparedStatementLike;
}

/** Runs one unit (a statement or a batch), with `fault` applied if it inserts an order. */
async function faulted<R>(statements: Wrapped[], run: () => Promise<R>): Promise<R> {
  const current = statements.some((s) => s.sql.includes('INSERT INTO orders')) ? fault : undefined;
  if (current) fault = undefined;
  if (current?.when === 'before') throw new Error(current.message);
  const results = await run();
  if (current) throw new Error(current.message);
  return results;
}

function wrap(inner: D1PreparedStatementLike, sql: string): Wrapped {
  const statement: Wrapped = {
    sql,
    inner,
    bind: (...values) => wrap(inner.bind(...values), sql),
    all: () => faulted([statement], () => inner.all()),
  };
  return statement;
}

/** The real database, with `fault` applied to the unit that inserts an order. */
const faulty: D1DatabaseLike = {
  prepare: (sql) => wrap(db.prepare(sql), sql),
  batch(statements) {
    const wrapped = statements as Wrapped[];
    return faulted(wrapped, () => db.batch(wrapped.map((s) => s.inner)));
  },
};

let store: OrderStore;
let h: Harness;

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
    compatibilityDate: '2026-04-26',
    d1Databases: ['DB'],
  });
  db = (await mf.getD1Database('DB')) as unknown as D1DatabaseLike;
  store = createD1Store(faulty);
  await store.ping(); // migrations run on first use
  h = await createHarness({ proxy: { store } });
});

afterAll(async () => {
  await h?.close();
  await mf?.dispose();
});

beforeEach(() => {
  fault = undefined;
});

const count = async (table: string) =>
  ((await db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).all()).results![0] as { n: number }).n;

const order = { item: 'tee-red', wallet: 'AlipayHK' };

describe('the D1 store on a transient error', () => {
  it.each([
    'D1_ERROR: Network connection lost.',
    'D1_ERROR: D1 DB reset because its code was updated.',
    'D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.',
    'D1_ERROR: D1 DB is overloaded. Too many requests queued.',
  ])(
    'answers 503 store_unavailable for "%s" before the write, and the same key then places the order',
    async (message) => {
      const before = await count('orders');
      fault = { message, when: 'before' };
      const key = `d1-before-${before}`;
      const failed = await h.createOrder(order, { 'idempotency-key': key });
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('1');
      expect(await failed.json()).toMatchObject({ status: 503, code: 'store_unavailable' });
      expect(fault).toBeUndefined();
      expect(await count('orders')).toBe(before);

      const again = await h.createOrder(order, { 'idempotency-key': key });
      expect(again.status).toBe(201);
      expect(await count('orders')).toBe(before + 1);
    },
  );

  it('answers 503 when the connection is lost after the batch committed: the next click places a new order, the key answers incomplete', async () => {
    const before = await count('orders');
    fault = { message: 'D1_ERROR: Network connection lost.', when: 'after' };
    const failed = await h.createOrder(order, { 'idempotency-key': 'd1-after' });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ code: 'store_unavailable' });
    // The batch was written: a pending order without a pay link, which reconciliation settles.
    const written = await db
      .prepare(
        'SELECT o.status, o.pay_url FROM orders o JOIN idempotency_keys k USING (order_id) WHERE k.key = ?',
      )
      .bind('d1-after')
      .all();
    expect(written.results).toEqual([{ status: 'pending', pay_url: null }]);

    // The button's next click sends a new key: a new order, with its pay link.
    const next = await h.createOrder(order, { 'idempotency-key': 'd1-after-2' });
    expect(next.status).toBe(201);
    expect(await count('orders')).toBe(before + 2);

    // The same key, once its first request is past the gateway timeout and the grace, is told so
    // (not answered 409 forever, and no second gateway call for it).
    h.advance(60_000);
    try {
      const again = await h.createOrder(order, { 'idempotency-key': 'd1-after' });
      expect(again.status).toBe(502);
      expect(await again.json()).toMatchObject({
        code: 'gateway_error',
        detail: expect.stringMatching(/did not complete/),
      });
    } finally {
      h.advance(-60_000);
    }
    expect(await count('orders')).toBe(before + 2);
  });

  it('keeps any other D1 error a 500 internal_error', async () => {
    fault = { message: 'D1_ERROR: no such table: orders: SQLITE_ERROR', when: 'before' };
    const failed = await h.createOrder(order);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ status: 500, code: 'internal_error' });
  });
});
