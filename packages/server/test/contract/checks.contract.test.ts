import { describe, expect, it } from 'vitest';
import type { OrderStore } from '@scanforpay/server/store';
import { newOrder, orderIn, useStore } from './store-contract.js';

/** The OrderStore contract, reconciliation checks: due pending orders claimed by lease. */
let store: OrderStore;
useStore((opened) => (store = opened));

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

  it('counts the pending orders already checked once (the metrics gauge)', async () => {
    expect(await store.countCheckedPending()).toBe(0);
    const due = await orderIn('pending'); // next check at 61 000
    await orderIn('pending');
    expect(await store.countCheckedPending()).toBe(0);
    const checked = await orderIn('pending');
    await store.claimChecks({ now: 61_000, limit: 10, leaseMs: 30_000 });
    expect(await store.countCheckedPending()).toBe(3);
    await store.transition(checked, { to: 'paid', at: 62_000 });
    await store.transition(due, { to: 'failed', at: 62_000 });
    expect(await store.countCheckedPending()).toBe(1);
    await orderIn('pending');
    expect(await store.countCheckedPending()).toBe(1);
  });

  it('stops checking an order once it is no longer pending', async () => {
    const orderId = await orderIn('pending');
    await store.transition(orderId, { to: 'paid', at: 5 });
    expect(await store.claimChecks({ now: 10 ** 12, limit: 10, leaseMs: 1 })).toEqual([]);
  });
});
