import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, RESULT_URL, type Harness } from './helpers/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('/reset');
  // Notifications never arrive in these tests: only the return can settle an order.
  await h.control('/chaos', { dropFirst: 1000 });
});

async function newOrder(): Promise<string> {
  const response = await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { orderId: string }).orderId;
}

const returnForm = (orderId: string) =>
  h.request('/return', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ partnerOrderNo: orderId }).toString(),
  });

const statusOf = async (orderId: string) => (await h.store.getOrder(orderId))?.status;

function expectResultRedirect(response: Response, orderId?: string, extra = '') {
  expect(response.status).toBe(303);
  const location = response.headers.get('location')!;
  expect(location).toBe(
    orderId === undefined ? RESULT_URL : `${RESULT_URL}?order=${orderId}${extra}`,
  );
}

describe('POST /return', () => {
  it('confirms a paid order with payQuery and redirects to the result page', async () => {
    const orderId = await newOrder();
    await h.control(`/orders/${orderId}/pay`);
    expect(await statusOf(orderId)).toBe('pending');
    expectResultRedirect(await returnForm(orderId), orderId);
    expect(await h.store.getOrder(orderId)).toMatchObject({ status: 'paid' });
    expect((await h.store.getOrder(orderId))?.paidAt).toBeGreaterThan(0);
  });

  it('reads partnerOrderNo from JSON and from the query string too', async () => {
    const first = await newOrder();
    await h.control(`/orders/${first}/pay`);
    const json = await h.request('/return', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partnerOrderNo: first }),
    });
    expectResultRedirect(json, first);
    expect(await statusOf(first)).toBe('paid');

    const second = await newOrder();
    await h.control(`/orders/${second}/pay`);
    expectResultRedirect(
      await h.request(`/return?partnerOrderNo=${second}`, { method: 'POST' }),
      second,
    );
    expect(await statusOf(second)).toBe('paid');
  });

  it('leaves an unpaid order pending and says the shopper came back unpaid; records a failed one', async () => {
    // The gateway says "to be paid": the shopper left the cashier (a cancel), the result page says so.
    const unpaid = await newOrder();
    expectResultRedirect(await returnForm(unpaid), unpaid, '&returned=unpaid');
    expect(await statusOf(unpaid)).toBe('pending');
    const cancelled = await newOrder();
    await h.control(`/orders/${cancelled}/cancel`);
    expectResultRedirect(await returnForm(cancelled), cancelled, '&returned=unpaid');
    expect(await statusOf(cancelled)).toBe('pending');
    const failed = await newOrder();
    await h.control(`/orders/${failed}/fail`);
    expectResultRedirect(await returnForm(failed), failed);
    expect(await statusOf(failed)).toBe('failed');
  });

  it('lands on the result page when the gateway is down, and the order stays pending', async () => {
    const orderId = await newOrder();
    await h.control(`/orders/${orderId}/pay`);
    await h.control('/chaos', { apiStatus: 503, dropFirst: 1000 });
    expectResultRedirect(await returnForm(orderId), orderId);
    await h.control('/chaos', { apiHangMs: 3000, dropFirst: 1000 });
    h.advance(10_000); // past the interval in which a second return does not ask again
    expectResultRedirect(await returnForm(orderId), orderId);
    expect(await statusOf(orderId)).toBe('pending');
    const line = JSON.parse(h.logs.findLast((l) => l.includes('"path":"/return"'))!) as Record<
      string,
      unknown
    >;
    expect(line).toMatchObject({ status: 303, outcome: 'unanswered' });
  });

  it('lands on the result page when the gateway is unreachable', async () => {
    const offline = await createHarness({ noSandbox: true });
    try {
      const response = await offline.request('/return', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'partnerOrderNo=ABC123',
      });
      expectResultRedirect(response, 'ABC123');
    } finally {
      await offline.close();
    }
  });

  it('lands on the result page for an unknown, missing or malformed order number', async () => {
    expectResultRedirect(await returnForm('NOSUCHORDER'), 'NOSUCHORDER');
    expectResultRedirect(await h.request('/return', { method: 'POST' }));
    expectResultRedirect(await returnForm('https://evil.example/'));
    expectResultRedirect(
      await h.request('/return', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{',
      }),
    );
  });

  it('does not query the gateway again for an order already paid', async () => {
    const orderId = await newOrder();
    await h.control(`/orders/${orderId}/pay`);
    await returnForm(orderId);
    await h.control('/chaos', { apiStatus: 500 });
    expectResultRedirect(await returnForm(orderId), orderId);
    const line = JSON.parse(h.logs.findLast((l) => l.includes('"path":"/return"'))!) as Record<
      string,
      unknown
    >;
    expect(line.outcome).toBe('already_final');
  });
});
