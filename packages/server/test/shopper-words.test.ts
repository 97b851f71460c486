import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, SHOP_ORIGIN, type Harness } from './helpers/harness.js';

// The words the button and the result element show come from the proxy, in the shopper's
// language (`?lang=`), next to the merchant's `detail`: one real proxy, the real sandbox.
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

async function json(path: string, init?: RequestInit) {
  const response = await h.request(path, {
    ...init,
    headers: { origin: SHOP_ORIGIN, ...init?.headers },
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('GET /items/:id?lang=: the button’s words', () => {
  it('names the wallets, the pay label per wallet, the choice, and the currency’s digits', async () => {
    const { body } = await json('/items/tee-red?lang=zh-HK&context=desktop');
    expect(body).toMatchObject({
      digits: 2,
      names: { Alipay: '支付寶', AlipayHK: '支付寶香港', Wechat: '微信支付' },
      pay: { Alipay: '使用支付寶付款', AlipayHK: '使用支付寶香港付款', Wechat: '使用微信支付付款' },
      method: '付款方式',
      warnings: [],
    });
    expect(body).not.toHaveProperty('range');
  });

  it('gives an open amount its field label and its bounds as money, in each language', async () => {
    const words = await Promise.all(
      ['en', 'zh-HK', 'zh-CN'].map(async (lang) => {
        const { body } = await json(`/items/donation?lang=${lang}&context=mobile`);
        return [body.label, body.range];
      }),
    );
    expect(words).toEqual([
      ['Amount', 'Enter an amount from HK$10.00 to HK$5,000.00.'],
      ['金額', '請輸入 HK$10.00 至 HK$5,000.00 之間的金額。'],
      ['金额', '请输入 HK$10.00 至 HK$5,000.00 之间的金额。'],
    ]);
  });

  it('narrows the offer to the page’s `wallets`, and warns about names it does not take', async () => {
    const { body } = await json('/items/tee-red?lang=en&context=desktop&wallets=wechat+Alipay');
    expect(body.wallets).toEqual(['Alipay']);
    expect(body.warnings).toEqual([
      'wallets="wechat Alipay": item "tee-red" offers AlipayHK, Alipay, Wechat here (names are case-sensitive: Alipay, AlipayHK, Wechat)',
    ]);
  });

  it('refuses `wallets` that leave nothing with a problem that names the fix', async () => {
    const { status, body } = await json('/items/mug?lang=zh-CN&context=desktop&wallets=Alipay');
    expect(status).toBe(422);
    expect(body).toMatchObject({
      code: 'wallet_not_allowed',
      detail: 'wallets="Alipay": item "mug" offers Wechat here',
      message: '该商品不支持这种支付方式，未扣款。',
    });
  });

  it('warns about an `amount` that is not in minor units', async () => {
    const { body } = await json('/items/donation?lang=en&context=mobile&amount=25.00');
    expect(body.warnings).toEqual([
      'amount="25.00": write a whole number of minor units (cents), e.g. amount="2500" for 25.00',
    ]);
  });

  it('names the catalog’s items for an unknown or missing item, off the production gateway', async () => {
    const unknown = await json('/items/tee-rd?lang=zh-HK');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      code: 'item_not_found',
      detail: 'there is no item "tee-rd"; items: tee-red, donation, mug',
      message: '此商品暫時未能提供，未有扣款。',
    });
    const missing = await json('/items/?lang=en');
    expect(missing.body).toMatchObject({
      code: 'item_not_found',
      detail: 'no item id: set item="…"; items: tee-red, donation, mug',
      message: 'This item is not available right now. No money was taken.',
    });
  });
});

describe('problems in the shopper’s words', () => {
  it('says which amount is allowed, as money, and that no money was taken', async () => {
    const { status, body } = await json('/orders?lang=zh-CN', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'donation', wallet: 'AlipayHK', amount: 999 }),
    });
    expect(status).toBe(422);
    expect(body.detail).toBe('amount must be between 1000 and 500000 (minor units)');
    expect(body.message).toBe('请输入 HK$10.00 至 HK$5,000.00 之间的金额。');
  });

  it('follows Accept-Language when the page sends no lang', async () => {
    const { body } = await json('/items/nope', {
      headers: { 'accept-language': 'zh-TW,zh;q=0.8' },
    });
    expect(body.message).toBe('此商品暫時未能提供，未有扣款。');
  });

  it('tells a page on a refused origin that payments are not set up, and the merchant the fix', async () => {
    const response = await h.request('/items/tee-red?lang=en', {
      headers: { origin: 'https://elsewhere.example' },
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://elsewhere.example');
    expect(body).toMatchObject({
      code: 'origin_not_allowed',
      detail:
        "this page's origin https://elsewhere.example is not allowed: add it to ALLOWED_ORIGINS",
      message:
        'This website’s address is not allowed to take payments here yet. No money was taken.',
    });
  });

  it('says the payment service is busy, with Retry-After, when the gateway cannot be reached', async () => {
    await h.control('/chaos', { apiStatus: 503, dropFirst: 1 });
    const { status, headers, body } = await json('/orders?lang=en', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK' }),
    });
    await h.control('/chaos', {});
    expect(status).toBe(502);
    expect(body.code).toBe('gateway_error');
    expect(body.gatewayCode).toBeUndefined();
    expect(headers.get('retry-after')).toBe('10');
    expect(body.message).toBe(
      'The payment service is busy. No money was taken. Try again in 10 s.',
    );
  });
});

