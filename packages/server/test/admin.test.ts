import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signResponse, type Transport } from '@scanforpay/protocol';
import { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { createWebhookSecret, type MerchantEvent } from '@scanforpay/server';
import type {
  Order,
  OutboxRecord,
  RefundRecord,
  StoredNotification,
} from '@scanforpay/server/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, eventually, SHOP_ORIGIN, type Harness } from './helpers/harness.js';
import { traffic } from './helpers/traffic.js';

/**
 * `/admin/*` against the real sandbox, on every engine (STORE_ENGINE): the bearer token,
 * listing and showing orders, refunds (partial, full, replayed, refused, lost, concurrent) and
 * the webhook's state.
 */
const TOKEN = 'x'.repeat(40);

/** Refund answers forged by the test, in place of the sandbox's; undefined = the real sandbox. */
let forgeRefund: ((body: Record<string, unknown>) => Record<string, unknown>) | undefined;
const sandboxTransport = createNodeTransport();
const transport: Transport = async (url, init) => {
  if (!forgeRefund || !url.endsWith('/api/common/refund')) return sandboxTransport(url, init);
  const { request } = JSON.parse(init.body) as { request: { body: Record<string, unknown> } };
  const signed = await signResponse(
    {
      header: { version: '1.0', partnerNo: DEFAULT_PARTNER.partnerNo, signType: 'SHA256' },
      body: forgeRefund(request.body),
    },
    DEFAULT_PARTNER.signKey,
    nodeSha256,
  );
  return { status: 200, text: signed.body };
};

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ proxy: { adminToken: TOKEN, transport } });
});
afterAll(async () => {
  await h.close();
  sandboxTransport.close();
});
beforeEach(async () => {
  forgeRefund = undefined;
  await h.control('/reset');
});

interface Problem {
  code: string;
  status: number;
  detail: string;
  [extra: string]: unknown;
}
interface RefundAnswer {
  refund: RefundRecord;
  order: Order;
}
interface SandboxOrder {
  refunds: { refundNo: string; amount: number }[];
  refundedAmount: number;
}

const bearer = { authorization: `Bearer ${TOKEN}` };
const admin = (path: string, init: RequestInit = {}) =>
  h.request(path, { ...init, headers: { ...bearer, ...(init.headers as Record<string, string>) } });
