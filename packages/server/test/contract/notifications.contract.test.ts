import { describe, expect, it } from 'vitest';
import type { NotificationInput, OrderStore } from '@scanforpay/server/store';
import type { Engine } from '../helpers/engines.js';
import { orderIn, paidNotification, useStore } from './store-contract.js';

/** The OrderStore contract, notifications: recorded with the transition they carry; rejected ones pruned. */
let engine: Engine;
let store: OrderStore;
useStore((opened, on) => {
  store = opened;
  engine = on;
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

  it('answers each of many concurrent notifications of every kind with its own outcome and row', async () => {
    const pending = [];
    for (let i = 0; i < 10; i++) pending.push(await orderIn('pending'));
    const refunded = await orderIn('refunded');
    const paid = (orderId: string, i: number): NotificationInput => ({
      ...paidNotification(orderId, 200 + i),
      rawBody: `{"n":${i}}`,
      transition: {
        orderId,
        input: {
          to: 'paid',
          at: 200 + i,
          gatewayOrderNo: `GW-${orderId}`,
          event: { eventId: `evt_mix_${orderId}`, type: 'order.paid', payload: `{"i":${i}}` },
        },
      },
    });
    // Sent all at once, in this order: a store that writes them together must still answer
    // each caller with the row it wrote and the outcome it alone would have had.
    const inputs: NotificationInput[] = [
      ...pending.map((orderId, i) => paid(orderId, i)),
      ...pending.map((orderId, i) => ({
        ...paidNotification(orderId, 300 + i),
        dedupeKey: `${orderId}:1:0`,
        rawBody: `{"unpaid":${i}}`,
        reason: 'code 1, status 0',
        transition: undefined,
      })),
      { ...paidNotification('GHOST-1', 400), orderId: null, outcome: 'unknown_order' },
      paidNotification('GHOST-2', 401),
      { ...paidNotification(refunded, 402), rawBody: '{"late":true}' },
      {
        ...paidNotification(pending[0]!, 403),
        outcome: 'mismatch',
        reason: 'amount 1 ≠ 19900',
        transition: undefined,
      },
    ];
    const refundedEvents = await store.listEvents(refunded);
    const results = await Promise.all(inputs.map((input) => store.recordNotification(input)));

    expect(results.slice(0, 10).map((r) => [r.outcome, r.applied, r.order?.status])).toEqual(
      pending.map(() => ['applied', true, 'paid']),
    );
    expect(results.slice(0, 10).map((r) => r.order?.orderId)).toEqual(pending);
    expect(results.slice(0, 10).map((r) => r.order?.gatewayOrderNo)).toEqual(
      pending.map((orderId) => `GW-${orderId}`),
    );
    expect(results.slice(10, 20).map((r) => [r.outcome, r.applied, r.order])).toEqual(
      pending.map(() => ['ignored', false, undefined]),
    );
    expect(results.slice(20).map((r) => [r.outcome, r.applied, r.order?.status])).toEqual([
      ['unknown_order', false, undefined],
      ['unknown_order', false, undefined],
      ['ignored', false, 'refunded'],
      ['mismatch', false, undefined],
    ]);
    expect(new Set(results.map((r) => r.id)).size).toBe(inputs.length);

    const stored = new Map((await store.listNotifications()).map((n) => [n.id, n]));
    results.forEach((result, i) => {
      const input = inputs[i]!;
      expect(stored.get(result.id)).toEqual({
        id: result.id,
        orderId: input.orderId,
        dedupeKey: input.dedupeKey,
        rawBody: input.rawBody,
        verified: true,
        outcome: result.outcome,
        reason: input.reason,
        receivedAt: input.receivedAt,
      });
    });
    for (const [i, orderId] of pending.entries()) {
      const events = await store.listEvents(orderId);
      expect(events.map((e) => [e.eventId, e.type, e.payload])).toEqual([
        [`evt_mix_${orderId}`, 'order.paid', `{"i":${i}}`],
      ]);
    }
    expect(await store.listEvents(refunded)).toEqual(refundedEvents);
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
});
