import { describe, expect, it } from 'vitest';
import { orderEvent } from '../../src/domain/merchant-event.js';
import { ALLOWED_FROM, ORDER_STATUSES, type OrderStore } from '@scanforpay/server/store';
import type { Engine } from '../helpers/engines.js';
import { newOrder, orderIn, useStore } from './store-contract.js';

/** The OrderStore contract, orders: written with their claims, read, listed, and their transitions. */
let engine: Engine;
let store: OrderStore;
useStore((opened, on) => {
  store = opened;
  engine = on;
});

describe('orders', () => {
  it('stores a new order as pending and reads it back, first check due a minute after creation', async () => {
    const order = newOrder({ reference: 'cart-9' });
    expect(await store.insertOrder({ order })).toEqual({ ok: true });
    expect(await store.getOrder(order.orderId)).toEqual({
      ...order,
      paidAt: null,
      refundedAmount: 0,
      updatedAt: order.createdAt,
      checks: 0,
      nextCheckAt: order.createdAt + 60_000,
      context: null,
      endpoint: 'online',
    });
    expect(await store.getOrder('nope')).toBeUndefined();
  });

  it('records where the shopper was and the gateway endpoint the order went to', async () => {
    const order = newOrder({ wallet: 'Wechat', context: 'desktop', endpoint: 'qrcode' });
    await store.insertOrder({ order });
    const other = newOrder({ context: 'wechat', endpoint: 'online' });
    await store.insertOrder({ order: other });
    expect(await store.getOrder(order.orderId)).toMatchObject({
      context: 'desktop',
      endpoint: 'qrcode',
    });
    expect(await store.getOrder(other.orderId)).toMatchObject({
      context: 'wechat',
      endpoint: 'online',
    });
  });

  it('keeps amounts and epoch milliseconds beyond 32 bits exactly', async () => {
    const order = newOrder({ amount: 2 ** 40 + 1, createdAt: 1_790_000_000_123 });
    await store.insertOrder({ order, nextCheckAt: 1_790_000_060_123 });
    expect(await store.getOrder(order.orderId)).toMatchObject({
      amount: 2 ** 40 + 1,
      createdAt: 1_790_000_000_123,
      nextCheckAt: 1_790_000_060_123,
    });
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
      existing: { key: 'k1', requestHash: 'h1', orderId: first.orderId, createdAt: 1_000 },
    });
    expect(await store.getOrder(second.orderId)).toBeUndefined();
    expect(await store.getIdempotencyKey('k1')).toMatchObject({ orderId: first.orderId });
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
    const plain = await store.insertOrder({
      order: newOrder(),
      checkoutToken: { id: 't1', expiresAt: 9 },
    });
    expect(plain).toEqual({ ok: false, conflict: 'token_used' });
  });

  it('stores a failed order with the gateway’s reason and no check scheduled', async () => {
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
      nextCheckAt: null,
    });
  });

  it('tells whether a checkout token was claimed', async () => {
    expect(await store.isCheckoutTokenUsed('t-claim')).toBe(false);
    await store.insertOrder({ order: newOrder(), checkoutToken: { id: 't-claim', expiresAt: 9 } });
    expect(await store.isCheckoutTokenUsed('t-claim')).toBe(true);
  });

  it('lists orders newest first, by status, a page at a time', async () => {
    const ids = [
      await orderIn('paid'),
      await orderIn('pending'),
      await orderIn('paid'),
      await orderIn('paid'),
    ];
    expect((await store.listOrders({ limit: 10 })).map((o) => o.orderId)).toEqual(
      [...ids].reverse(),
    );
    const page1 = await store.listOrders({ status: 'paid', limit: 2 });
    expect(page1.map((o) => o.orderId)).toEqual([ids[3], ids[2]]);
    const page2 = await store.listOrders({ status: 'paid', limit: 2, before: ids[2] });
    expect(page2.map((o) => o.orderId)).toEqual([ids[0]]);
  });

  it('searches by status, exact id / reference / gateway number and creation time, a page at a time', async () => {
    const a = await orderIn('paid', { reference: 'cart-1', createdAt: 1_000 });
    const b = await orderIn('paid', { reference: 'cart-2', createdAt: 2_000, currency: 'CNY' });
    const c = await orderIn('pending', { reference: 'cart-1', createdAt: 3_000 });
    const d = await orderIn('refunded', { createdAt: 4_000, gatewayOrderNo: 'GW42' });
    const ids = async (filter: Parameters<OrderStore['searchOrders']>[0], offset = 0, limit = 10) =>
      (await store.searchOrders(filter, { limit, offset })).map((o) => o.orderId);
    expect(await ids({})).toEqual([d, c, b, a]);
    expect(await ids({}, 1, 2)).toEqual([c, b]);
    expect(await ids({ status: 'paid' })).toEqual([b, a]);
    expect(await ids({ text: 'cart-1' })).toEqual([c, a]);
    expect(await ids({ text: 'cart-1', status: 'pending' })).toEqual([c]);
    expect(await ids({ text: 'GW42' })).toEqual([d]);
    expect(await ids({ text: b })).toEqual([b]);
    // Exact, never a pattern.
    expect(await ids({ text: 'cart-%' })).toEqual([]);
    expect(await ids({ text: 'cart' })).toEqual([]);
    expect(await ids({ from: 2_000, to: 4_000 })).toEqual([c, b]);
    expect(
      (await store.searchOrders({ status: 'paid' }, { limit: 10, before: b })).map(
        (o) => o.orderId,
      ),
    ).toEqual([a]);
  });

  it('totals a filtered set per currency: count, amount and refunded amount', async () => {
    await orderIn('paid', { amount: 1_000, createdAt: 1_000 });
    await orderIn('paid', { amount: 2 ** 40, createdAt: 2_000 });
    await orderIn('paid', { amount: 500, currency: 'CNY', createdAt: 3_000 });
    const refunded = await orderIn('paid', { amount: 700, createdAt: 4_000 });
    await store.transition(refunded, {
      to: 'partially_refunded',
      at: 5_000,
      refundedAmount: 300,
      expectRefundedAmount: 0,
    });
    expect(await store.orderTotals({})).toEqual([
      { currency: 'CNY', count: 1, amount: 500, refundedAmount: 0 },
      { currency: 'HKD', count: 3, amount: 2 ** 40 + 1_700, refundedAmount: 300 },
    ]);
    expect(await store.orderTotals({ status: 'partially_refunded' })).toEqual([
      { currency: 'HKD', count: 1, amount: 700, refundedAmount: 300 },
    ]);
    expect(await store.orderTotals({ from: 2_500, to: 3_500 })).toEqual([
      { currency: 'CNY', count: 1, amount: 500, refundedAmount: 0 },
    ]);
    expect(await store.orderTotals({ text: 'nothing' })).toEqual([]);
  });
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

  it('compares the refunded total when asked to', async () => {
    const orderId = await orderIn('paid');
    const stale = await store.transition(orderId, {
      to: 'partially_refunded',
      at: 5,
      refundedAmount: 100,
      expectRefundedAmount: 50,
    });
    expect(stale).toMatchObject({ applied: false, order: { status: 'paid', refundedAmount: 0 } });
    const fresh = await store.transition(orderId, {
      to: 'partially_refunded',
      at: 5,
      refundedAmount: 100,
      expectRefundedAmount: 0,
    });
    expect(fresh).toMatchObject({ applied: true, order: { refundedAmount: 100 } });
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
    const again = await store.transition(orderId, {
      to: 'paid',
      at: 11,
      event: { ...event, eventId: 'evt_2' },
    });
    expect(again.applied).toBe(false);
    expect(await store.listEvents(orderId)).toEqual([
      {
        eventId: 'evt_1',
        type: 'order.paid',
        orderId,
        payload: '{"orderId":"x"}',
        createdAt: 10,
        attempts: 0,
        nextAttemptAt: 10,
        deliveredAt: null,
        givenUpAt: null,
        lastError: null,
      },
    ]);
  });

  it('expires a pending order only once its time is up, with its event', async () => {
    const order = newOrder({ expiresAt: 5_000 });
    await store.insertOrder({ order });
    expect((await store.expire(order.orderId, 4_999)).applied).toBe(false);
    const pending = (await store.getOrder(order.orderId))!;
    const event = orderEvent({ ...pending, status: 'expired' }, 5_000);
    const expired = await store.expire(order.orderId, 5_000, event);
    expect(expired).toMatchObject({
      applied: true,
      order: { status: 'expired', updatedAt: 5_000 },
    });
    expect((await store.listEvents(order.orderId)).map((e) => e.type)).toEqual(['order.expired']);
    const paid = await orderIn('paid');
    expect((await store.expire(paid, 10 ** 13)).order?.status).toBe('paid');
  });
});

describe('several processes on one database', () => {
  it('give one order per idempotency key under concurrent creation', async () => {
    const sibling = await engine.openSibling();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? sibling : store).insertOrder({
          order: newOrder(),
          idempotency: { key: 'same-key', requestHash: 'h' },
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.conflict === 'idempotency_key')).toHaveLength(5);
  });
});
