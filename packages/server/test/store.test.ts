import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ALLOWED_FROM, ORDER_STATUSES, type NewOrder, type OrderStatus } from '@scanforpay/server';
import { createSqliteStore, MIGRATIONS, type SqliteStore } from '@scanforpay/server/node';

const dir = mkdtempSync(join(tmpdir(), 'scanforpay-store-'));
let store: SqliteStore;
let n = 0;

function newOrder(overrides: Partial<NewOrder> = {}): NewOrder {
  n += 1;
  return {
    orderId: `ORDER${String(n).padStart(6, '0')}`,
    itemId: 'tee-red',
    title: 'Red tee',
    amount: 19900,
    currency: 'HKD',
    wallet: 'AlipayHK',
    quantity: 1,
    reference: null,
    createdAt: 1_000,
    expiresAt: 1_000 + 1_800_000,
    status: 'pending',
    payUrl: `https://pay.example/cashier/${n}`,
    gatewayOrderNo: null,
    failureCode: null,
    failureMessage: null,
    ...overrides,
  };
}

async function orderIn(status: OrderStatus): Promise<string> {
  const order = newOrder();
  await store.insertOrder({ order });
  const path: Record<OrderStatus, OrderStatus[]> = {
    pending: [],
    paid: ['paid'],
    failed: ['failed'],
    expired: ['expired'],
    refunded: ['paid', 'refunded'],
    partially_refunded: ['paid', 'partially_refunded'],
  };
  for (const to of path[status]) {
    const result = await store.transition(order.orderId, { to, at: 2_000 });
    expect(result.applied).toBe(true);
  }
  return order.orderId;
}

