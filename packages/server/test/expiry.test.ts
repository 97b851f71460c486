import { createNodeTransport } from '@scanforpay/protocol/node';
import type { Transport } from '@scanforpay/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MerchantEvent } from '@scanforpay/server';
import { createHarness, eventually, RESULT_URL, type Harness } from './helpers/harness.js';

/**
 * An order is expired only on the gateway's positive word that it is unpaid (a signed
 * `code 1, status 0` payQuery answer past its expiry and grace): never on the clock alone,
 * never on a refusal code, a timeout or silence. And what anonymous requests make the proxy
 * ask the gateway is coalesced and bounded. Runs on every engine (STORE_ENGINE).
 */
let h: Harness;
const events: MerchantEvent[] = [];
/** payQuery calls the proxy made, by partnerOrderNo. */
const queries: string[] = [];
const inner = createNodeTransport();
const counting: Transport = (url, init) => {
  if (url.endsWith('/payQuery')) {
    queries.push(
      String(
        (JSON.parse(init.body) as { request: { body: { partnerOrderNo: string } } }).request.body
          .partnerOrderNo,
      ),
    );
  }
  return inner(url, init);
};

/** The proxy's clock here moves only when a test moves it: pass budgets depend on elapsed time. */
let offset = 0;
const start = Date.now();
const clock = () => start + offset;
const advance = (ms: number) => {
  offset += ms;
};

const HOUR = 3_600_000;
const EXPIRY = 30 * 60_000;
const GRACE = 5 * 60_000;

beforeAll(async () => {
  h = await createHarness({
    proxy: {
      transport: counting,
      clock,
      reconcileRate: 10, // small backlogs show the same schedule on every engine
      onEvent: (event) => {
        events.push(event);
      },
    },
  });
});
afterAll(async () => {
  await h.close();
  inner.close();
});
beforeEach(async () => {
  await h.control('/chaos', {});
  // Every order of an earlier test is settled or pushed out of reach first.
  advance(48 * HOUR);
  for (let i = 0; i < 10 && (await h.app.runBackground()).checks.checked > 0; i++);
  await h.app.idle();
  events.length = 0;
  queries.length = 0;
});

async function createOrder(): Promise<string> {
  const response = await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { orderId: string }).orderId;
}

/** Pays at the sandbox and waits until its (dropped) notification attempts are over. */
async function payWithNotificationsLost(orderId: string): Promise<void> {
  await h.control('/chaos', { dropFirst: 1000 });
  await h.control(`/orders/${orderId}/pay`, {});
  await eventually(async () => {
    const { notifications } = (await h.control(`/notifications?partnerOrderNo=${orderId}`)) as {
      notifications: unknown[];
    };
    return notifications.length > 0 || undefined;
  });
}

async function deliveredEvents(): Promise<[string, unknown][]> {
  await h.app.idle();
  await h.app.runBackground();
  await h.app.idle();
  return events.map((e) => [e.type, e.data.orderId]);
}

const statusOf = async (orderId: string) => (await h.store.getOrder(orderId))?.status;
const view = async (orderId: string) =>
  (await (await h.request(`/orders/${orderId}`)).json()) as { status: string };

