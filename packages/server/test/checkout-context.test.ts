import QRCode from 'qrcode';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCatalog } from '../src/catalog/parse-catalog.js';
import { CHECKOUT_CONTEXTS, offerWallets, routeOrder } from '../src/domain/checkout-context.js';
import { detectContext } from '../src/domain/detect-context.js';
import { OFFER_CSS } from '../src/domain/offer-styles.js';
import { USER_AGENTS } from './fixtures/user-agents.js';
import { createHarness, SHOP_ORIGIN, type Harness } from './helpers/harness.js';

describe('context detection from real user agents', () => {
  it.each(USER_AGENTS.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    expect(detectContext(fixture.ua, fixture.coarse ?? false)).toBe(fixture.context);
  });
});

describe('the routing table, (wallet, context) → gateway endpoint', () => {
  it('sends WeChat Pay on a computer to offline/qrcode and everything else to online/create', () => {
    const table = Object.fromEntries(
      (['Alipay', 'AlipayHK', 'Wechat'] as const).map((wallet) => [
        wallet,
        [...CHECKOUT_CONTEXTS, null].map((context) => routeOrder(wallet, context)),
      ]),
    );
    // desktop, mobile, wechat, alipay, social, none
    expect(table).toEqual({
      Alipay: ['online', 'online', 'online', 'online', 'online', 'online'],
      AlipayHK: ['online', 'online', 'online', 'online', 'online', 'online'],
      Wechat: ['qrcode', 'online', 'online', 'online', 'online', 'online'],
    });
  });

  it('lets the item override the proxy, and a wallet/context cell override the wallet', () => {
    const proxy = { Alipay: 'qrcode', 'Wechat/desktop': 'online' } as const;
    expect(routeOrder('Alipay', 'mobile', undefined, proxy)).toBe('qrcode');
    expect(routeOrder('Wechat', 'desktop', undefined, proxy)).toBe('online');
    expect(routeOrder('Wechat', 'desktop', { Wechat: 'qrcode' }, proxy)).toBe('qrcode');
    expect(routeOrder('Alipay', 'mobile', { 'Alipay/mobile': 'online', Alipay: 'qrcode' })).toBe(
      'online',
    );
    expect(routeOrder('Wechat', null, { 'Wechat/desktop': 'qrcode' })).toBe('online');
  });

  it('offers per context: WeChat only in WeChat, Alipay wallets in Alipay, phone wallets first', () => {
    const all = ['Wechat', 'Alipay', 'AlipayHK'] as const;
    expect(offerWallets(all, 'desktop')).toEqual(['Wechat', 'Alipay', 'AlipayHK']);
    expect(offerWallets(all, 'mobile')).toEqual(['Alipay', 'AlipayHK', 'Wechat']);
    expect(offerWallets(all, 'social')).toEqual(['Alipay', 'AlipayHK', 'Wechat']);
    expect(offerWallets(all, 'wechat')).toEqual(['Wechat']);
    expect(offerWallets(all, 'alipay')).toEqual(['Alipay', 'AlipayHK']);
    // A context that would leave nothing keeps what the item allows.
    expect(offerWallets(['AlipayHK'], 'wechat')).toEqual(['AlipayHK']);
    expect(offerWallets(['Wechat'], 'alipay')).toEqual(['Wechat']);
  });

  it('checks catalog routes and names the bad entry', () => {
    const item = { id: 'a', title: 'A', currency: 'HKD', amount: 100 };
    expect(
      parseCatalog({ items: [{ ...item, routes: { Wechat: 'qrcode' } }] }).get('a'),
    ).toMatchObject({ routes: { Wechat: 'qrcode' } });
    expect(() => parseCatalog({ items: [{ ...item, routes: { AlipayHK: 'qrcode' } }] })).toThrow(
      'items[0].routes: "AlipayHK": AlipayHK is only offered on online/create',
    );
    expect(() => parseCatalog({ items: [{ ...item, routes: ['qrcode'] }] })).toThrow(
      'items[0].routes: an object such as {"Wechat/desktop": "qrcode"}',
    );
  });
});