describe('a refusal by the payment service', () => {
  it('says the service refused the order, that no money was taken, without a Retry-After', async () => {
    await h.control('/chaos', { apiCode: 2, apiMsg: 'risk control', apiTimes: 1 });
    const { status, headers, body } = await json('/orders?lang=zh-HK', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK' }),
    });
    expect(status).toBe(502);
    expect(body).toMatchObject({ code: 'gateway_error', gatewayCode: 2 });
    expect(headers.get('retry-after')).toBeNull();
    expect(body.message).toBe('付款服務拒絕了此訂單，未有扣款。請改用其他付款方式或聯絡商店。');
  });
});

describe('GET /orders/:id?lang=: the result page’s words', () => {
  async function newOrder(body: Record<string, unknown>): Promise<string> {
    const response = await h.createOrder(body);
    expect(response.status).toBe(201);
    return ((await response.json()) as { orderId: string }).orderId;
  }

  it('gives a pending order its words, and no new attempt: it may still be paid', async () => {
    const orderId = await newOrder({ item: 'tee-red', wallet: 'AlipayHK', quantity: 2 });
    const { body } = await json(`/orders/${orderId}?lang=en`);
    expect(body).toMatchObject({
      status: 'pending',
      message: 'Waiting for payment…',
      total: 'HK$398.00',
      late: 'Not confirmed yet. If you paid, the shop will confirm it: do not pay again.',
    });
    expect(body).not.toHaveProperty('again');
  });

  it('tells a shopper back from the cashier unpaid that they left, with a new attempt', async () => {
    const orderId = await newOrder({ item: 'tee-red', wallet: 'AlipayHK', quantity: 2 });
    const { body } = await json(`/orders/${orderId}?lang=en&returned=unpaid`);
    expect(body).toMatchObject({
      status: 'pending',
      message: 'You left the payment page without paying. No money was taken.',
      again: `${h.proxyUrl}/pay/tee-red?lang=en&quantity=2`,
      retry: 'Try again',
    });
  });

  it('offers a failed or expired order again, for the same amount, never a paid one', async () => {
    const failed = await newOrder({ item: 'donation', wallet: 'AlipayHK', amount: 2500 });
    await h.control(`/orders/${failed}/fail`);
    await h.request('/return', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `partnerOrderNo=${failed}`,
    });
    const { body } = await json(`/orders/${failed}?lang=zh-HK`);
    expect(body).toMatchObject({
      status: 'failed',
      message: '付款未能完成，未有扣款。',
      total: 'HK$25.00',
      again: `${h.proxyUrl}/pay/donation?lang=zh-HK&amount=2500`,
      retry: '再試一次',
    });

    const paid = await newOrder({ item: 'tee-red', wallet: 'AlipayHK' });
    await h.control(`/orders/${paid}/pay`);
    await h.request('/return', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `partnerOrderNo=${paid}`,
    });
    const paidView = (await json(`/orders/${paid}?lang=en`)).body;
    expect(paidView).toMatchObject({ status: 'paid', message: 'Paid. Thank you!' });
    expect(paidView).not.toHaveProperty('again');
  });

  it('answers as before without lang, refuses an unknown lang, and explains a missing order id', async () => {
    const orderId = await newOrder({ item: 'tee-red', wallet: 'AlipayHK' });
    const plain = (await json(`/orders/${orderId}`)).body;
    expect(Object.keys(plain).sort()).toEqual(
      ['amount', 'currency', 'orderId', 'status', 'title', 'wallet'].sort(),
    );
    expect((await json(`/orders/${orderId}?lang=fr`)).status).toBe(400);
    const missing = await json('/orders/?lang=en');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      code: 'order_not_found',
      detail:
        'no order id: the result page needs ?order=… (the proxy adds it on the way back) or order="…"',
      message: 'We can’t find this order. Check the link from the shop.',
    });
  });
});