describe('reconciliation past expiry', () => {
  it('keeps a paid order pending while payQuery answers a signed error code, then settles it paid', async () => {
    const orderId = await createOrder();
    await payWithNotificationsLost(orderId);
    // Past expiry and grace, the final check is answered with an internal error code.
    await h.control('/chaos', { dropFirst: 1000, apiCode: 1099, apiMsg: 'internal error' });
    advance(EXPIRY + GRACE);
    expect((await h.app.runBackground()).checks).toEqual({
      checked: 1,
      settled: 0,
      expired: 0,
      rescheduled: 1,
    });
    const order = (await h.store.getOrder(orderId))!;
    expect(order.status).toBe('pending');
    expect(order.nextCheckAt).toBeGreaterThan(clock());

    // It is checked again with backoff until the gateway answers.
    await h.control('/chaos', { dropFirst: 1000 });
    advance(order.nextCheckAt! - clock());
    expect((await h.app.runBackground()).checks).toMatchObject({ checked: 1, settled: 1 });
    expect(await statusOf(orderId)).toBe('paid');
    expect(await deliveredEvents()).toEqual([['order.paid', orderId]]);
  });

  it('checks an order without an answer hourly from a day past its expiry, and never expires it', async () => {
    const orderId = await createOrder();
    await h.control('/chaos', { apiCode: 1099 });
    advance(EXPIRY + 24 * HOUR);
    await h.app.runBackground();
    const order = (await h.store.getOrder(orderId))!;
    expect(order.status).toBe('pending');
    expect(order.nextCheckAt! - clock()).toBe(HOUR);
    expect(h.logs.some((l) => l.includes('unsettled') && l.includes(orderId))).toBe(true);
  });

  it('expires an order on a signed unpaid answer at expiry plus grace, not before', async () => {
    const orderId = await createOrder();
    advance(EXPIRY + GRACE - 1);
    await h.app.runBackground();
    expect(await statusOf(orderId)).toBe('pending');
    advance((await h.store.getOrder(orderId))!.nextCheckAt! - clock());
    expect((await h.app.runBackground()).checks).toMatchObject({ checked: 1, expired: 1 });
    expect(await statusOf(orderId)).toBe('expired');
    expect(await deliveredEvents()).toEqual([['order.expired', orderId]]);
  });
});

describe('GET /orders/:id past expiry', () => {
  it('shows paid, not expired, for an order paid at the last minute whose notifications were lost', async () => {
    const orderId = await createOrder();
    await payWithNotificationsLost(orderId);
    advance(EXPIRY + 1);
    expect(await view(orderId)).toMatchObject({ status: 'paid' });
    expect(await statusOf(orderId)).toBe('paid');
    expect(await deliveredEvents()).toEqual([['order.paid', orderId]]);
  });

  it('stays pending while the gateway cannot answer, and sends no event', async () => {
    const orderId = await createOrder();
    await h.control('/chaos', { apiStatus: 503 });
    advance(EXPIRY + GRACE + 1);
    expect(await view(orderId)).toMatchObject({ status: 'pending' });
    expect(await statusOf(orderId)).toBe('pending');
    expect(await deliveredEvents()).toEqual([]);
  });

  it('stays pending within the grace, expires once the gateway says unpaid after it', async () => {
    const orderId = await createOrder();
    advance(EXPIRY + 1);
    expect(await view(orderId)).toMatchObject({ status: 'pending' });
    advance(GRACE);
    expect(await view(orderId)).toMatchObject({ status: 'expired' });
    expect(await deliveredEvents()).toEqual([['order.expired', orderId]]);
  });

  it('asks the gateway at most once per 10 s per order however often it is read', async () => {
    const orderId = await createOrder();
    advance(EXPIRY + 1);
    await Promise.all(Array.from({ length: 50 }, () => view(orderId)));
    expect(queries).toEqual([orderId]);
    advance(10_000);
    await view(orderId);
    expect(queries).toEqual([orderId, orderId]);
  });
});

describe('/return bounds', () => {
  const returnGet = (orderId: string) => h.request(`/return?partnerOrderNo=${orderId}`);

  it('makes one payQuery for 200 concurrent returns of one order, and still redirects each', async () => {
    const orderId = await createOrder();
    const answers = await Promise.all(Array.from({ length: 200 }, () => returnGet(orderId)));
    // Those that shared the one payQuery learnt "to be paid" (the shopper left the cashier);
    // those past the bounds did not ask and land on the plain result page.
    const plain = `${RESULT_URL}?order=${orderId}`;
    const locations = answers.map((r) => [r.status, r.headers.get('location')]);
    for (const answer of locations)
      expect([
        [303, plain],
        [303, `${plain}&returned=unpaid`],
      ]).toContainEqual(answer);
    expect(locations).toContainEqual([303, `${plain}&returned=unpaid`]);
    expect(queries).toEqual([orderId]);
    // Within the interval, later returns are redirected without asking.
    await returnGet(orderId);
    expect(queries).toEqual([orderId]);
  });

  it('settles a paid order on return once the interval has passed', async () => {
    const orderId = await createOrder();
    await returnGet(orderId);
    await payWithNotificationsLost(orderId);
    await returnGet(orderId);
    expect(await statusOf(orderId)).toBe('pending');
    advance(10_000);
    await returnGet(orderId);
    expect(await statusOf(orderId)).toBe('paid');
    expect(queries).toEqual([orderId, orderId]);
  });
});

