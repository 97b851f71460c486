import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNodeTransport } from '@scanforpay/protocol/node';
import { createCheckoutToken } from '@scanforpay/server';
import { createHarness, eventually, type Harness } from './helpers/harness.js';
import { TOKEN_SECRET } from './helpers/traffic.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('/reset');
});

async function problem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ type: `urn:scanforpay:problem:${code}`, status, code });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

const orderCount = async () =>
  (await h.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders'))[0]!.n as number;

describe('POST /orders', () => {
  describe('for a fixed-price item', () => {
    it('creates the order at the gateway and answers 201 with a sandbox payUrl', async () => {
      const response = await h.createOrder({
        item: 'tee-red',
        wallet: 'AlipayHK',
        quantity: 2,
        reference: 'cart-1',
      });
      expect(response.status).toBe(201);
      const body = (await response.json()) as Record<string, string | number>;
      expect(Object.keys(body).sort()).toEqual([
        'amount',
        'currency',
        'expiresAt',
        'orderId',
        'payUrl',
        'wallet',
      ]);
      expect(body).toMatchObject({ amount: 39800, currency: 'HKD', wallet: 'AlipayHK' });
      expect(String(body.orderId)).toMatch(/^[0-9A-Z]{30}$/);
      expect(String(body.payUrl).startsWith(`${h.sandbox!.url}/cashier/`)).toBe(true);
      expect(Date.parse(String(body.expiresAt)) - h.now()).toBeGreaterThan(29 * 60_000);

      const stored = await h.store.getOrder(String(body.orderId));
      expect(stored).toMatchObject({
        status: 'pending',
        itemId: 'tee-red',
        title: 'Red tee',
        amount: 39800,
        quantity: 2,
        reference: 'cart-1',
        payUrl: body.payUrl,
      });
      expect(stored?.expiresAt).toBe(Date.parse(String(body.expiresAt)));

      const gateway = (await h.control(`/orders/${String(body.orderId)}`)) as {
        order: Record<string, unknown>;
      };
      expect(gateway.order).toMatchObject({
        orderAmount: 39800,
        currency: 'HKD',
        wallet: 'AlipayHK',
        notifyUrl: `${h.proxyUrl}/notify`,
        returnUrl: `${h.proxyUrl}/return`,
      });
    });

    it('rejects a browser-sent amount (price tampering) and stores nothing', async () => {
      const before = await orderCount();
      const body = await problem(
        await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK', amount: 1 }),
        400,
        'invalid_request',
      );
      expect(body.detail).toMatch(/fixed/);
      expect(await orderCount()).toBe(before);
    });

    it('refuses a wallet the item does not offer', async () => {
      const body = await problem(
        await h.createOrder({ item: 'mug', wallet: 'Alipay' }),
        422,
        'wallet_not_allowed',
      );
      expect(body.wallets).toEqual(['Wechat']);
      await problem(
        await h.createOrder({ item: 'tee-red', wallet: 'PayPal' }),
        422,
        'wallet_not_allowed',
      );
    });

    it('picks the only wallet when none is sent', async () => {
      const response = await h.createOrder({ item: 'mug' });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({ wallet: 'Wechat', amount: 8800 });
      await problem(await h.createOrder({ item: 'tee-red' }), 400, 'invalid_request');
    });
  });

  describe('for an open-amount item', () => {
    it('accepts an amount within the bounds', async () => {
      const response = await h.createOrder({ item: 'donation', wallet: 'Alipay', amount: 5000 });
      expect(response.status).toBe(201);
      expect(await response.json()).toMatchObject({
        amount: 5000,
        currency: 'HKD',
        wallet: 'Alipay',
      });
    });

    it('refuses amounts outside the bounds, a missing amount and a quantity', async () => {
      const low = await problem(
        await h.createOrder({ item: 'donation', wallet: 'Alipay', amount: 999 }),
        422,
        'amount_out_of_range',
      );
      expect(low).toMatchObject({ min: 1000, max: 500000 });
      await problem(
        await h.createOrder({ item: 'donation', wallet: 'Alipay', amount: 500001 }),
        422,
        'amount_out_of_range',
      );
      await problem(
        await h.createOrder({ item: 'donation', wallet: 'Alipay' }),
        400,
        'invalid_request',
      );
      await problem(
        await h.createOrder({ item: 'donation', wallet: 'Alipay', amount: 5000, quantity: 2 }),
        400,
        'invalid_request',
      );
    });
  });

  describe('with bad input', () => {
    it.each([
      ['not JSON', '{'],
      ['a negative quantity', { item: 'tee-red', wallet: 'Alipay', quantity: -1 }],
      ['a quantity of 100', { item: 'tee-red', wallet: 'Alipay', quantity: 100 }],
      ['a fractional quantity', { item: 'tee-red', wallet: 'Alipay', quantity: 1.5 }],
      ['a string amount', { item: 'donation', wallet: 'Alipay', amount: '5000' }],
      ['a fractional amount', { item: 'donation', wallet: 'Alipay', amount: 50.5 }],
      ['no item', { wallet: 'Alipay' }],
      ['an array', [1]],
      ['a long reference', { item: 'tee-red', wallet: 'Alipay', reference: 'x'.repeat(65) }],
    ])('answers 400 for %s', async (_, body) => {
      const before = await orderCount();
      await problem(await h.createOrder(body), 400, 'invalid_request');
      expect(await orderCount()).toBe(before);
    });

    it('answers 404 for an unknown item', async () => {
      await problem(
        await h.createOrder({ item: 'ghost', wallet: 'Alipay' }),
        404,
        'item_not_found',
      );
    });

    it('answers 415 for a non-JSON content type', async () => {
      const response = await h.request('/orders', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ item: 'tee-red', wallet: 'Alipay' }),
      });
      await problem(response, 415, 'unsupported_media_type');
    });

    it('answers 413 for a streamed body of unknown length over the limit', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(10_000));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 5; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const response = await h.request('/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body,
        duplex: 'half',
      } as RequestInit);
      await problem(response, 413, 'payload_too_large');
    });

    it('answers 413 for a body over the limit', async () => {
      const response = await h.createOrder({
        item: 'tee-red',
        wallet: 'Alipay',
        pad: 'x'.repeat(40_000),
      });
      await problem(response, 413, 'payload_too_large');
    });
  });

  describe('with a checkout token', () => {
    const token = (overrides: Partial<Parameters<typeof createCheckoutToken>[0]> = {}) =>
      createCheckoutToken({
        secret: TOKEN_SECRET,
        amount: 12345,
        currency: 'HKD',
        title: 'Cart of 3',
        reference: 'cart-77',
        ...overrides,
      });

    it('prices the order from the token, once', async () => {
      const t = await token();
      const response = await h.createOrder({ token: t, wallet: 'Wechat' });
      expect(response.status).toBe(201);
      const body = (await response.json()) as { orderId: string };
      expect(body).toMatchObject({ amount: 12345, currency: 'HKD', wallet: 'Wechat' });
      expect(await h.store.getOrder(body.orderId)).toMatchObject({
        itemId: 'checkout',
        title: 'Cart of 3',
        reference: 'cart-77',
      });
      const before = await orderCount();
      await problem(await h.createOrder({ token: t, wallet: 'Wechat' }), 422, 'token_used');
      expect(await orderCount()).toBe(before);
    });

    it('refuses an expired, altered or foreign token, and an amount beside it', async () => {
      const expired = await token({ now: () => new Date(Date.now() - 3_600_000), expiresIn: 60 });
      await problem(
        await h.createOrder({ token: expired, wallet: 'Wechat' }),
        422,
        'token_expired',
      );
      const [prefix, claims, mac] = (await token()).split('.');
      const json = JSON.parse(Buffer.from(claims!, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const cheaper = Buffer.from(JSON.stringify({ ...json, amount: 1 })).toString('base64url');
      await problem(
        await h.createOrder({ token: `${prefix}.${cheaper}.${mac}`, wallet: 'Wechat' }),
        422,
        'invalid_token',
      );
      const foreign = await createCheckoutToken({
        secret: 'another-secret-that-is-long-enough-000',
        amount: 1,
        currency: 'HKD',
        title: 'x',
      });
      await problem(
        await h.createOrder({ token: foreign, wallet: 'Wechat' }),
        422,
        'invalid_token',
      );
      await problem(
        await h.createOrder({ token: 'garbage', wallet: 'Wechat' }),
        422,
        'invalid_token',
      );
      await problem(
        await h.createOrder({ token: await token(), wallet: 'Wechat', amount: 1 }),
        400,
        'invalid_request',
      );
    });

    it('does not burn a token when the gateway fails', async () => {
      const t = await token();
      await h.control('/chaos', { apiCode: 1099, apiMsg: 'try later' });
      await problem(await h.createOrder({ token: t, wallet: 'Wechat' }), 502, 'gateway_error');
      await h.control('/chaos', {});
      expect((await h.createOrder({ token: t, wallet: 'Wechat' })).status).toBe(201);
    });

    it('limits the wallets to those the token names', async () => {
      await problem(
        await h.createOrder({ token: await token({ wallets: ['AlipayHK'] }), wallet: 'Wechat' }),
        422,
        'wallet_not_allowed',
      );
    });
  });

  describe('with an Idempotency-Key', () => {
    it('answers the same order for the same key and body, and 409 for another body', async () => {
      const key = `key-${Date.now()}`;
      const first = await h.createOrder(
        { item: 'tee-red', wallet: 'Alipay' },
        { 'idempotency-key': key },
      );
      const again = await h.createOrder(
        { item: 'tee-red', wallet: 'Alipay' },
        { 'idempotency-key': key },
      );
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(await again.json()).toEqual(await first.json());
      const before = await orderCount();
      await problem(
        await h.createOrder({ item: 'tee-red', wallet: 'Wechat' }, { 'idempotency-key': key }),
        409,
        'idempotency_conflict',
      );
      expect(await orderCount()).toBe(before);
    });

    it('creates one order for concurrent requests with the same key', async () => {
      const key = `race-${Date.now()}`;
      const before = await orderCount();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          h.createOrder({ item: 'tee-red', wallet: 'Alipay' }, { 'idempotency-key': key }),
        ),
      );
      expect(await orderCount()).toBe(before + 1);
      const ids = new Set<string>();
      for (const response of responses) {
        expect([201, 409]).toContain(response.status);
        if (response.status === 201)
          ids.add(((await response.json()) as { orderId: string }).orderId);
      }
      expect(ids.size).toBe(1);
    });

    it('refuses a malformed key', async () => {
      await problem(
        await h.createOrder({ item: 'tee-red', wallet: 'Alipay' }, { 'idempotency-key': 'a b' }),
        400,
        'invalid_request',
      );
    });
  });

  describe('when the gateway fails', () => {
    it('answers 502 with the gateway code in our words, and marks the order failed', async () => {
      await h.control('/chaos', { apiCode: 1099, apiMsg: 'merchant disabled' });
      const key = `fail-${Date.now()}`;
      const response = await h.createOrder(
        { item: 'tee-red', wallet: 'Alipay' },
        { 'idempotency-key': key },
      );
      const body = await problem(response, 502, 'gateway_error');
      expect(body).toMatchObject({
        gatewayCode: 1099,
        detail: 'the payment gateway refused the order (code 1099)',
      });
      expect(body).not.toHaveProperty('gatewayMsg');
      const [row] = await h.query(
        'SELECT status, pay_url, failure_code, failure_message FROM orders ORDER BY order_id DESC LIMIT 1',
      );
      expect(row).toEqual({
        status: 'failed',
        pay_url: null,
        failure_code: '1099',
        failure_message: 'merchant disabled',
      });
      // The same key replays the same failure.
      await h.control('/chaos', {});
      const replay = await problem(
        await h.createOrder({ item: 'tee-red', wallet: 'Alipay' }, { 'idempotency-key': key }),
        502,
        'gateway_error',
      );
      expect(replay).toEqual(body);
    });

    it('answers 502 on an HTTP error and a timeout', async () => {
      await h.control('/chaos', { apiStatus: 500 });
      expect(
        (
          await problem(
            await h.createOrder({ item: 'tee-red', wallet: 'Alipay' }),
            502,
            'gateway_error',
          )
        ).detail,
      ).toMatch(/reached/);
      await h.control('/chaos', { apiHangMs: 5000 });
      expect(
        (
          await problem(
            await h.createOrder({ item: 'tee-red', wallet: 'Alipay' }),
            502,
            'gateway_error',
          )
        ).detail,
      ).toMatch(/timed out/);
      await h.control('/chaos', {});
      const [failed] = await h.query(
        "SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders WHERE status = 'pending' AND pay_url IS NULL",
      );
      expect(failed).toEqual({ n: 0 });
    });

    it('refuses an answer altered on the way (signature over the raw text)', async () => {
      const transport = createNodeTransport();
      const tampering = await createHarness({
        proxy: {
          transport: async (url, init) => {
            const answer = await transport(url, init);
            return { ...answer, text: answer.text.replace('cashier', 'cashiex') };
          },
        },
      });
      try {
        const body = await problem(
          await tampering.createOrder({ item: 'tee-red', wallet: 'Alipay' }),
          502,
          'gateway_error',
        );
        expect(body.detail).toMatch(/verification \(mismatch\)/);
        expect(await tampering.query('SELECT status, pay_url FROM orders')).toEqual([
          { status: 'failed', pay_url: null },
        ]);
      } finally {
        await tampering.close();
        transport.close();
      }
    });

    it('refuses a payUrl on a host that is not the gateway’s', async () => {
      const strict = await createHarness({ proxy: { payUrlHosts: ['pay.scanforpay.com'] } });
      try {
        const body = await problem(
          await strict.createOrder({ item: 'tee-red', wallet: 'Alipay' }),
          502,
          'gateway_error',
        );
        expect(body.detail).toMatch(/payUrl/);
        expect(await strict.query('SELECT status FROM orders')).toEqual([{ status: 'failed' }]);
      } finally {
        await strict.close();
      }
    });
  });
});

