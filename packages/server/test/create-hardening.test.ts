import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatTime, signResponse, type Transport } from '@scanforpay/protocol';
import { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { createCheckoutToken } from '@scanforpay/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { payUrlMatcher } from '../src/orders/pay-url-matcher.js';
import {
  createHarness,
  eventually,
  SHOP_ORIGIN,
  type Harness,
  type HarnessOptions,
} from './helpers/harness.js';
import { TOKEN_SECRET } from './helpers/traffic.js';

/**
 * Issue 12, the order-creation path: (7) one gateway call per Idempotency-Key, the order
 * written before it; (8) a create answer must belong to its request and carry a clean payUrl;
 * (9) the shopper never sees the gateway's own text.
 */

const ADMIN_TOKEN = 'a'.repeat(40);
const { partnerNo, signKey } = DEFAULT_PARTNER;

interface GatewayCall {
  path: string;
  reqMsgId: string;
  partnerOrderNo: string;
}
interface Answer {
  header?: Record<string, unknown>;
  body: Record<string, unknown>;
}
interface LoopbackGateway {
  url: string;
  calls: GatewayCall[];
  /** The exact signed texts sent, in order. */
  sent: string[];
  /** Answers each call; a returned string is sent verbatim (a replayed answer). */
  answer: (call: GatewayCall) => Answer | string | Promise<Answer | string>;
  close(): Promise<void>;
}

/** A tiny gateway on loopback that answers with crafted answers signed by the protocol package. */
async function startGateway(): Promise<LoopbackGateway> {
  const gateway: LoopbackGateway = {
    url: '',
    calls: [],
    sent: [],
    answer: (call) => ({
      header: { reqMsgId: call.reqMsgId },
      body: {
        code: 1,
        msg: 'success',
        payUrl: `${gateway.url}/cashier/${call.partnerOrderNo}`,
        partnerOrderNo: call.partnerOrderNo,
      },
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => void reply(text, req.url ?? '', res));
  });
  async function reply(text: string, path: string, res: ServerResponse): Promise<void> {
    const { request } = JSON.parse(text) as {
      request: { header: { reqMsgId: string }; body: { partnerOrderNo: string } };
    };
    const call = {
      path,
      reqMsgId: request.header.reqMsgId,
      partnerOrderNo: request.body.partnerOrderNo,
    };
    gateway.calls.push(call);
    const answer = await gateway.answer(call);
    const body =
      typeof answer === 'string'
        ? answer
        : (
            await signResponse(
              {
                header: {
                  version: '1.0',
                  partnerNo,
                  respMsgId: `r${gateway.calls.length}`,
                  respTime: formatTime(new Date()),
                  signType: 'SHA256',
                  ...answer.header,
                },
                body: answer.body,
              },
              signKey,
              nodeSha256,
            )
          ).body;
    gateway.sent.push(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gateway;
}

/** A proxy whose gateway is `gateway`, whose waits move its own clock (no real time passes). */
async function harnessFor(gateway: LoopbackGateway, proxy: HarnessOptions['proxy'] = {}) {
  const box: { h?: Harness } = {};
  const h = await createHarness({
    noSandbox: true,
    proxy: {
      gatewayUrl: gateway.url,
      gatewayTimeoutMs: 10_000,
      sleep: async (ms) => {
        box.h!.advance(ms);
        await new Promise((resolve) => setImmediate(resolve));
      },
      ...proxy,
    },
  });
  box.h = h;
  return h;
}

/** A promise with its resolve, to hold a gateway answer until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function problem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  return body;
}

const order = { item: 'tee-red', wallet: 'Alipay' };

describe('POST /orders with one Idempotency-Key (concurrent duplicates)', () => {
  let h: Harness;
  let creates = 0;
  const sandboxTransport = createNodeTransport();
  const counting: Transport = (url, init) => {
    if (url.endsWith('/api/online/create')) creates += 1;
    return sandboxTransport(url, init);
  };

  beforeAll(async () => {
    // The proxy's clock stands still: the duplicates wait for the first however slow the engine
    // is under load, and never give up on the clock.
    const now = Date.now();
    h = await createHarness({
      proxy: { transport: counting, clock: () => now, gatewayTimeoutMs: 10_000 },
    });
  });
  afterAll(async () => {
    await h.close();
    sandboxTransport.close();
  });
  beforeEach(async () => {
    creates = 0;
    await h.control('/reset');
  });

  it('makes one gateway create call for 30 concurrent requests and answers all 30 alike', async () => {
    const key = `burst-${h.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => h.createOrder(order, { 'idempotency-key': key })),
    );
    expect(creates).toBe(1);
    const { orders } = (await h.control('/orders')) as { orders: unknown[] };
    expect(orders).toHaveLength(1);
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(await h.query('SELECT status FROM orders')).toEqual([{ status: 'pending' }]);
  }, 60_000); // 30 requests on one miniflare D1 can take a while on a loaded machine
});

describe('POST /orders: the order is written before the gateway call', () => {
  let gateway: LoopbackGateway;
  let h: Harness;

  beforeAll(async () => {
    gateway = await startGateway();
    h = await harnessFor(gateway, { adminToken: ADMIN_TOKEN });
  });
  afterAll(async () => {
    await h.close();
    await gateway.close();
  });
  beforeEach(() => {
    gateway.calls.length = 0;
  });

  /** Holds the next gateway answer; `release` lets it go as the default answer. */
  function holdNextAnswer(): { release: () => void } {
    const { promise, open } = gate();
    const answer = gateway.answer;
    gateway.answer = async (call) => {
      gateway.answer = answer;
      await promise;
      return answer(call);
    };
    return { release: open };
  }

  it('answers 409 with Retry-After while the first is still at the gateway, then replays it', async () => {
    const key = `slow-${h.now()}`;
    const held = holdNextAnswer();
    const first = h.createOrder(order, { 'idempotency-key': key });
    await eventually(async () => (gateway.calls.length === 1 ? true : undefined));

    // In flight: the order is known, pending, with no payUrl yet; GET shows it pending.
    const [row] = await h.query('SELECT order_id, status, pay_url FROM orders');
    expect(row).toMatchObject({ status: 'pending', pay_url: null });
    const shown = await h.request(`/orders/${String(row!.order_id)}`);
    expect(await shown.json()).toMatchObject({ status: 'pending' });

    const waiting = await h.createOrder(order, { 'idempotency-key': key });
    const body = await problem(waiting, 409, 'idempotency_conflict');
    expect(body.detail).toMatch(/still in progress/);
    expect(waiting.headers.get('retry-after')).toBe('2');
    expect(gateway.calls).toHaveLength(1);

    held.release();
    const created = await first;
    expect(created.status).toBe(201);
    const again = await h.createOrder(order, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await created.json());
    expect(gateway.calls).toHaveLength(1);
  });

  it('claims a checkout token before the call: a second order with it makes no gateway call', async () => {
    const token = await createCheckoutToken({
      secret: TOKEN_SECRET,
      amount: 12345,
      currency: 'HKD',
      title: 'Cart of 3',
    });
    const held = holdNextAnswer();
    const first = h.createOrder({ token, wallet: 'Wechat' });
    await eventually(async () => (gateway.calls.length === 1 ? true : undefined));
    await problem(await h.createOrder({ token, wallet: 'Wechat' }), 422, 'token_used');
    held.release();
    expect((await first).status).toBe(201);
    expect(gateway.calls).toHaveLength(1);
  });

  it('gives the checkout token back when the gateway refuses the order', async () => {
    const token = await createCheckoutToken({
      secret: TOKEN_SECRET,
      amount: 500,
      currency: 'HKD',
      title: 'Cart',
    });
    const answer = gateway.answer;
    gateway.answer = () => ({ body: { code: 1000, msg: 'busy' } });
    try {
      await problem(await h.createOrder({ token, wallet: 'Wechat' }), 502, 'gateway_error');
    } finally {
      gateway.answer = answer;
    }
    expect((await h.createOrder({ token, wallet: 'Wechat' })).status).toBe(201);
  });

  it('answers a key whose first request never recorded its answer as incomplete, not forever 409', async () => {
    const key = `crashed-${h.now()}`;
    const created = (await (await h.createOrder(order, { 'idempotency-key': key })).json()) as {
      orderId: string;
    };
    // As if the first request's process had stopped between the gateway call and its second write.
    await h.query(`UPDATE orders SET pay_url = NULL WHERE order_id = '${created.orderId}'`);
    gateway.calls.length = 0;
    h.advance(60_000);
    try {
      const body = await problem(
        await h.createOrder(order, { 'idempotency-key': key }),
        502,
        'gateway_error',
      );
      expect(body.detail).toMatch(/did not complete/);
      expect(gateway.calls).toHaveLength(0);
      // The proxy knows the order: reconciliation's payQuery settles it.
      expect(await h.store.getOrder(created.orderId)).toMatchObject({ status: 'pending' });
    } finally {
      h.advance(-60_000);
    }
  });
});

describe('a create answer must belong to its request', () => {
  let gateway: LoopbackGateway;
  let h: Harness;
  const defaultAnswer = () => gateway.answer;
  let original: LoopbackGateway['answer'];

  beforeAll(async () => {
    gateway = await startGateway();
    original = defaultAnswer();
    h = await harnessFor(gateway);
  });
  afterAll(async () => {
    await h.close();
    await gateway.close();
  });
  afterEach(() => {
    gateway.answer = original;
    gateway.calls.length = 0;
    gateway.sent.length = 0;
  });

  const lastRow = async () =>
    (
      await h.query(
        'SELECT status, pay_url, failure_code, failure_message FROM orders ORDER BY order_id DESC LIMIT 1',
      )
    )[0];

  it('accepts an answer that echoes nothing (the documented sample)', async () => {
    gateway.answer = (call) => ({
      body: { code: 1, msg: 'success', payUrl: `${gateway.url}/cashier/${call.partnerOrderNo}` },
    });
    expect((await h.createOrder(order)).status).toBe(201);
  });

  it('refuses a signed answer of another order, replayed verbatim, as a gateway failure', async () => {
    const first = await h.createOrder(order);
    expect(first.status).toBe(201);
    const replayed = gateway.sent[0]!;
    gateway.answer = () => replayed;
    const body = await problem(await h.createOrder(order), 502, 'gateway_error');
    expect(body.detail).toBe('the payment gateway’s answer does not belong to this order');
    expect(body).not.toHaveProperty('gatewayCode');
    expect(await lastRow()).toMatchObject({
      status: 'failed',
      pay_url: null,
      failure_code: 'mismatch',
    });
  });

  it('refuses an answer whose header names another request id', async () => {
    gateway.answer = (call) => ({
      header: { reqMsgId: 'f'.repeat(32) },
      body: { code: 1, msg: 'success', payUrl: `${gateway.url}/cashier/${call.partnerOrderNo}` },
    });
    await problem(await h.createOrder(order), 502, 'gateway_error');
    expect(await lastRow()).toMatchObject({ status: 'failed', failure_code: 'mismatch' });
    expect(String((await lastRow())!.failure_message)).toMatch(/reqMsgId f{32}/);
  });

  it('refuses a payUrl with CR/LF: /orders and /checkout answer 502, nothing is stored', async () => {
    gateway.answer = (call) => ({
      body: {
        code: 1,
        msg: 'success',
        payUrl: `${gateway.url}/cashier/${call.partnerOrderNo}\r\nSet-Cookie: a=b`,
        partnerOrderNo: call.partnerOrderNo,
      },
    });
    const body = await problem(await h.createOrder(order), 502, 'gateway_error');
    expect(body.detail).toMatch(/payUrl/);
    expect(await lastRow()).toMatchObject({
      status: 'failed',
      pay_url: null,
      failure_code: 'pay_url',
    });

    const form = await h.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SHOP_ORIGIN },
      body: new URLSearchParams(order).toString(),
    });
    expect(form.status).toBe(502);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
    expect(form.headers.get('set-cookie')).toBeNull();
  });
});

