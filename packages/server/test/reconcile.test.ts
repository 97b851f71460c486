import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MerchantEvent } from '@scanforpay/server';
import { createHarness, eventually, type Harness } from './helpers/harness.js';

/**
 * Reconciliation: ScanForPay stops notifying after a few tries, so pending orders are asked
 * about with payQuery from a minute after creation until they are final or expired. Runs on
 * every engine (STORE_ENGINE).
 */
let h: Harness;
const events: MerchantEvent[] = [];

beforeAll(async () => {
  h = await createHarness({
    proxy: {
      onEvent: (event) => {
        events.push(event);
      },
    },
  });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('/chaos', {});
  // Every order of an earlier test is settled or pushed out of reach first.
  h.advance(24 * 3_600_000);
  for (let i = 0; i < 5 && (await h.app.runBackground()).checks.checked > 0; i++);
  events.length = 0;
});

async function createOrder(): Promise<string> {
  const response = await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { orderId: string }).orderId;
}

describe('reconciliation', () => {
  it('settles a paid order whose notifications were all dropped', async () => {
    await h.control('/chaos', { dropFirst: 1000 });
    const orderId = await createOrder();
    await h.control(`/orders/${orderId}/pay`, {});
    // The sandbox tries (and drops) every delivery; the order stays pending here.
    await eventually(async () => {
      const { notifications } = (await h.control(`/notifications?partnerOrderNo=${orderId}`)) as {
        notifications: { attempts: unknown[] }[];
      };
      return notifications.length > 0 || undefined;
    });
    expect((await h.store.getOrder(orderId))?.status).toBe('pending');

    // Not due until a minute after creation.
    expect((await h.app.runBackground()).checks).toEqual({
      checked: 0,
      settled: 0,
      expired: 0,
      rescheduled: 0,
    });
    h.advance(60_000);
    const pass = await h.app.runBackground();
    expect(pass.checks).toEqual({ checked: 1, settled: 1, expired: 0, rescheduled: 0 });
    const order = await h.store.getOrder(orderId);
    expect(order).toMatchObject({ status: 'paid', checks: 1 });
    expect(order?.paidAt).not.toBeNull();

    // Its event went out through the outbox to the onEvent hook, once.
    await h.app.idle();
    await h.app.runBackground();
    expect(events.map((e) => [e.type, e.data.orderId, e.data.status])).toEqual([
      ['order.paid', orderId, 'paid'],
    ]);
    expect((await h.store.listEvents(orderId))[0]).toMatchObject({
      type: 'order.paid',
      deliveredAt: expect.any(Number),
    });
    // Nothing left to check.
    h.advance(3_600_000);
    expect((await h.app.runBackground()).checks.checked).toBe(0);
  });

  it('records a failure the gateway reports, with its event', async () => {
    await h.control('/chaos', { dropFirst: 1000 });
    const orderId = await createOrder();
    await h.control(`/orders/${orderId}/fail`, {});
    h.advance(60_000);
    expect((await h.app.runBackground()).checks).toMatchObject({ checked: 1, settled: 1 });
    expect((await h.store.getOrder(orderId))?.status).toBe('failed');
    await h.app.idle();
    await h.app.runBackground();
    expect(events.map((e) => e.type)).toEqual(['order.failed']);
  });

  it('checks an unpaid order with backoff, then expires it after its time and a grace period', async () => {
    const orderId = await createOrder();
    const created = (await h.store.getOrder(orderId))!;
    h.advance(60_000);
    expect((await h.app.runBackground()).checks).toMatchObject({ checked: 1, rescheduled: 1 });
    let order = (await h.store.getOrder(orderId))!;
    expect(order).toMatchObject({ status: 'pending', checks: 1 });
    expect(order.nextCheckAt! - h.now()).toBeGreaterThan(59_000);
    expect(order.nextCheckAt! - h.now()).toBeLessThanOrEqual(60_000);

    h.advance(60_000);
    await h.app.runBackground();
    order = (await h.store.getOrder(orderId))!;
    expect(order.checks).toBe(2);
    expect(order.nextCheckAt! - h.now()).toBeGreaterThan(119_000); // 2 minutes

    // Past expiry and the 5-minute grace, the gateway still says unpaid: expired.
    h.advance(created.expiresAt + 5 * 60_000 - h.now());
    expect((await h.app.runBackground()).checks).toMatchObject({ checked: 1, expired: 1 });
    expect((await h.store.getOrder(orderId))?.status).toBe('expired');
    await h.app.idle();
    await h.app.runBackground();
    expect(events.map((e) => [e.type, e.data.orderId])).toEqual([['order.expired', orderId]]);
  });

  it('keeps an order pending and checks again later while the gateway cannot be reached', async () => {
    const orderId = await createOrder();
    await h.control('/chaos', { apiStatus: 503 });
    h.advance(40 * 60_000); // even past expiry: no answer is no proof it was not paid
    expect((await h.app.runBackground()).checks).toMatchObject({ checked: 1, rescheduled: 1 });
    expect((await h.store.getOrder(orderId))?.status).toBe('pending');
    expect(h.logs.some((line) => line.includes('payQuery failed') && line.includes(orderId))).toBe(
      true,
    );
    // The gateway answers again; its notification is still dropped, so the sweep (and not a
    // notification racing it) is what settles the order.
    await h.control('/chaos', { dropFirst: 1000 });
    await h.control(`/orders/${orderId}/pay`, {});
    h.advance(60_000);
    expect((await h.app.runBackground()).checks).toMatchObject({ checked: 1, settled: 1 });
    expect((await h.store.getOrder(orderId))?.status).toBe('paid');
  });
});

it('takes the first check after `reconcileAfterMs`', async () => {
  const quick = await createHarness({ proxy: { reconcileAfterMs: 10_000 } });
  try {
    const response = await quick.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
    const { orderId } = (await response.json()) as { orderId: string };
    const order = (await quick.store.getOrder(orderId))!;
    expect(order.nextCheckAt! - order.createdAt).toBe(10_000);
    quick.advance(10_000);
    expect((await quick.app.runBackground()).checks).toMatchObject({ checked: 1 });
  } finally {
    await quick.close();
  }
});