describe('a client hammering /return', () => {
  it('gets its redirects but causes at most returnRateLimit payQueries a minute', async () => {
    const limited = await createHarness({
      proxy: { transport: counting, clock, returnRateLimit: 5, checksPerSecond: 1000 },
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const response = await limited.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
        ids.push(((await response.json()) as { orderId: string }).orderId);
      }
      queries.length = 0;
      for (const id of ids) {
        const response = await limited.request(`/return?partnerOrderNo=${id}`);
        expect(response.status).toBe(303);
      }
      expect(queries).toEqual(ids.slice(0, 5));
      advance(60_000);
      await limited.request(`/return?partnerOrderNo=${ids[7]}`);
      expect(queries).toEqual([...ids.slice(0, 5), ids[7]]);
    } finally {
      await limited.close();
    }
  });
});

describe('reconciliation backlog', () => {
  it('checks oldest-due first at up to reconcileRate a second, so a fresh order waits backlog/rate', async () => {
    const backlog: string[] = [];
    for (let i = 0; i < 60; i++) backlog.push(await createOrder());
    advance(1000);
    const fresh = await createOrder();
    advance(58_000);
    await h.app.runBackground(); // nothing due yet; passes run every second from here
    queries.length = 0;

    let passes = 0;
    while ((await h.store.getOrder(fresh))!.checks === 0) {
      advance(1000);
      const { checks } = await h.app.runBackground();
      passes += 1;
      expect(checks.checked).toBeLessThanOrEqual(10); // the rate over one second
      expect(passes).toBeLessThanOrEqual(10);
    }
    // 61 due orders at 10 a second: the fresh one is in the seventh pass, after every older one.
    expect(passes).toBe(7);
    expect(queries.indexOf(fresh)).toBe(60);
    expect(new Set(queries.slice(0, 60))).toEqual(new Set(backlog));
  });

  it('takes the time since the last pass into account (a Workers cron runs each minute)', async () => {
    for (let i = 0; i < 24; i++) await createOrder();
    advance(59_000);
    await h.app.runBackground();
    advance(1000);
    expect((await h.app.runBackground()).checks.checked).toBe(10);
    advance(60_000);
    expect((await h.app.runBackground()).checks.checked).toBe(24);
  });
});

describe('an order whose creation never completed', () => {
  it('stays pending until its time and grace are over, then a signed refusal closes it as failed (incomplete)', async () => {
    let crash = true;
    const crashing = await createHarness({
      proxy: {
        clock,
        onEvent: (event) => {
          events.push(event);
        },
        // The process "stops" after the order is written and before the gateway is called.
        faultHook: (step) => {
          if (crash && step === 'create:reserved') throw new Error('stopped here');
        },
      },
    });
    try {
      const response = await crashing.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
      expect(response.status).toBe(500);
      crash = false;
      const [orphan] = (await crashing.store.listOrders({ limit: 10 })).filter(
        (o) => o.status === 'pending',
      );
      expect(orphan).toMatchObject({ payUrl: null, gatewayOrderNo: null });

      // Before its time is over, a refusal is no word on it.
      advance(EXPIRY);
      await crashing.app.runBackground();
      expect((await crashing.store.getOrder(orphan!.orderId))?.status).toBe('pending');

      advance(GRACE); // its next check (a minute after the first) is due by now
      const pass = await crashing.app.runBackground();
      expect(pass.checks).toMatchObject({ checked: 1, settled: 1 });
      expect(await crashing.store.getOrder(orphan!.orderId)).toMatchObject({
        status: 'failed',
        failureCode: 'incomplete',
      });
      await crashing.app.idle();
      await crashing.app.runBackground();
      await crashing.app.idle();
      expect(events.map((e) => [e.type, e.data.orderId])).toEqual([
        ['order.failed', orphan!.orderId],
      ]);
    } finally {
      await crashing.close();
    }
  });
});
