import { describe, expect, it } from 'vitest';
import { createProxy } from '@scanforpay/server';
import type { OrderStore } from '@scanforpay/server/store';
import { orderEvent } from '../../src/domain/merchant-event.js';
import { pruneOldRecords } from '../../src/orders/retention.js';
import { engineName, type Engine } from '../helpers/engines.js';
import { newOrder, paidNotification, useStore } from './store-contract.js';

/**
 * Retention on each engine: the background pass deletes delivered events, verified
 * notifications and idempotency keys older than `retentionDays`, in bounded batches, and
 * nothing else — orders, waiting and given-up events and refused notifications stay.
 */
let engine: Engine;
let store: OrderStore;
useStore((opened, on) => {
  store = opened;
  engine = on;
});

const DAY = 24 * 60 * 60_000;
const NOW = 1_800_000_000_000;
const OLD = NOW - 91 * DAY;
const RECENT = NOW - 89 * DAY;
const silent = { info() {}, warn() {}, error() {}, log() {} };

/** A paid order created at `at` with its idempotency key, its notification and its event. */
async function paidOrder(
  at: number,
  event: 'delivered' | 'given_up' | 'waiting',
): Promise<{ orderId: string; eventId: string }> {
  const order = newOrder({ createdAt: at, expiresAt: at + 1_800_000 });
  await store.insertOrder({
    order,
    idempotency: { key: `key-${order.orderId}`, requestHash: 'h' },
  });
  const stored = (await store.getOrder(order.orderId))!;
  const paid = orderEvent({ ...stored, status: 'paid', paidAt: at + 1 }, at + 1);
  const notification = paidNotification(order.orderId, at + 1);
  await store.recordNotification({
    ...notification,
    outcome: 'applied',
    transition: { orderId: order.orderId, input: { to: 'paid', at: at + 1, event: paid } },
  });
  const [claimed] = await store.claimEvents({ now: at + 2, limit: 1, leaseMs: 60_000 });
  expect(claimed?.eventId).toBe(paid.eventId);
  if (event !== 'waiting') {
    await store.settleEvent(
      paid.eventId,
      claimed!.claim,
      event === 'delivered'
        ? { outcome: 'delivered', at: at + 3 }
        : { outcome: 'given_up', at: at + 3, error: 'HTTP 500' },
    );
  }
  return { orderId: order.orderId, eventId: paid.eventId };
}

async function rows(sql: string): Promise<string[]> {
  return (await engine.query(sql)).map((row) => String(Object.values(row)[0]));
}

describe('retention', () => {
  it('prunes old delivered events, verified notifications and idempotency keys; keeps the rest', async () => {
    const oldDelivered = await paidOrder(OLD, 'delivered');
    const oldGivenUp = await paidOrder(OLD, 'given_up');
    const recent = await paidOrder(RECENT, 'delivered');
    const oldWaiting = await paidOrder(OLD, 'waiting');
    await store.recordRejectedNotification({
      rawBody: 'forged',
      reason: 'bad',
      receivedAt: OLD,
      keep: 10,
    });

    const proxy = createProxy({
      credentials: {
        partnerNo: '100000000000001',
        storeNo: '200000000000001',
        signKey: 'k'.repeat(16),
      },
      publicUrl: 'http://127.0.0.1:8787',
      resultUrl: 'http://127.0.0.1:5173/thanks',
      gatewayUrl: 'http://127.0.0.1:9',
      store,
      clock: () => NOW,
      log: () => {},
    });
    const report = await proxy.runBackground();
    // Each old order left one idempotency key and one verified notification behind.
    expect(report.pruned).toEqual({ events: 1, notifications: 3, idempotencyKeys: 3, more: false });

    const all = [oldDelivered, oldGivenUp, oldWaiting, recent];
    expect((await rows('SELECT order_id FROM orders ORDER BY order_id')).sort()).toEqual(
      all.map((o) => o.orderId).sort(),
    );
    expect((await rows('SELECT event_id FROM outbox')).sort()).toEqual(
      [oldGivenUp, oldWaiting, recent].map((o) => o.eventId).sort(),
    );
    expect(await rows('SELECT order_id FROM notifications WHERE verified = 1')).toEqual([
      recent.orderId,
    ]);
    expect(await rows('SELECT raw_body FROM notifications WHERE verified = 0')).toEqual(['forged']);
    expect(await rows('SELECT key FROM idempotency_keys')).toEqual([`key-${recent.orderId}`]);

    // The next retention pass is due only in 10 minutes: this background pass deletes nothing.
    expect((await proxy.runBackground()).pruned).toBeNull();
  });

  // The batching is the use-case's; D1 (slow to seed in miniflare) runs the same statements above.
  it.skipIf(engineName() === 'd1')(
    'deletes in batches, a bounded number per pass, oldest first; 0 days keeps everything',
    async () => {
      const orders: string[] = [];
      for (let i = 0; i < 5; i++)
        orders.push((await paidOrder(OLD + i * 1000, 'delivered')).orderId);
      const deps = { store, clock: () => NOW, logger: silent, pause: () => Promise.resolve() };
      expect(await pruneOldRecords(deps, { days: 0 })).toBeUndefined();
      expect(await pruneOldRecords(deps, { days: 90, batch: 2, batchesPerPass: 2 })).toEqual({
        events: 4,
        notifications: 4,
        idempotencyKeys: 4,
        more: true,
      });
      expect(await rows('SELECT key FROM idempotency_keys')).toEqual([`key-${orders[4]}`]);
      expect(await pruneOldRecords(deps, { days: 90, batch: 2, batchesPerPass: 2 })).toEqual({
        events: 1,
        notifications: 1,
        idempotencyKeys: 1,
        more: false,
      });
      expect((await rows('SELECT order_id FROM orders')).length).toBe(5);
    },
  );
});