beforeEach(async () => {
  await store?.close();
  store = createSqliteStore({ path: join(dir, `store-${n}.db`) });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createSqliteStore', () => {
  it('opens in WAL mode with every migration recorded, and reopens without re-applying them', async () => {
    const path = join(dir, 'reopen.db');
    const first = createSqliteStore({ path });
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    await first.insertOrder({ order: newOrder({ orderId: 'KEEP' }) });
    await first.close();
    const second = createSqliteStore({ path, synchronous: 'FULL' });
    expect(second.db.pragma('synchronous', { simple: true })).toBe(2);
    const versions = second.db.prepare('SELECT version FROM schema_migrations').all();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect((await second.getOrder('KEEP'))?.status).toBe('pending');
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
      ]),
    );
    await second.close();
  });

  it('stores a new order as pending and reads it back', async () => {
    const order = newOrder({ reference: 'cart-9' });
    expect(await store.insertOrder({ order })).toEqual({ ok: true });
    expect(await store.getOrder(order.orderId)).toEqual({
      ...order,
      paidAt: null,
      refundedAmount: 0,
      updatedAt: order.createdAt,
    });
    expect(await store.getOrder('nope')).toBeUndefined();
  });

  it('claims an idempotency key with the order, and reports the first claim on reuse', async () => {
    const first = newOrder();
    await store.insertOrder({ order: first, idempotency: { key: 'k1', requestHash: 'h1' } });
    const second = newOrder();
    const result = await store.insertOrder({
      order: second,
      idempotency: { key: 'k1', requestHash: 'h2' },
    });
    expect(result).toEqual({
      ok: false,
      conflict: 'idempotency_key',
      existing: {
        key: 'k1',
        requestHash: 'h1',
        orderId: first.orderId,
        createdAt: first.createdAt,
      },
    });
    expect(await store.getOrder(second.orderId)).toBeUndefined();
  });

  it('accepts a checkout token for one order only, leaving nothing behind on reuse', async () => {
    await store.insertOrder({ order: newOrder(), checkoutToken: { id: 't1', expiresAt: 9 } });
    const again = newOrder();
    const result = await store.insertOrder({
      order: again,
      idempotency: { key: 'k-token', requestHash: 'h' },
      checkoutToken: { id: 't1', expiresAt: 9 },
    });
    expect(result).toEqual({ ok: false, conflict: 'token_used' });
    expect(await store.getOrder(again.orderId)).toBeUndefined();
    expect(await store.getIdempotencyKey('k-token')).toBeUndefined();
  });

  it('stores a failed order with the gateway’s reason', async () => {
    const order = newOrder({
      status: 'failed',
      payUrl: null,
      failureCode: '1099',
      failureMessage: 'disabled',
    });
    await store.insertOrder({ order });
    expect(await store.getOrder(order.orderId)).toMatchObject({
      status: 'failed',
      payUrl: null,
      failureCode: '1099',
      failureMessage: 'disabled',
    });
  });

  it('tells whether a checkout token was claimed', async () => {
    expect(await store.isCheckoutTokenUsed('t-claim')).toBe(false);
    await store.insertOrder({ order: newOrder(), checkoutToken: { id: 't-claim', expiresAt: 9 } });
    expect(await store.isCheckoutTokenUsed('t-claim')).toBe(true);
  });

  describe('transition', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES.filter((s) => s !== 'pending')) {
        const allowed = ALLOWED_FROM[to].includes(from);
        it(`${from} → ${to} ${allowed ? 'applies' : 'is refused'}`, async () => {
          const orderId = await orderIn(from);
          const result = await store.transition(orderId, { to, at: 3_000 });
          expect(result.applied).toBe(allowed);
          expect(result.order?.status).toBe(allowed ? to : from);
        });
      }
    }

    it('keeps the first paidAt and gateway order number', async () => {
      const orderId = await orderIn('pending');
      await store.transition(orderId, { to: 'paid', at: 10, paidAt: 7, gatewayOrderNo: 'G' });
      const refunded = await store.transition(orderId, {
        to: 'refunded',
        at: 20,
        refundedAmount: 19900,
        paidAt: 99,
        gatewayOrderNo: 'X',
      });
      expect(refunded.order).toMatchObject({
        status: 'refunded',
        paidAt: 7,
        gatewayOrderNo: 'G',
        refundedAmount: 19900,
        updatedAt: 20,
      });
    });

    it('reports an unknown order', async () => {
      expect(await store.transition('missing', { to: 'paid', at: 1 })).toEqual({
        applied: false,
        order: undefined,
      });
    });

    it('enqueues an outbox event in the same transaction, only when it applies', async () => {
      const orderId = await orderIn('pending');
      const event = { eventId: 'evt_1', type: 'order.paid', payload: '{"orderId":"x"}' };
      expect((await store.transition(orderId, { to: 'paid', at: 10, event })).applied).toBe(true);
      expect(
        (
          await store.transition(orderId, {
            to: 'paid',
            at: 11,
            event: { ...event, eventId: 'evt_2' },
          })
        ).applied,
      ).toBe(false);
      expect(store.db.prepare('SELECT event_id, type, order_id FROM outbox').all()).toEqual([
        { event_id: 'evt_1', type: 'order.paid', order_id: orderId },
      ]);
    });
  });

  it('expires a pending order only once its time is up', async () => {
    const order = newOrder({ expiresAt: 5_000 });
    await store.insertOrder({ order });
    expect((await store.expire(order.orderId, 4_999)).applied).toBe(false);
    const expired = await store.expire(order.orderId, 5_000);
    expect(expired).toMatchObject({
      applied: true,
      order: { status: 'expired', updatedAt: 5_000 },
    });
    const paid = await orderIn('paid');
    expect((await store.expire(paid, 10 ** 13)).order?.status).toBe('paid');
  });

  describe('recordNotification', () => {
    it('stores the raw body and applies the transition once', async () => {
      const orderId = await orderIn('pending');
      const input = {
        orderId,
        dedupeKey: `${orderId}:1:1`,
        rawBody: '{"response":{}}',
        verified: true,
        outcome: 'ignored' as const,
        reason: null,
        receivedAt: 50,
        transition: { orderId, input: { to: 'paid' as const, at: 50 } },
      };
      const first = await store.recordNotification(input);
      const second = await store.recordNotification({ ...input, receivedAt: 60 });
      expect(first).toMatchObject({ applied: true, outcome: 'applied', order: { status: 'paid' } });
      expect(second).toMatchObject({
        applied: false,
        outcome: 'duplicate',
        order: { status: 'paid' },
      });
      expect(await store.listNotifications(orderId)).toEqual([
        {
          id: first.id,
          orderId,
          dedupeKey: `${orderId}:1:1`,
          rawBody: '{"response":{}}',
          verified: true,
          outcome: 'applied',
          reason: null,
          receivedAt: 50,
        },
        {
          id: second.id,
          orderId,
          dedupeKey: `${orderId}:1:1`,
          rawBody: '{"response":{}}',
          verified: true,
          outcome: 'duplicate',
          reason: null,
          receivedAt: 60,
        },
      ]);
    });

    it('classifies a transition that no longer fits as ignored', async () => {
      const orderId = await orderIn('refunded');
      const result = await store.recordNotification({
        orderId,
        dedupeKey: null,
        rawBody: 'x',
        verified: true,
        outcome: 'ignored',
        reason: null,
        receivedAt: 1,
        transition: { orderId, input: { to: 'paid', at: 1 } },
      });
      expect(result).toMatchObject({
        applied: false,
        outcome: 'ignored',
        order: { status: 'refunded' },
      });
    });

    it('records a rejected notification without touching any order', async () => {
      const result = await store.recordNotification({
        orderId: null,
        dedupeKey: null,
        rawBody: 'forged',
        verified: false,
        outcome: 'rejected',
        reason: 'signature: mismatch',
        receivedAt: 1,
      });
      expect(result).toMatchObject({ applied: false, outcome: 'rejected', order: undefined });
      expect((await store.listNotifications()).at(-1)).toMatchObject({
        rawBody: 'forged',
        verified: false,
        reason: 'signature: mismatch',
      });
    });
  });

  it('pings, and fails after close', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
    store = createSqliteStore({ path: ':memory:' });
  });
});