describe('payUrlMatcher', () => {
  const real = payUrlMatcher('https://pay.scanforpay.com', undefined);
  const sandbox = payUrlMatcher('http://127.0.0.1:8080', undefined);

  it.each([
    'https://pay.scanforpay.com/cashier/abc',
    'https://dev-pay.scan4pay.com/cashier/abc?x=1&mail=a@b',
    'https://PAY.scanforpay.com:443/c#top',
  ])('accepts %s', (url) => {
    expect(real(url)).toBe(true);
  });

  it.each([
    ['CR/LF', 'https://pay.scanforpay.com/a\r\nSet-Cookie: x=1'],
    ['a tab', 'https://pay.scanforpay.com/a\tb'],
    ['leading space', ' https://pay.scanforpay.com/a'],
    ['inner space', 'https://pay.scanforpay.com/a b'],
    ['NUL', 'https://pay.scanforpay.com/a\u0000'],
    ['non-ASCII', 'https://pay.scanforpay.com/ü'],
    ['userinfo', 'https://user:pw@pay.scanforpay.com/'],
    ['empty userinfo', 'https://@pay.scanforpay.com/'],
    ['no slashes', 'https:pay.scanforpay.com/x'],
    ['a backslash', 'https://pay.scanforpay.com\\@evil.example/'],
    ['too long', `https://pay.scanforpay.com/${'a'.repeat(2100)}`],
    ['http on an https gateway', 'http://pay.scanforpay.com/a'],
    ['another host', 'https://evil.example/pay.scanforpay.com'],
    ['another scheme', 'javascript://pay.scanforpay.com/%0aalert(1)'],
  ])('refuses %s', (_, url) => {
    expect(real(url)).toBe(false);
  });

  it('takes http only when the gateway itself is http (the sandbox)', () => {
    expect(sandbox('http://127.0.0.1:8080/cashier/x')).toBe(true);
    expect(sandbox('http://127.0.0.1:8080/cashier/x\n')).toBe(false);
  });
});