describe('the no-script way: /checkout → cashier → /return → the proxy’s own status page', () => {
  async function formOrder(fields: Record<string, string>): Promise<string> {
    const response = await h.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SHOP_ORIGIN },
      body: new URLSearchParams(fields).toString(),
    });
    expect(response.status).toBe(303);
    const [order] = await h.store.listOrders({ limit: 1 });
    return order!.orderId;
  }
  const back = (orderId: string) =>
    h.request('/return?via=form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `partnerOrderNo=${orderId}`,
    });

  it('sends the gateway a returnUrl that marks the form, and lands on the status page', async () => {
    const orderId = await formOrder({ item: 'tee-red', wallet: 'AlipayHK' });
    const [view] = (await h.control(`/orders/${orderId}`).then((r) => [r])) as [
      { order: { returnUrl?: string } },
    ];
    expect(JSON.stringify(view)).toContain(`${h.proxyUrl}/return?via=form`);
    await h.control(`/orders/${orderId}/pay`);
    const response = await back(orderId);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${h.proxyUrl}/orders/${orderId}/status`);
  });

  it('shows the outcome, the order number and total, in the shopper’s language, with no script', async () => {
    const orderId = await formOrder({ item: 'donation', wallet: 'AlipayHK', amount: '2500' });
    const pending = await h.request(`/orders/${orderId}/status`, {
      headers: { 'accept-language': 'zh-HK' },
    });
    expect(pending.status).toBe(200);
    expect(pending.headers.get('content-security-policy')).toBe(
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const page = await pending.text();
    expect(page).toContain('<meta http-equiv="refresh" content="5" />');
    expect(page).toContain('<h1 role="status">等待付款…</h1>');
    expect(page).toContain(`<dd><code>${orderId}</code></dd>`);
    expect(page).toContain('<dd>HK$25.00</dd>');
    expect(page).toContain('此頁每隔數秒會自動更新。');
    expect(page).not.toContain('<script');

    await h.control(`/orders/${orderId}/fail`);
    await back(orderId);
    const failed = await (await h.request(`/orders/${orderId}/status?lang=en`)).text();
    expect(failed).toContain(
      '<h1 role="status">The payment did not go through. No money was taken.</h1>',
    );
    expect(failed).not.toContain('http-equiv="refresh"');
    expect(failed).toContain(
      `<a href="${h.proxyUrl}/pay/donation?lang=en&amp;amount=2500">Try again</a>`,
    );
    expect(failed).toContain('<a href="https://shop.example/">Back to the shop</a>');
  });

  it('says a shopper who came back unpaid left the payment page, and stops reloading', async () => {
    const orderId = await formOrder({ item: 'tee-red', wallet: 'AlipayHK' });
    await h.control(`/orders/${orderId}/cancel`);
    const response = await back(orderId);
    expect(response.headers.get('location')).toBe(
      `${h.proxyUrl}/orders/${orderId}/status?returned=unpaid`,
    );
    const page = await (
      await h.request(`/orders/${orderId}/status?returned=unpaid&lang=en`)
    ).text();
    expect(page).toContain(
      '<h1 role="status">You left the payment page without paying. No money was taken.</h1>',
    );
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toContain('>Try again</a>');
  });

  it('answers 404 for an unknown order', async () => {
    expect((await h.request('/orders/01KQGP5G00ABCDEFGHJKMNPQRS/status')).status).toBe(404);
  });
});
