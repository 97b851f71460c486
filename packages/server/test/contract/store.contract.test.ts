import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALLOWED_FROM,
  ORDER_STATUSES,
  orderEvent,
  type NewOrder,
  type NotificationInput,
  type OrderStatus,
  type OrderStore,
} from '@scanforpay/server';
import { openEngine, type Engine } from '../helpers/engines.js';

/**
 * The OrderStore contract. The same file runs unchanged on SQLite, Postgres and D1 (one
 * vitest project per engine, see vitest.config.ts), each on the real engine.
 */
let engine: Engine;
let store: OrderStore;
let n = 0;

beforeAll(async () => {
  engine = await openEngine();
});
afterAll(async () => {
  await engine.close();
});
beforeEach(async () => {
  store = await engine.open();
});
afterEach(async () => {
  await store.close().catch(() => {});
});

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

async function orderIn(status: OrderStatus, overrides: Partial<NewOrder> = {}): Promise<string> {
  const order = newOrder(overrides);
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

function paidNotification(orderId: string, receivedAt: number): NotificationInput {
  return {
    orderId,
    dedupeKey: `${orderId}:1:1`,
    rawBody: '{"response":{}}',
    verified: true,
    outcome: 'ignored',
    reason: null,
    receivedAt,
    transition: { orderId, input: { to: 'paid', at: receivedAt } },
  };
}

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
    });
    expect(await store.getOrder('nope')).toBeUndefined();
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