const refund = (orderId: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  admin(`/admin/orders/${orderId}/refunds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
/** A refund request with this exact body text, as a client other than `JSON.stringify` sends it. */
const rawRefund = (orderId: string, contentType: string, body: string) =>
  admin(`/admin/orders/${orderId}/refunds`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
const json = async <T>(response: Response) => (await response.json()) as T;

async function pendingOrder(item = 'tee-red'): Promise<string> {
  const response = await h.createOrder({ item, wallet: 'AlipayHK' });
  expect(response.status).toBe(201);
  return (await json<{ orderId: string }>(response)).orderId;
}

async function paidOrder(item = 'tee-red'): Promise<string> {
  const orderId = await pendingOrder(item);
  await h.control(`/orders/${orderId}/pay`);
  await eventually(async () =>
    (await h.store.getOrder(orderId))?.status === 'paid' ? true : undefined,
  );
  return orderId;
}

async function sandboxOrder(orderId: string): Promise<SandboxOrder> {
  return ((await h.control(`/orders/${orderId}`)) as { order: SandboxOrder }).order;
}

const eventTypes = async (orderId: string) =>
  (await h.store.listEvents(orderId)).map((event) => event.type);

describe('admin authentication', () => {
  it('answers 401 with WWW-Authenticate: Bearer without a token', async () => {
    const response = await h.request('/admin/orders');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await json<Problem>(response)).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it.each([
    ['a wrong token of the same length', `Bearer ${'y'.repeat(40)}`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, 39)}`],
    ['the token and more', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 to %s', async (_, authorization) => {
    const response = await h.request('/admin/orders', { headers: { authorization } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await json<Problem>(response)).toMatchObject({
      code: 'unauthorized',
      detail: expect.not.stringContaining(TOKEN) as unknown,
    });
  });

  it('lets the right token in, in any case of the scheme, with no-store', async () => {
    for (const scheme of ['Bearer', 'bearer']) {
      const response = await h.request('/admin/orders', {
        headers: { authorization: `${scheme} ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('guards unknown admin paths too, then answers 404 not_found', async () => {
    expect((await h.request('/admin/nope')).status).toBe(401);
    const response = await admin('/admin/nope');
    expect(response.status).toBe(404);
    expect(await json<Problem>(response)).toMatchObject({ code: 'not_found' });
  });

  it('sends no CORS headers and is not behind the storefront origin guard', async () => {
    const preflight = await h.request('/admin/orders', {
      method: 'OPTIONS',
      headers: { origin: SHOP_ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const listed = await admin('/admin/orders', { headers: { origin: SHOP_ORIGIN } });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBeNull();

    const orderId = await paidOrder();
    const refunded = await refund(orderId, {}, { origin: 'https://evil.example' });
    expect(refunded.status).toBe(201);
    expect(refunded.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is off without a token: every admin path answers exactly like an unknown route', async () => {
    const off = await createHarness({ noSandbox: true });
    try {
      const unknown = await off.request('/no-such-route');
      for (const path of ['/admin/orders', '/admin/webhook', '/admin/orders/x/refunds']) {
        for (const init of [{}, { headers: bearer }, { method: 'POST', headers: bearer }]) {
          const response = await off.request(path, init);
          expect(response.status).toBe(404);
          expect(response.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
          expect(response.headers.get('www-authenticate')).toBeNull();
          expect(await response.json()).toEqual(await unknown.clone().json());
        }
      }
    } finally {
      await off.close();
    }
  });
});

describe('GET /admin/orders', () => {
  it('lists newest first, filters by status and pages with before/next', async () => {
    const pending = [await pendingOrder(), await pendingOrder()];
    const paid = await paidOrder();
    const mine = [...pending, paid].sort().reverse();

    const all = await json<{ orders: Order[]; next: string | null }>(await admin('/admin/orders'));
    expect(all.orders.slice(0, 3).map((o) => o.orderId)).toEqual(mine);
    expect(all.orders[0]).toMatchObject({ orderId: mine[0], amount: 19900, currency: 'HKD' });

    const onlyPaid = await json<{ orders: Order[] }>(await admin('/admin/orders?status=paid'));
    expect(onlyPaid.orders.every((o) => o.status === 'paid')).toBe(true);
    expect(onlyPaid.orders.map((o) => o.orderId)).toContain(paid);
    expect(onlyPaid.orders.map((o) => o.orderId)).not.toContain(pending[0]);

    const first = await json<{ orders: Order[]; next: string | null }>(
      await admin('/admin/orders?limit=2'),
    );
    expect(first.orders.map((o) => o.orderId)).toEqual(mine.slice(0, 2));
    expect(first.next).toBe(mine[1]);
    const second = await json<{ orders: Order[]; next: string | null }>(
      await admin(`/admin/orders?limit=2&before=${first.next}`),
    );
    expect(second.orders[0]!.orderId).toBe(mine[2]);
    expect(second.orders.every((o) => o.orderId < mine[1]!)).toBe(true);

    const last = await json<{ orders: Order[]; next: string | null }>(
      await admin(`/admin/orders?limit=200&before=${mine[2]}`),
    );
    expect(last.next).toBeNull();
    expect(last.orders.length).toBeLessThan(200);
  });

  it.each([
    ['status=cancelled', 'status'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1.5', 'limit'],
    ['before=not%20an%20id', 'before'],
  ])('refuses %s with 400 naming the parameter', async (query, parameter) => {
    const response = await admin(`/admin/orders?${query}`);
    expect(response.status).toBe(400);
    const problem = await json<Problem>(response);
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail.startsWith(`${parameter}:`)).toBe(true);
  });
});

describe('GET /admin/orders/:orderId', () => {
  it('shows the order with its notifications, events and refunds', async () => {
    const orderId = await paidOrder();
    const response = await admin(`/admin/orders/${orderId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const detail = await json<{
      order: Order;
      refunds: RefundRecord[];
      events: (Omit<OutboxRecord, 'payload'> & { payload: Omit<MerchantEvent, 'id'> })[];
      notifications: StoredNotification[];
    }>(response);
    expect(detail.order).toMatchObject({ orderId, status: 'paid', refundedAmount: 0 });
    expect(detail.refunds).toEqual([]);
    expect(detail.events).toHaveLength(1);
    expect(detail.events[0]).toMatchObject({
      type: 'order.paid',
      orderId,
      payload: { type: 'order.paid', data: { orderId, status: 'paid', amount: 19900 } },
    });
    expect(detail.notifications.length).toBeGreaterThanOrEqual(1);
    expect(detail.notifications[0]).toMatchObject({ orderId, verified: true, outcome: 'applied' });
    expect(detail.notifications[0]!.rawBody).toContain(orderId);

    await refund(orderId, { amount: 100, refundNo: 'show-1', reason: 'scratched' });
    const after = await json<{ refunds: RefundRecord[]; events: unknown[] }>(
      await admin(`/admin/orders/${orderId}`),
    );
    expect(after.refunds).toMatchObject([
      { refundNo: 'show-1', amount: 100, status: 'succeeded', reason: 'scratched' },
    ]);
    expect(after.events).toHaveLength(2);
  });

  it('answers 404 order_not_found for an unknown or malformed id', async () => {
    for (const id of ['01JD00000000000000000000000000', 'bad%20id']) {
      const response = await admin(`/admin/orders/${id}`);
      expect(response.status).toBe(404);
      expect(await json<Problem>(response)).toMatchObject({ code: 'order_not_found' });
    }
  });
});

describe('POST /admin/orders/:orderId/refunds', () => {
  it('refunds part, then the rest: partially_refunded, then refunded, one event each', async () => {
    const orderId = await paidOrder();
    const first = await refund(orderId, { amount: 5000, refundNo: 'part-1' });
    expect(first.status).toBe(201);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(await json<RefundAnswer>(first)).toMatchObject({
      refund: { refundNo: 'part-1', orderId, amount: 5000, status: 'succeeded', refundedBefore: 0 },
      order: { status: 'partially_refunded', refundedAmount: 5000 },
    });

    // No amount: everything that is left.
    const rest = await refund(orderId);
    expect(rest.status).toBe(201);
    const body = await json<RefundAnswer>(rest);
    expect(body).toMatchObject({
      refund: { amount: 14900, status: 'succeeded', refundedBefore: 5000 },
      order: { status: 'refunded', refundedAmount: 19900 },
    });
    expect(body.refund.refundNo).toMatch(/^r[0-9a-z]+$/);
    expect(body.refund.refundNo.length).toBeLessThanOrEqual(32);

    const events = await h.store.listEvents(orderId);
    expect(events.map((e) => e.type)).toEqual([
      'order.paid',
      'order.partially_refunded',
      'order.refunded',
    ]);
    const data = events.map((e) => (JSON.parse(e.payload) as Omit<MerchantEvent, 'id'>).data);
    expect(data[1]).toMatchObject({
      status: 'partially_refunded',
      refundedAmount: 5000,
      refund: { refundNo: 'part-1', amount: 5000 },
    });
    expect(data[2]).toMatchObject({
      status: 'refunded',
      refundedAmount: 19900,
      refund: { refundNo: body.refund.refundNo, amount: 14900 },
    });
    const atGateway = await sandboxOrder(orderId);
    expect(atGateway.refunds.map((r) => [r.refundNo, r.amount])).toEqual([
      ['part-1', 5000],
      [body.refund.refundNo, 14900],
    ]);

    // One log line per attempt, with what was refunded and how it ended.
    const lines = h.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'refund' && line.orderId === orderId);
    expect(lines).toMatchObject([
      { refundNo: 'part-1', amount: 5000, outcome: 'succeeded' },
      { refundNo: body.refund.refundNo, amount: 14900, outcome: 'succeeded' },
    ]);

    const again = await refund(orderId, { amount: 1 });
    expect(again.status).toBe(409);
    expect(await json<Problem>(again)).toMatchObject({
      code: 'not_refundable',
      detail: expect.stringContaining('fully refunded') as unknown,
    });
  });

  it('answers a replayed refundNo again without a second refund at the gateway', async () => {
    const orderId = await paidOrder();
    const first = await json<RefundAnswer>(await refund(orderId, { amount: 700, refundNo: 'R-1' }));
    const replay = await refund(orderId, { amount: 700, refundNo: 'R-1' });
    expect(replay.status).toBe(200);
    expect(await json<RefundAnswer>(replay)).toEqual(first);
    // Without an amount, a known refundNo means that refund.
    const bare = await refund(orderId, { refundNo: 'R-1' });
    expect(bare.status).toBe(200);
    expect((await sandboxOrder(orderId)).refunds).toHaveLength(1);
    expect(await eventTypes(orderId)).toEqual(['order.paid', 'order.partially_refunded']);
  });

  it('refuses a refundNo reused with another amount or on another order', async () => {
    const orderId = await paidOrder();
    const other = await paidOrder();
    expect((await refund(orderId, { amount: 700, refundNo: 'R-2' })).status).toBe(201);
    for (const [id, amount] of [
      [orderId, 800],
      [other, 700],
    ] as const) {
      const response = await refund(id, { amount, refundNo: 'R-2' });
      expect(response.status).toBe(409);
      expect(await json<Problem>(response)).toMatchObject({ code: 'idempotency_conflict' });
    }
    expect((await sandboxOrder(orderId)).refunds).toHaveLength(1);
    expect((await sandboxOrder(other)).refunds).toHaveLength(0);
  });

  it('refuses more than is left with 422, saying what is left', async () => {
    const orderId = await paidOrder();
    await refund(orderId, { amount: 19000 });
    const response = await refund(orderId, { amount: 901 });
    expect(response.status).toBe(422);
    expect(await json<Problem>(response)).toMatchObject({
      code: 'refund_too_large',
      refundable: 900,
      detail: expect.stringContaining('900 left') as unknown,
    });
    expect((await sandboxOrder(orderId)).refunds).toHaveLength(1);
  });

  it('refuses an order that is not paid with 409, saying its status', async () => {
    const orderId = await pendingOrder();
    const response = await refund(orderId);
    expect(response.status).toBe(409);
    expect(await json<Problem>(response)).toMatchObject({
      code: 'not_refundable',
      status: 409,
      orderStatus: 'pending',
      detail: expect.stringContaining('pending') as unknown,
    });
    expect(await h.store.listRefunds(orderId)).toEqual([]);
  });

  it('answers 404 for an unknown order', async () => {
    const response = await refund('01JD00000000000000000000000000');
    expect(response.status).toBe(404);
    expect(await json<Problem>(response)).toMatchObject({ code: 'order_not_found' });
  });

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ amount: 1.5 }, 'amount'],
    [{ amount: '100' }, 'amount'],
    [{ refundNo: 'x'.repeat(33) }, 'refundNo'],
    [{ refundNo: 'has space' }, 'refundNo'],
    [{ reason: 'x'.repeat(201) }, 'reason'],
    [{ amout: 100 }, 'amout'],
    [[100], 'the body'],
  ])('refuses %j with 400', async (body, name) => {
    const orderId = await paidOrder();
    const response = await refund(orderId, body);
    expect(response.status).toBe(400);
    const problem = await json<Problem>(response);
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail.startsWith(name)).toBe(true);
    expect((await sandboxOrder(orderId)).refunds).toHaveLength(0);
  });

  it('refuses a body that repeats a key with 400 and refunds nothing (JSON.parse would take the last)', async () => {
    const orderId = await paidOrder();
    const response = await rawRefund(orderId, 'application/json', '{"amount":100,"amount":19900}');
    expect(response.status).toBe(400);
    const problem = await json<Problem>(response);
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail).toBe('the body is not accepted: duplicate member "amount" at offset 22');
    expect((await sandboxOrder(orderId)).refunds).toHaveLength(0);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const orderId = await paidOrder();
    const response = await rawRefund(orderId, 'text/plain', 'amount=100');
    expect(response.status).toBe(415);
  });

  it('records a refusal by the gateway as failed (502); a new refundNo then succeeds', async () => {
    const orderId = await paidOrder();
    await h.control('/chaos', { apiCode: 1099, apiMsg: 'refund declined', apiTimes: 1 });
    const refused = await refund(orderId, { amount: 300, refundNo: 'F-1' });
    expect(refused.status).toBe(502);
    const problem = await json<Problem & { refund: RefundRecord }>(refused);
    expect(problem).toMatchObject({
      code: 'gateway_error',
      gatewayCode: 1099,
      gatewayMsg: 'refund declined',
      refund: { refundNo: 'F-1', status: 'failed', failureCode: '1099' },
    });
    expect(await h.store.getOrder(orderId)).toMatchObject({ status: 'paid', refundedAmount: 0 });

    // The same refundNo answers the stored failure, without asking the gateway again.
    const replay = await refund(orderId, { amount: 300, refundNo: 'F-1' });
    expect(replay.status).toBe(502);
    expect(await json<Problem>(replay)).toMatchObject({ refund: { status: 'failed' } });

    const next = await refund(orderId, { amount: 300, refundNo: 'F-2' });
    expect(next.status).toBe(201);
    expect((await sandboxOrder(orderId)).refunds.map((r) => r.refundNo)).toEqual(['F-2']);
  });

  it('records a refund the gateway answers with status 2 as failed', async () => {
    const orderId = await paidOrder();
    forgeRefund = (body) => ({
      code: 1,
      msg: 'refund failed',
      refundNo: body.refundNo,
      partnerOrderNo: body.partnerOrderNo,
      orderAmount: body.orderAmount,
      status: 2,
      currency: 'HKD',
    });
    const response = await refund(orderId, { amount: 300, refundNo: 'S-2' });
    expect(response.status).toBe(502);
    expect(await json<Problem>(response)).toMatchObject({
      code: 'gateway_error',
      refund: { status: 'failed', failureCode: 'status_2', failureMessage: 'refund failed' },
    });
    expect(await h.store.getOrder(orderId)).toMatchObject({ status: 'paid' });
  });

  it('keeps a refund the gateway has not decided (status 0) pending: 202, then the retry settles it', async () => {
    const orderId = await paidOrder();
    forgeRefund = (body) => ({
      code: 1,
      msg: 'processing',
      refundNo: body.refundNo,
      partnerOrderNo: body.partnerOrderNo,
      orderAmount: body.orderAmount,
      status: 0,
      currency: 'HKD',
    });
    const response = await refund(orderId, { amount: 300, refundNo: 'S-0' });
    expect(response.status).toBe(202);
    expect(await json<{ refund: RefundRecord; detail: string }>(response)).toMatchObject({
      refund: { refundNo: 'S-0', status: 'pending' },
      detail: expect.stringContaining('same refundNo') as unknown,
    });
    expect(await h.store.getOrder(orderId)).toMatchObject({ status: 'paid', refundedAmount: 0 });

    forgeRefund = undefined;
    const retried = await refund(orderId, { amount: 300, refundNo: 'S-0' });
    expect(retried.status).toBe(201);
    expect(await json<RefundAnswer>(retried)).toMatchObject({
      refund: { status: 'succeeded' },
      order: { status: 'partially_refunded', refundedAmount: 300 },
    });
  });

  it('keeps a refund pending when the gateway cannot be reached; the retry refunds once', async () => {
    const orderId = await paidOrder();
    await h.control('/chaos', { apiStatus: 503, apiTimes: 1 });
    const lost = await refund(orderId, { amount: 19900, refundNo: 'U-1' });
    expect(lost.status).toBe(502);
    const problem = await json<Problem & { refund: RefundRecord }>(lost);
    expect(problem).toMatchObject({ code: 'gateway_error', refund: { status: 'pending' } });
    expect(problem.detail).toContain('retry it with the same refundNo');
    expect(await h.store.listRefunds(orderId)).toMatchObject([{ status: 'pending' }]);

    // While it is pending, no other refund of the order starts.
    const other = await refund(orderId, { amount: 100, refundNo: 'U-2' });
    expect(other.status).toBe(409);
    expect(await json<Problem>(other)).toMatchObject({
      code: 'refund_in_flight',
      refundNo: 'U-1',
      detail: expect.stringContaining('U-1') as unknown,
    });

    const retried = await refund(orderId, { amount: 19900, refundNo: 'U-1' });
    expect(retried.status).toBe(201);
    expect(await json<RefundAnswer>(retried)).toMatchObject({ order: { status: 'refunded' } });
    expect((await sandboxOrder(orderId)).refunds).toHaveLength(1);
    expect(await eventTypes(orderId)).toEqual(['order.paid', 'order.refunded']);
  });

  it('keeps a refund pending when its answer is lost after the gateway refunded; the retry does not refund twice', async () => {
    const orderId = await paidOrder();
    // The harness gives the gateway 2 s; the sandbox refunds, then holds its answer for 3 s.
    await h.control('/chaos', { apiHangMs: 3000, apiTimes: 1 });
    const lost = await refund(orderId, { amount: 500, refundNo: 'T-1' });
    expect(lost.status).toBe(502);
    expect(await json<Problem>(lost)).toMatchObject({ refund: { status: 'pending' } });
    expect((await sandboxOrder(orderId)).refundedAmount).toBe(500);
    expect(await h.store.getOrder(orderId)).toMatchObject({ refundedAmount: 0 });

    const retried = await refund(orderId, { amount: 500, refundNo: 'T-1' });
    expect(retried.status).toBe(201);
    expect(await json<RefundAnswer>(retried)).toMatchObject({
      order: { status: 'partially_refunded', refundedAmount: 500 },
    });
    const atGateway = await sandboxOrder(orderId);
    expect(atGateway.refunds).toHaveLength(1);
    expect(atGateway.refundedAmount).toBe(500);
  });

  it('keeps a refund in doubt pending when its retry is refused: the earlier try may have refunded', async () => {
    const orderId = await paidOrder();
    await h.control('/chaos', { apiHangMs: 3000, apiTimes: 1 });
    expect((await refund(orderId, { amount: 500, refundNo: 'D-1' })).status).toBe(502);
    expect((await sandboxOrder(orderId)).refundedAmount).toBe(500);

    await h.control('/chaos', { apiCode: 1099, apiMsg: 'internal error', apiTimes: 1 });
    const refused = await refund(orderId, { amount: 500, refundNo: 'D-1' });
    expect(refused.status).toBe(502);
    const problem = await json<Problem & { refund: RefundRecord }>(refused);
    expect(problem).toMatchObject({ code: 'gateway_error', refund: { status: 'pending' } });
    expect(problem.detail).toContain('may have gone through');
    expect(await h.store.listRefunds(orderId)).toMatchObject([{ status: 'pending' }]);

    // The next retry reaches the gateway again and records what it took, once.
    const retried = await refund(orderId, { amount: 500, refundNo: 'D-1' });
    expect(retried.status).toBe(201);
    expect(await json<RefundAnswer>(retried)).toMatchObject({
      order: { status: 'partially_refunded', refundedAmount: 500 },
    });
    expect((await sandboxOrder(orderId)).refunds).toHaveLength(1);
  });

  it('reserves exactly one of several concurrent refunds of one order', async () => {
    const orderId = await paidOrder();
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => refund(orderId, { refundNo: `C-${i}` })),
    );
    const statuses = answers.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await h.store.listRefunds(orderId)).toMatchObject([{ status: 'succeeded' }]);
    expect((await sandboxOrder(orderId)).refunds).toHaveLength(1);
    expect(await eventTypes(orderId)).toEqual(['order.paid', 'order.refunded']);
  });
});

