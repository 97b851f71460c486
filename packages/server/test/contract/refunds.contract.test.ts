import { describe, expect, it } from 'vitest';
import { orderEvent } from '../../src/domain/merchant-event.js';
import type { OrderStore } from '@scanforpay/server/store';
import type { Engine } from '../helpers/engines.js';
import { orderIn, useStore } from './store-contract.js';

/** The OrderStore contract, refunds: reserved within what was paid, settled once. */
let engine: Engine;
let store: OrderStore;
useStore((opened, on) => {
  store = opened;
  engine = on;
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
});