describe('GET /orders/:orderId', () => {
  it('shows the public view only', async () => {
    const created = (await (await h.createOrder({ item: 'tee-red', wallet: 'Alipay' })).json()) as {
      orderId: string;
    };
    const response = await h.request(`/orders/${created.orderId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      orderId: created.orderId,
      status: 'pending',
      amount: 19900,
      currency: 'HKD',
      wallet: 'Alipay',
      title: 'Red tee',
    });
  });

  it('answers 404 for an unknown or malformed id', async () => {
    await problem(await h.request('/orders/UNKNOWN'), 404, 'order_not_found');
    await problem(await h.request(`/orders/${'x'.repeat(40)}`), 404, 'order_not_found');
  });

  it('never expires a pending order on the clock alone: past its time it asks the gateway', async () => {
    const created = (await (await h.createOrder({ item: 'tee-red', wallet: 'Alipay' })).json()) as {
      orderId: string;
    };
    await h.control('/chaos', { apiStatus: 503 });
    h.advance(60 * 60_000);
    try {
      expect(await (await h.request(`/orders/${created.orderId}`)).json()).toMatchObject({
        status: 'pending',
      });
      await h.control('/chaos', {});
      h.advance(10_000);
      expect(await (await h.request(`/orders/${created.orderId}`)).json()).toMatchObject({
        status: 'expired',
      });
    } finally {
      await h.control('/chaos', {});
      h.advance(-60 * 60_000 - 10_000);
    }
  });

  it('shows paid with paidAt after the sandbox pays it', async () => {
    const created = (await (await h.createOrder({ item: 'tee-red', wallet: 'Alipay' })).json()) as {
      orderId: string;
    };
    await h.control(`/orders/${created.orderId}/pay`);
    const view = await eventually(async () => {
      const body = (await (await h.request(`/orders/${created.orderId}`)).json()) as {
        status: string;
        paidAt?: string;
      };
      return body.status === 'paid' ? body : undefined;
    });
    expect(Date.parse(view.paidAt!)).toBeGreaterThan(0);
  });
});
