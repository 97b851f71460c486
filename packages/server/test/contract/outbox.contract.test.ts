import { describe, expect, it } from 'vitest';
import { orderEvent } from '../../src/domain/merchant-event.js';
import type { OrderStore } from '@scanforpay/server/store';
import type { Engine } from '../helpers/engines.js';
import { orderIn, useStore } from './store-contract.js';

/** The OrderStore contract, outbox and webhook endpoints: claims are leases, settlements are fenced. */
let engine: Engine;
let store: OrderStore;
useStore((opened, on) => {
  store = opened;
  engine = on;
});

describe('outbox', () => {
  async function paidWithEvent(at = 10): Promise<{ orderId: string; eventId: string }> {
    const orderId = await orderIn('pending');
    const order = (await store.getOrder(orderId))!;
    const event = orderEvent({ ...order, status: 'paid', paidAt: at }, at);
    await store.transition(orderId, { to: 'paid', at, event });
    return { orderId, eventId: event.eventId };
  }

  it('counts the backlog (and, from its index, what waits) and its oldest event, lists the newest events, and resends one', async () => {
    expect(await store.outboxBacklog()).toEqual({ waiting: 0, oldestCreatedAt: null, givenUp: 0 });
    expect(await store.outboxWaiting()).toEqual({ waiting: 0, oldestCreatedAt: null });
    const a = await paidWithEvent(10);
    const b = await paidWithEvent(20);
    const c = await paidWithEvent(30);
    expect(await store.outboxBacklog()).toEqual({ waiting: 3, oldestCreatedAt: 10, givenUp: 0 });
    expect(await store.outboxWaiting()).toEqual({ waiting: 3, oldestCreatedAt: 10 });
    expect((await store.recentEvents(2)).map((e) => e.eventId)).toEqual([c.eventId, b.eventId]);
    const claims = new Map(
      (await store.claimEvents({ now: 40, limit: 10, leaseMs: 100 })).map((e) => [e.eventId, e]),
    );
    // A delivery holds them: nothing to resend until it settles.
    expect(await store.resendEvent(a.eventId, 41)).toBe(false);
    await store.settleEvent(a.eventId, claims.get(a.eventId)!.claim, {
      outcome: 'delivered',
      at: 41,
    });
    await store.settleEvent(b.eventId, claims.get(b.eventId)!.claim, {
      outcome: 'given_up',
      at: 41,
      error: 'HTTP 500',
    });
    await store.settleEvent(c.eventId, claims.get(c.eventId)!.claim, {
      outcome: 'retry',
      at: 41,
      nextAttemptAt: 900,
      error: 'HTTP 503',
    });
    expect(await store.outboxBacklog()).toEqual({ waiting: 1, oldestCreatedAt: 30, givenUp: 1 });
    expect(await store.outboxWaiting()).toEqual({ waiting: 1, oldestCreatedAt: 30 });
    expect(await store.resendEvent(a.eventId, 50)).toBe(true);
    expect(await store.resendEvent(b.eventId, 50)).toBe(true);
    expect(await store.resendEvent('nope', 50)).toBe(false);
    expect(await store.getEvent(b.eventId)).toMatchObject({ givenUpAt: null, lastError: null });
    expect(await store.getEvent('nope')).toBeUndefined();
    expect(await store.outboxBacklog()).toEqual({ waiting: 3, oldestCreatedAt: 10, givenUp: 0 });
    expect(await store.outboxWaiting()).toEqual({ waiting: 3, oldestCreatedAt: 10 });
    const due = await store.claimEvents({ now: 50, limit: 10, leaseMs: 100 });
    expect(due.map((e) => e.eventId).sort()).toEqual([a.eventId, b.eventId].sort());
    expect(due.find((e) => e.eventId === a.eventId)).toMatchObject({
      attempts: 2,
      deliveredAt: null,
      givenUpAt: null,
    });
  });

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

describe('several processes on one database', () => {
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
});