describe('recordNotification', () => {
  it('stores the raw body and applies the transition once', async () => {
    const orderId = await orderIn('pending');
    const first = await store.recordNotification(paidNotification(orderId, 50));
    const second = await store.recordNotification(paidNotification(orderId, 60));
    expect(first).toMatchObject({ applied: true, outcome: 'applied', order: { status: 'paid' } });
    expect(second).toMatchObject({
      applied: false,
      outcome: 'duplicate',
      order: { status: 'paid', paidAt: 50 },
    });
    expect(second.id).toBeGreaterThan(first.id);
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

  it('classifies a transition that no longer fits as ignored, and a missing order as unknown', async () => {
    const orderId = await orderIn('refunded');
    const result = await store.recordNotification({
      ...paidNotification(orderId, 1),
      rawBody: 'x',
    });
    expect(result).toMatchObject({
      applied: false,
      outcome: 'ignored',
      order: { status: 'refunded' },
    });
    const missing = await store.recordNotification(paidNotification('GHOST', 1));
    expect(missing).toMatchObject({ applied: false, outcome: 'unknown_order', order: undefined });
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

describe('recordRejectedNotification', () => {
  const rejected = (n: number, keep: number) =>
    store.recordRejectedNotification({
      rawBody: `forged ${n}`,
      reason: 'signature: mismatch',
      receivedAt: n,
      keep,
    });

  it('keeps the newest `keep` rejected notifications and no verified one is deleted', async () => {
    const orderId = await orderIn('pending');
    await store.recordNotification(paidNotification(orderId, 1));
    await store.recordNotification({ ...paidNotification('GHOST', 2), orderId: null });
    const results = [];
    for (let n = 1; n <= 5; n++) results.push(await rejected(n, 3));
    expect(results.map((r) => r.pruned)).toEqual([0, 0, 0, 1, 1]);
    const rows = await store.listNotifications();
    expect(rows.map((r) => [r.outcome, r.rawBody])).toEqual([
      ['applied', '{"response":{}}'],
      ['unknown_order', '{"response":{}}'],
      ['rejected', 'forged 3'],
      ['rejected', 'forged 4'],
      ['rejected', 'forged 5'],
    ]);
    expect(rows.at(-1)).toEqual({
      id: results[4]!.id,
      orderId: null,
      dedupeKey: null,
      rawBody: 'forged 5',
      verified: false,
      outcome: 'rejected',
      reason: 'signature: mismatch',
      receivedAt: 5,
    });
  });

  it('prunes every older rejected notification at once when `keep` shrinks', async () => {
    for (let n = 1; n <= 4; n++) await rejected(n, 10);
    expect((await rejected(5, 2)).pruned).toBe(3);
    expect((await store.listNotifications()).map((r) => r.rawBody)).toEqual([
      'forged 4',
      'forged 5',
    ]);
  });
});

describe('outbox', () => {
  async function paidWithEvent(at = 10): Promise<{ orderId: string; eventId: string }> {
    const orderId = await orderIn('pending');
    const order = (await store.getOrder(orderId))!;
    const event = orderEvent({ ...order, status: 'paid', paidAt: at }, at);
    await store.transition(orderId, { to: 'paid', at, event });
    return { orderId, eventId: event.eventId };
  }

  it('claims due events once per lease, and counts the attempt', async () => {
    const { eventId } = await paidWithEvent(10);
    expect(await store.claimEvents({ now: 9, limit: 10, leaseMs: 1000 })).toEqual([]);
    const [claimed] = await store.claimEvents({ now: 10, limit: 10, leaseMs: 1000 });
    expect(claimed).toMatchObject({ eventId, attempts: 1, nextAttemptAt: 1010 });
    expect(claimed!.claim).toMatch(/^[0-9a-f]{32}$/);
    expect(await store.claimEvents({ now: 1009, limit: 10, leaseMs: 1000 })).toEqual([]);
    // The lease passed (a crashed deliverer): claimed again, and the old claim is void.
    const [again] = await store.claimEvents({ now: 1010, limit: 10, leaseMs: 1000 });
    expect(again).toMatchObject({ eventId, attempts: 2 });
    expect(
      await store.settleEvent(eventId, claimed!.claim, { outcome: 'delivered', at: 1011 }),
    ).toBe(false);
    expect(await store.settleEvent(eventId, again!.claim, { outcome: 'delivered', at: 1012 })).toBe(
      true,
    );
    expect(await store.settleEvent(eventId, again!.claim, { outcome: 'delivered', at: 1013 })).toBe(
      false,
    );
    expect((await store.listEvents())[0]).toMatchObject({ deliveredAt: 1012, attempts: 2 });
    expect(await store.claimEvents({ now: 10 ** 12, limit: 10, leaseMs: 1000 })).toEqual([]);
  });

  it('retries later, gives up, or puts an event back untouched', async () => {
    const a = await paidWithEvent(10);
    const b = await paidWithEvent(10);
    const c = await paidWithEvent(10);
    const claims = new Map(
      (await store.claimEvents({ now: 20, limit: 10, leaseMs: 100 })).map((e) => [e.eventId, e]),
    );
    expect(claims.size).toBe(3);
    await store.settleEvent(a.eventId, claims.get(a.eventId)!.claim, {
      outcome: 'retry',
      at: 20,
      nextAttemptAt: 500,
      error: 'HTTP 503',
    });
    await store.settleEvent(b.eventId, claims.get(b.eventId)!.claim, {
      outcome: 'given_up',
      at: 20,
      error: 'HTTP 500',
    });
    await store.settleEvent(c.eventId, claims.get(c.eventId)!.claim, {
      outcome: 'released',
      nextAttemptAt: 300,
    });
    const events = new Map((await store.listEvents()).map((e) => [e.eventId, e]));
    expect(events.get(a.eventId)).toMatchObject({
      attempts: 1,
      nextAttemptAt: 500,
      lastError: 'HTTP 503',
    });
    expect(events.get(b.eventId)).toMatchObject({ givenUpAt: 20, lastError: 'HTTP 500' });
    expect(events.get(c.eventId)).toMatchObject({ attempts: 0, nextAttemptAt: 300 });
    const due = await store.claimEvents({ now: 500, limit: 10, leaseMs: 100 });
    expect(due.map((e) => e.eventId).sort()).toEqual([a.eventId, c.eventId].sort());
  });

  it('claims at most `limit` events, oldest due first', async () => {
    const first = await paidWithEvent(10);
    await paidWithEvent(20);
    const claimed = await store.claimEvents({ now: 30, limit: 1, leaseMs: 100 });
    expect(claimed.map((e) => e.eventId)).toEqual([first.eventId]);
  });

  it('makes waiting events due at once, leaving claimed and settled ones alone', async () => {
    const waiting = await paidWithEvent(10);
    const claimed = await paidWithEvent(10);
    const delivered = await paidWithEvent(10);
    const claims = new Map(
      (await store.claimEvents({ now: 20, limit: 10, leaseMs: 100 })).map((e) => [e.eventId, e]),
    );
    await store.settleEvent(waiting.eventId, claims.get(waiting.eventId)!.claim, {
      outcome: 'released',
      nextAttemptAt: 60_000,
    });
    await store.settleEvent(delivered.eventId, claims.get(delivered.eventId)!.claim, {
      outcome: 'delivered',
      at: 30,
    });
    expect(await store.retryEventsNow(40)).toBe(1);
    const events = new Map((await store.listEvents()).map((e) => [e.eventId, e]));
    expect(events.get(waiting.eventId)?.nextAttemptAt).toBe(40);
    expect(events.get(claimed.eventId)?.nextAttemptAt).toBe(120);
    expect(events.get(delivered.eventId)?.deliveredAt).toBe(30);
  });

  it('remembers a disabled endpoint until it is enabled again', async () => {
    const url = 'https://merchant.example/hooks';
    expect(await store.getEndpoint(url)).toBeUndefined();
    await store.setEndpoint(url, { at: 5, reason: '410 Gone' });
    expect(await store.getEndpoint(url)).toEqual({ url, disabledAt: 5, reason: '410 Gone' });
    await store.setEndpoint(url, null);
    expect(await store.getEndpoint(url)).toEqual({ url, disabledAt: null, reason: null });
  });
});

describe('reconciliation checks', () => {
  it('claims pending orders whose check is due, and reschedules them', async () => {
    const due = await orderIn('pending'); // next check at 61 000
    await orderIn('paid');
    const later = newOrder();
    await store.insertOrder({ order: later, nextCheckAt: 500_000 });
    expect(await store.claimChecks({ now: 60_999, limit: 10, leaseMs: 30_000 })).toEqual([]);
    const claimed = await store.claimChecks({ now: 61_000, limit: 10, leaseMs: 30_000 });
    expect(claimed.map((o) => [o.orderId, o.checks, o.nextCheckAt])).toEqual([[due, 1, 91_000]]);
    expect(await store.claimChecks({ now: 90_000, limit: 10, leaseMs: 30_000 })).toEqual([]);
    await store.scheduleCheck(due, 200_000);
    expect((await store.getOrder(due))?.nextCheckAt).toBe(200_000);
    expect(
      (await store.claimChecks({ now: 500_000, limit: 10, leaseMs: 1 }))
        .map((o) => o.orderId)
        .sort(),
    ).toEqual([due, later.orderId].sort());
  });

  it('stops checking an order once it is no longer pending', async () => {
    const orderId = await orderIn('pending');
    await store.transition(orderId, { to: 'paid', at: 5 });
    expect(await store.claimChecks({ now: 10 ** 12, limit: 10, leaseMs: 1 })).toEqual([]);
  });
});

describe('refunds', () => {
  const reserve = (orderId: string, refundNo: string, amount: number) =>
    store.reserveRefund({ refundNo, orderId, amount, reason: null, at: 100 });

  it('reserves within what was paid, settles, and moves the order with its event', async () => {
    const orderId = await orderIn('paid');
    const reserved = await reserve(orderId, 'R1', 5_000);
    expect(reserved).toMatchObject({
      ok: true,
      refund: { refundNo: 'R1', orderId, amount: 5_000, status: 'pending', refundedBefore: 0 },
      order: { status: 'paid' },
    });
    const order = (await store.getOrder(orderId))!;
    const next = { ...order, status: 'partially_refunded' as const, refundedAmount: 5_000 };
    const settled = await store.settleRefund({
      refundNo: 'R1',
      at: 200,
      success: {
        to: 'partially_refunded',
        at: 200,
        refundedAmount: 5_000,
        expectRefundedAmount: 0,
        event: orderEvent(next, 200, { refundNo: 'R1', amount: 5_000 }),
      },
    });
    expect(settled).toMatchObject({
      applied: true,
      refund: { status: 'succeeded', updatedAt: 200 },
      order: { status: 'partially_refunded', refundedAmount: 5_000 },
    });
    const again = await store.settleRefund({
      refundNo: 'R1',
      at: 300,
      success: { to: 'refunded', at: 300, refundedAmount: 10_000, expectRefundedAmount: 5_000 },
    });
    expect(again).toMatchObject({ applied: false, order: { refundedAmount: 5_000 } });
    expect((await store.listEvents(orderId)).map((e) => e.type)).toEqual([
      'order.partially_refunded',
    ]);
    expect(await reserve(orderId, 'R2', 14_901)).toMatchObject({ ok: false, conflict: 'exceeds' });
    expect(await reserve(orderId, 'R2', 14_900)).toMatchObject({
      ok: true,
      refund: { refundedBefore: 5_000 },
    });
  });

  it('answers a known refundNo with the stored refund', async () => {
    const orderId = await orderIn('paid');
    await reserve(orderId, 'R1', 100);
    expect(await reserve(orderId, 'R1', 100)).toMatchObject({
      ok: false,
      conflict: 'exists',
      refund: { refundNo: 'R1', amount: 100, status: 'pending' },
    });
    const other = await orderIn('paid');
    expect(await reserve(other, 'R1', 100)).toMatchObject({
      ok: false,
      conflict: 'exists',
      refund: { orderId },
      order: undefined,
    });
  });

  it('refuses an unknown, unpaid or busy order', async () => {
    expect(await reserve('GHOST', 'R0', 1)).toEqual({ ok: false, conflict: 'unknown_order' });
    const pending = await orderIn('pending');
    expect(await reserve(pending, 'R1', 1)).toMatchObject({ conflict: 'not_refundable' });
    const paid = await orderIn('paid');
    await reserve(paid, 'R2', 1);
    expect(await reserve(paid, 'R3', 1)).toMatchObject({ conflict: 'in_flight' });
    expect(await store.listRefunds(paid)).toHaveLength(1);
  });

  it('releases a failed refund', async () => {
    const orderId = await orderIn('paid');
    await reserve(orderId, 'R1', 19_900);
    const failed = await store.settleRefund({
      refundNo: 'R1',
      at: 150,
      failure: { code: '1007', message: 'refund refused' },
    });
    expect(failed).toMatchObject({
      applied: true,
      refund: { status: 'failed', failureCode: '1007', failureMessage: 'refund refused' },
      order: { status: 'paid', refundedAmount: 0 },
    });
    expect(await reserve(orderId, 'R2', 19_900)).toMatchObject({ ok: true });
    expect(await store.settleRefund({ refundNo: 'NOPE', at: 1 })).toEqual({
      refund: undefined,
      order: undefined,
      applied: false,
    });
  });
});

describe('several processes on one database', () => {
  it('apply concurrent duplicate notifications exactly once', async () => {
    const sibling = await engine.openSibling();
    const orderIds = [await orderIn('pending'), await orderIn('pending'), await orderIn('pending')];
    const results = await Promise.all(
      orderIds.flatMap((orderId) =>
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? sibling : store).recordNotification({
            ...paidNotification(orderId, 100 + i),
            transition: {
              orderId,
              input: {
                to: 'paid',
                at: 100 + i,
                event: { eventId: `evt_${orderId}_${i}`, type: 'order.paid', payload: '{}' },
              },
            },
          }),
        ),
      ),
    );
    for (const orderId of orderIds) {
      const mine = results.filter((r) => r.order?.orderId === orderId);
      expect(mine.filter((r) => r.applied)).toHaveLength(1);
      expect(mine.filter((r) => r.outcome === 'duplicate')).toHaveLength(7);
      expect(await store.listEvents(orderId)).toHaveLength(1);
      expect(await store.listNotifications(orderId)).toHaveLength(8);
    }
  });

  it('never hand the same event to two claimers', async () => {
    const sibling = await engine.openSibling();
    for (let i = 0; i < 12; i++) {
      const orderId = await orderIn('pending');
      await store.transition(orderId, {
        to: 'paid',
        at: 10,
        event: { eventId: `evt_claim_${orderId}`, type: 'order.paid', payload: '{}' },
      });
    }
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? sibling : store).claimEvents({ now: 20, limit: 3, leaseMs: 60_000 }),
      ),
    );
    const ids = claims.flat().map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(12);
  });

  it('reserve at most what was paid under concurrent refunds', async () => {
    const sibling = await engine.openSibling();
    const orderId = await orderIn('paid');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? sibling : store).reserveRefund({
          refundNo: `RC${i}`,
          orderId,
          amount: 10_000,
          reason: null,
          at: 5,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.conflict === 'in_flight')).toHaveLength(5);
  });

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

it('pings, and fails after close', async () => {
  await expect(store.ping()).resolves.toBeUndefined();
  await store.close();
  if (engine.name !== 'd1') await expect(store.ping()).rejects.toThrow();
});