describe('the admin webhook routes', () => {
  it('say there is no webhook, and refuse to enable one, when none is configured', async () => {
    expect(await json<unknown>(await admin('/admin/webhook'))).toEqual({ url: null });
    const response = await admin('/admin/webhook/enable', { method: 'POST' });
    expect(response.status).toBe(409);
    expect(await json<Problem>(response)).toMatchObject({ code: 'webhook_not_configured' });
  });

  it('show an endpoint disabled by 410 Gone, and enable it again', async () => {
    let answer = 410;
    const received: string[] = [];
    const receiver: Server = createServer((request, response) => {
      request.resume();
      received.push(String(request.headers['webhook-id']));
      response.writeHead(answer).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const w = await createHarness({
      proxy: { adminToken: TOKEN, webhook: { url, secret: createWebhookSecret() } },
    });
    const get = async () =>
      json<{ url: string | null; disabledAt: number | null; reason: string | null }>(
        await w.request('/admin/webhook', { headers: bearer }),
      );
    try {
      expect(await get()).toEqual({ url, disabledAt: null, reason: null });

      const created = await w.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
      const { orderId } = await json<{ orderId: string }>(created);
      await w.control(`/orders/${orderId}/pay`);
      const disabled = await eventually(async () => {
        const state = await get();
        return state.disabledAt === null ? undefined : state;
      });
      expect(disabled).toMatchObject({ url, reason: '410 Gone' });

      answer = 204;
      const enabled = await w.request('/admin/webhook/enable', { method: 'POST', headers: bearer });
      expect(enabled.status).toBe(200);
      expect(await json<unknown>(enabled)).toEqual({ url, disabledAt: null, reason: null });

      // The waiting event is looked at again within a minute, and now delivered.
      w.advance(61_000);
      await w.app.runBackground();
      await w.app.idle();
      const [event] = await w.store.listEvents(orderId);
      expect(event).toMatchObject({ type: 'order.paid' });
      expect(event!.deliveredAt).not.toBeNull();
      expect(received.at(-1)).toBe(event!.eventId);
    } finally {
      await w.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('the admin token', () => {
  it('never appears in a log line or an answer', () => {
    expect(h.logs.length).toBeGreaterThan(0);
    expect(h.logs.filter((line) => line.includes(TOKEN))).toEqual([]);
    expect(traffic.filter((entry) => entry.includes(TOKEN))).toEqual([]);
  });

  it('is scrubbed from a log line that would carry it', async () => {
    const response = await admin(`/admin/${TOKEN}`);
    expect(response.status).toBe(404);
    const line = h.logs.at(-1)!;
    expect(JSON.parse(line)).toMatchObject({ msg: 'request', path: '/admin/[redacted]' });
    expect(line).not.toContain(TOKEN);
  });
});