describe('gateway text is not relayed to the shopper', () => {
  let h: Harness;
  const msg = `<b>rejected</b> key=${signKey}`;

  beforeAll(async () => {
    h = await createHarness({ proxy: { adminToken: ADMIN_TOKEN } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset');
  });

  const admin = (path: string, init: RequestInit = {}) =>
    h.request(path, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.headers ?? {}) },
    });

  it('answers our words for the code; the raw msg stays in the failed order and the redacted log', async () => {
    await h.control('/chaos', { apiCode: 1010, apiMsg: msg });
    const response = await h.createOrder(order, { 'idempotency-key': `msg-${h.now()}` });
    const text = await response.clone().text();
    const body = await problem(response, 502, 'gateway_error');
    expect(body).toMatchObject({
      gatewayCode: 1010,
      detail: 'the payment gateway does not accept this currency for this shop',
    });
    expect(body).not.toHaveProperty('gatewayMsg');
    expect(text).not.toContain('rejected');

    const [row] = await h.query('SELECT order_id, failure_message FROM orders');
    expect(row!.failure_message).toBe(msg);
    const line = h.logs.find((l) => l.includes('gateway refused order'))!;
    expect(JSON.parse(line)).toMatchObject({ reason: '<b>rejected</b> key=[redacted]' });

    const shown = await admin(`/admin/orders/${String(row!.order_id)}`);
    expect(await shown.json()).toMatchObject({
      order: { failureCode: '1010', failureMessage: '<b>rejected</b> key=[redacted]' },
    });
  });

  it('shows the default sentence for an unknown code, on the /checkout page too', async () => {
    await h.control('/chaos', { apiCode: 4242, apiMsg: msg });
    const page = await h.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SHOP_ORIGIN },
      body: new URLSearchParams(order).toString(),
    });
    expect(page.status).toBe(502);
    const html = await page.text();
    // The shopper's words, never the gateway's text (nor the merchant's detail).
    expect(html).toContain(
      '<p>The payment service refused this order. No money was taken. Try another payment method or contact the shop.</p>',
    );
    expect(html).toContain('<small>502 gateway_error</small>');
    expect(html).not.toContain('rejected');
  });

  it('redacts secrets from the msg of a refused refund in the admin API', async () => {
    const created = (await (await h.createOrder(order)).json()) as { orderId: string };
    await h.control(`/orders/${created.orderId}/pay`);
    await eventually(async () =>
      (await h.store.getOrder(created.orderId))?.status === 'paid' ? true : undefined,
    );
    await h.control('/chaos', { apiCode: 1099, apiMsg: msg, apiTimes: 1 });
    const refused = await admin(`/admin/orders/${created.orderId}/refunds`, { method: 'POST' });
    const body = await problem(refused, 502, 'gateway_error');
    expect(body).toMatchObject({
      gatewayCode: 1099,
      gatewayMsg: '<b>rejected</b> key=[redacted]',
      refund: { failureMessage: '<b>rejected</b> key=[redacted]' },
    });
    const shown = await admin(`/admin/orders/${created.orderId}`);
    expect(await shown.json()).toMatchObject({
      refunds: [{ failureMessage: '<b>rejected</b> key=[redacted]' }],
    });
  });
});