describe('the proxy routes by context (real sandbox, SQLite)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({
      proxy: {
        catalog: {
          items: [
            { id: 'tee', title: 'Tee', amount: 19900, currency: 'HKD' },
            {
              id: 'scan-only',
              title: 'Scan only',
              amount: 500,
              currency: 'HKD',
              wallets: ['Wechat', 'Alipay'],
              routes: { Alipay: 'qrcode' },
            },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset');
  });

  const endpointAtGateway = async (orderId: string) =>
    ((await h.control(`/orders/${orderId}`)) as { order: { endpoint: string } }).order.endpoint;

  async function order(body: Record<string, unknown>) {
    const response = await h.createOrder({ item: 'tee', ...body });
    expect(response.status).toBe(201);
    return (await response.json()) as { orderId: string; payUrl: string };
  }

  it.each([
    ['Wechat', 'desktop', 'qrcode'],
    ['Wechat', 'wechat', 'online'],
    ['Wechat', 'mobile', 'online'],
    ['AlipayHK', 'desktop', 'online'],
    ['Alipay', 'alipay', 'online'],
    ['Alipay', 'social', 'online'],
    ['Wechat', undefined, 'online'],
  ])('%s in context %s: created on %s, context recorded', async (wallet, context, endpoint) => {
    const { orderId } = await order({ wallet, ...(context ? { context } : {}) });
    expect(await endpointAtGateway(orderId)).toBe(endpoint);
    expect(await h.store.getOrder(orderId)).toMatchObject({ context: context ?? null, endpoint });
    const [row] = await h.query(
      `SELECT context, gateway_endpoint FROM orders WHERE order_id = '${orderId}'`,
    );
    expect(row).toEqual({ context: context ?? null, gateway_endpoint: endpoint });
  });

  it("follows the item's routes", async () => {
    const { orderId } = await order({ item: 'scan-only', wallet: 'Alipay', context: 'mobile' });
    expect(await endpointAtGateway(orderId)).toBe('qrcode');
  });

  it('refuses an unknown context with a 400 and stores nothing', async () => {
    const before = (await h.query('SELECT order_id FROM orders')).length;
    const response = await h.createOrder({ item: 'tee', wallet: 'Alipay', context: 'tv' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'invalid_request',
      detail: 'context: one of desktop, mobile, wechat, alipay, social',
    });
    expect(await h.query('SELECT order_id FROM orders')).toHaveLength(before);
  });

  it('treats one Idempotency-Key with another context as another request', async () => {
    const headers = { 'idempotency-key': 'ctx-key-1' };
    const first = await h.createOrder(
      { item: 'tee', wallet: 'Alipay', context: 'mobile' },
      headers,
    );
    expect(first.status).toBe(201);
    const again = await h.createOrder(
      { item: 'tee', wallet: 'Alipay', context: 'desktop' },
      headers,
    );
    expect(again.status).toBe(409);
  });

  describe('GET /items/:id?context=&lang=', () => {
    const item = async (query: string) => {
      const response = await h.request(`/items/tee${query}`, { headers: { origin: SHOP_ORIGIN } });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };

    it('answers as before without a context', async () => {
      expect(await item('')).toEqual({
        id: 'tee',
        title: 'Tee',
        currency: 'HKD',
        wallets: ['Alipay', 'AlipayHK', 'Wechat'],
        amount: 19900,
      });
    });

    it('inside WeChat: WeChat Pay only, and how to reach Alipay in the shopper’s language', async () => {
      expect(await item('?context=wechat&lang=zh-HK')).toEqual({
        id: 'tee',
        title: 'Tee',
        currency: 'HKD',
        wallets: ['Wechat'],
        amount: 19900,
        context: 'wechat',
        hints: {
          AlipayHK: '香港錢包，以港幣付款',
          Alipay: '內地錢包',
          Wechat: '在微信應用程式內付款',
        },
        notice: '如要使用支付寶或支付寶香港，請點按右上角的「···」，再選擇「在瀏覽器開啟」。',
        scan: '請用手機掃描付款',
        here: '在這部電腦繼續',
        close: '關閉',
        digits: 2,
        names: { Alipay: '支付寶', AlipayHK: '支付寶香港', Wechat: '微信支付' },
        pay: {
          Alipay: '使用支付寶付款',
          AlipayHK: '使用支付寶香港付款',
          Wechat: '使用微信支付付款',
        },
        method: '付款方式',
        label: '金額',
        warnings: [],
        css: OFFER_CSS,
      });
    });

    it('on a desktop: every wallet, no notice; in a social app: an open-in-browser notice', async () => {
      const desktop = await item('?context=desktop');
      expect(desktop.wallets).toEqual(['Alipay', 'AlipayHK', 'Wechat']);
      expect(desktop.notice).toBeUndefined();
      expect(desktop.scan).toBe('Scan with your phone to pay');
      const social = await item('?context=social&lang=en');
      expect(social.copy).toBe('Copy link');
      expect(desktop.copy).toBeUndefined();
      expect(social.notice).toBe(
        'Payments work best in your browser: tap ··· or the share icon and choose “Open in browser”, or copy the link and paste it there.',
      );
      expect((await item('?context=alipay')).wallets).toEqual(['Alipay', 'AlipayHK']);
    });

    it('reads the context from the User-Agent and ?coarse=1 when the page sets none', async () => {
      const seen: Record<string, unknown> = {};
      for (const fixture of USER_AGENTS) {
        const response = await h.request(
          `/items/tee?lang=en&context=${fixture.coarse ? '&coarse=1' : ''}`,
          { headers: { 'user-agent': fixture.ua } },
        );
        expect(response.headers.get('cache-control')).toBe('private, max-age=60');
        expect(response.headers.get('vary')).toContain('User-Agent');
        seen[fixture.name] = ((await response.json()) as { context: string }).context;
      }
      expect(seen).toEqual(Object.fromEntries(USER_AGENTS.map((f) => [f.name, f.context])));
    });

    it('refuses an unknown context or language with a 400', async () => {
      for (const query of ['?context=tv', '?context=mobile&lang=fr']) {
        const response = await h.request(`/items/tee${query}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { code: string }).code).toBe('invalid_request');
      }
    });
  });

  describe('GET /orders/:orderId/qr.svg', () => {
    it('is the QR code of the pay URL, drawn by the qrcode library, usable from the shop’s origin', async () => {
      const { orderId, payUrl } = await order({ wallet: 'Wechat', context: 'desktop' });
      const response = await h.request(`/orders/${orderId}/qr.svg`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const svg = await response.text();
      const expected = await QRCode.toString(payUrl, {
        type: 'svg',
        margin: 2,
        errorCorrectionLevel: 'M',
      });
      expect(svg).toBe(expected.replace('<svg ', '<svg role="img" '));
    });

    it('answers 404 for an unknown order and 409 once the order is paid', async () => {
      expect((await h.request('/orders/NOSUCHORDER00000000000000000000/qr.svg')).status).toBe(404);
      const { orderId } = await order({ wallet: 'Wechat', context: 'desktop' });
      await h.control(`/orders/${orderId}/pay`, {});
      await expect.poll(async () => (await h.store.getOrder(orderId))?.status).toBe('paid');
      const response = await h.request(`/orders/${orderId}/qr.svg`);
      expect(response.status).toBe(409);
      expect(((await response.json()) as { code: string }).code).toBe('order_not_payable');
    });
  });

  it('serves the wallet marks as SVG images any origin may show', async () => {
    for (const wallet of ['Alipay', 'AlipayHK', 'Wechat']) {
      const response = await h.request(`/wallets/${wallet}.svg`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(await response.text()).toMatch(
        /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" .*<\/svg>$/,
      );
    }
    expect((await h.request('/wallets/Paypal.svg')).status).toBe(404);
    expect((await h.request('/wallets/Alipay.png')).status).toBe(404);
    expect((await h.request('/wallets/toString.svg')).status).toBe(404);
  });
});
