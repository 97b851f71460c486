import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createHarness, RESULT_URL, SHOP_ORIGIN, type Harness } from './helpers/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ proxy: { allowedOrigins: [SHOP_ORIGIN, 'https://shop.example'] } });
});
afterAll(async () => {
  await h.close();
});

describe('GET /items/:id', () => {
  it('shows a fixed-price item', async () => {
    const response = await h.request('/items/tee-red', { headers: { origin: SHOP_ORIGIN } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'tee-red',
      title: 'Red tee',
      currency: 'HKD',
      wallets: ['AlipayHK', 'Alipay', 'Wechat'],
      amount: 19900,
    });
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('shows an open-amount item with its bounds and all wallets by default', async () => {
    expect(await (await h.request('/items/donation')).json()).toEqual({
      id: 'donation',
      title: 'Donation',
      currency: 'HKD',
      wallets: ['Alipay', 'AlipayHK', 'Wechat'],
      min: 1000,
      max: 500000,
    });
  });

  it('answers a 404 problem for an unknown item', async () => {
    const response = await h.request('/items/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'urn:scanforpay:problem:item_not_found',
      title: 'Item not found',
      status: 404,
      detail: 'there is no item "nope"; items: tee-red, donation, mug',
      code: 'item_not_found',
      message: 'This item is not available right now. No money was taken.',
    });
  });
});

describe('CORS and origins', () => {
  it('answers a preflight from an allowed origin', async () => {
    const response = await h.request('/orders', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Content-Type,Idempotency-Key',
    );
  });

  it('answers another origin only with a problem it can read, and logs it once a minute', async () => {
    const h = await createHarness({ noSandbox: true });
    onTestFinished(() => h.close());
    const evil = 'https://evil.example';
    const refusal = {
      code: 'origin_not_allowed',
      status: 403,
      detail: `this page's origin ${evil} is not allowed: add it to ALLOWED_ORIGINS`,
    };
    const logged = () => h.logs.filter((line) => line.includes('"msg":"origin refused"'));
    // The preflight lets the request through, to be refused where the page can read why.
    const preflight = await h.request('/orders', {
      method: 'OPTIONS',
      headers: { origin: evil, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(evil);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    // No item data: the catalog is not shown to a page that may not sell it.
    const item = await h.request('/items/tee-red', { headers: { origin: evil } });
    expect(item.status).toBe(403);
    expect(item.headers.get('access-control-allow-origin')).toBe(evil);
    expect(item.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await item.json()).toMatchObject(refusal);
    const count = 'SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders';
    const stored = await h.query(count);
    const order = await h.createOrder({ item: 'tee-red', wallet: 'Alipay' }, { origin: evil });
    expect(order.status).toBe(403);
    expect(order.headers.get('access-control-allow-origin')).toBe(evil);
    expect(await order.json()).toMatchObject(refusal);
    expect(await h.query(count)).toEqual(stored);
    const status = await h.request('/orders/01ARZ3NDEKTSV4RRFFQ69G5FAV', {
      headers: { origin: evil },
    });
    expect(status.status).toBe(403);
    // Three refusals, one log line naming the origin and the variable; again after a minute.
    expect(logged()).toHaveLength(1);
    expect(JSON.parse(logged().at(-1)!)).toMatchObject({
      level: 'warn',
      origin: evil,
      fix: 'add it to ALLOWED_ORIGINS if it is your shop',
    });
    h.advance(60_000);
    await h.request('/items/tee-red', { headers: { origin: evil } });
    expect(logged()).toHaveLength(2);
  });

  it('allows only localhost origins by default', async () => {
    const dev = await createHarness({ noSandbox: true });
    try {
      for (const origin of [
        'http://localhost:5173',
        'http://127.0.0.1:8080',
        'https://localhost',
      ]) {
        const response = await dev.request('/items/tee-red', { headers: { origin } });
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      }
      for (const origin of ['https://localhost.evil.example', 'http://192.168.1.2:5173']) {
        const response = await dev.request('/items/tee-red', { headers: { origin } });
        expect(response.status).toBe(403);
        expect(((await response.json()) as { code: string }).code).toBe('origin_not_allowed');
      }
    } finally {
      await dev.close();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the limit per client, and resets next minute', async () => {
    const limited = await createHarness({
      noSandbox: true,
      proxy: { rateLimit: 3, trustProxy: true },
    });
    try {
      const from = (ip: string) =>
        limited.createOrder(
          { item: 'ghost', wallet: 'Alipay' },
          { 'x-forwarded-for': `203.0.113.9, ${ip}` },
        );
      for (let i = 0; i < 3; i++) expect((await from('198.51.100.1')).status).toBe(404);
      const refused = await from('198.51.100.1');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(await refused.json()).toMatchObject({ code: 'rate_limited', status: 429 });
      // Another client (the address the trusted proxy saw) is counted apart.
      expect((await from('198.51.100.2')).status).toBe(404);
      const form = await limited.request('/checkout', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': '198.51.100.1',
        },
        body: 'item=ghost&wallet=Alipay',
      });
      expect(form.status).toBe(429);
      limited.advance(60_000);
      expect((await from('198.51.100.1')).status).toBe(404);
    } finally {
      await limited.close();
    }
  });

  it('ignores X-Forwarded-For unless told to trust it', async () => {
    const limited = await createHarness({ noSandbox: true, proxy: { rateLimit: 1 } });
    try {
      const spoof = (ip: string) =>
        limited.createOrder({ item: 'ghost', wallet: 'Alipay' }, { 'x-forwarded-for': ip });
      expect((await spoof('1.1.1.1')).status).toBe(404);
      expect((await spoof('2.2.2.2')).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('counts clients by socket address on a real server', async () => {
    const limited = await createHarness({ noSandbox: true, proxy: { rateLimit: 1 } });
    try {
      const post = () =>
        fetch(`${limited.proxyUrl}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ item: 'ghost', wallet: 'Alipay' }),
        });
      expect((await post()).status).toBe(404);
      expect((await post()).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('POST /checkout', () => {
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    h.request('/checkout', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://shop.example',
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    });

  it('creates the order and answers 303 to the payUrl', async () => {
    const response = await form({ item: 'tee-red', wallet: 'Wechat', quantity: '3' });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${h.sandbox!.url}/cashier/`)).toBe(true);
    const order = (await h.store.listOrders({ limit: 1 }))[0];
    expect(order).toMatchObject({ payUrl: location, amount: 59700, quantity: 3, wallet: 'Wechat' });
  });

  it('accepts multipart forms and open amounts', async () => {
    const body = new FormData();
    body.set('item', 'donation');
    body.set('wallet', 'Alipay');
    body.set('amount', '2500');
    const response = await h.request('/checkout', { method: 'POST', body });
    expect(response.status).toBe(303);
  });

  it('shows an HTML error page linking back to the shop', async () => {
    const response = await form(
      { item: 'tee-red', wallet: 'Wechat', amount: '1' },
      { referer: 'https://shop.example/tee?x=<b>' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<h1>The payment could not be started</h1>');
    expect(html).toContain('<p>Something went wrong at the shop. No money was taken.</p>');
    expect(html).toContain('<small>400 invalid_request</small>');
    expect(html).toContain('href="https://shop.example/tee?x=&#60;b&#62;"');
    expect(html).not.toContain('<b>');
  });

  it('speaks the shopper’s language and says why, without the merchant’s detail', async () => {
    const response = await form(
      { item: 'donation', wallet: 'Alipay', amount: '5' },
      { 'accept-language': 'zh-HK,zh;q=0.9,en;q=0.8' },
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('<html lang="zh-HK">');
    expect(html).toContain('<h1>未能開始付款</h1>');
    expect(html).toContain('<p>請輸入 HK$10.00 至 HK$5,000.00 之間的金額。</p>');
    expect(html).not.toContain('minor units');
  });

  it('gives no link back to a page off the allow-list', async () => {
    const response = await form(
      { item: 'nope', wallet: 'Wechat' },
      { referer: 'https://evil.example/' },
    );
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('evil.example');
  });

  it('refuses a non-form body and a quantity that is not a number', async () => {
    const json = await h.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    expect((await form({ item: 'tee-red', wallet: 'Wechat', quantity: 'two' })).status).toBe(400);
  });

  it('refuses a form posted from another origin', async () => {
    const response = await form(
      { item: 'tee-red', wallet: 'Wechat' },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
  });
});

describe('GET /scanforpay-button.js', () => {
  it('serves the bundle with JavaScript type, cache headers and an ETag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanforpay-button-'));
    const file = join(dir, 'scanforpay-button.js');
    writeFileSync(
      file,
      'customElements.define("scanforpay-button", class extends HTMLElement {});\n',
    );
    const { buttonScriptLoader } = await import('@scanforpay/server/node');
    const served = await createHarness({
      noSandbox: true,
      proxy: { buttonScript: buttonScriptLoader(file) },
    });
    try {
      const response = await served.request('/scanforpay-button.js', {
        headers: { origin: 'https://anywhere.example' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      expect(await response.text()).toContain('scanforpay-button');
      const etag = response.headers.get('etag')!;
      const again = await served.request('/scanforpay-button.js', {
        headers: { 'if-none-match': etag },
      });
      expect(again.status).toBe(304);
    } finally {
      await served.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends it brotli or gzip by Accept-Encoding, one ETag per form, Vary: Accept-Encoding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanforpay-button-'));
    const file = join(dir, 'scanforpay-button.js');
    const script = Array.from(
      { length: 200 },
      (_, i) => `customElements.define("scanforpay-button-${i}", class extends HTMLElement {});`,
    ).join('\n');
    writeFileSync(file, script);
    const { buttonScriptLoader, nodeCompress } = await import('@scanforpay/server/node');
    const node = await createHarness({
      noSandbox: true,
      proxy: { buttonScript: buttonScriptLoader(file), compress: nodeCompress },
    });
    const web = await createHarness({ noSandbox: true, proxy: { buttonScript: script } });
    try {
      const get = (served: Harness, headers: Record<string, string>) =>
        served.request('/scanforpay-button.js', { headers });
      const br = await get(node, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(br.headers.get('vary')).toBe('Accept-Encoding');
      const brBytes = Buffer.from(await br.arrayBuffer());
      expect(brotliDecompressSync(brBytes).toString()).toBe(script);
      expect(brBytes.length).toBeLessThan(script.length / 10);
      const tag = br.headers.get('etag')!;
      expect(tag).toMatch(/^"[0-9a-f]{32}-br"$/);

      const gz = await get(node, { 'accept-encoding': 'br;q=0, gzip' });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gz.headers.get('etag')).toBe(tag.replace('-br"', '-gz"'));
      expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script);

      for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0', 'compress']) {
        const plain = await get(node, accept ? { 'accept-encoding': accept } : {});
        expect(plain.headers.get('content-encoding'), accept).toBeNull();
        expect(plain.headers.get('etag')).toBe(tag.replace('-br"', '"'));
        expect(await plain.text()).toBe(script);
      }
      // Any form's tag revalidates the others: they are one version.
      for (const etag of [tag, tag.replace('-br"', '"'), `W/${tag}`]) {
        const again = await get(node, { 'accept-encoding': 'gzip', 'if-none-match': etag });
        expect(again.status, etag).toBe(304);
      }
      expect((await get(node, { 'if-none-match': '"0123"' })).status).toBe(200);

      // Without `compress`, the Web default offers gzip (CompressionStream) and no brotli.
      const webGz = await get(web, { 'accept-encoding': 'br, gzip' });
      expect(webGz.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(Buffer.from(await webGz.arrayBuffer())).toString()).toBe(script);
    } finally {
      await node.close();
      await web.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a 404 problem while the bundle is not built', async () => {
    const { buttonScriptLoader } = await import('@scanforpay/server/node');
    const missing = await createHarness({
      noSandbox: true,
      proxy: { buttonScript: buttonScriptLoader('/nonexistent/scanforpay-button.js') },
    });
    try {
      const response = await missing.request('/scanforpay-button.js');
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'not_found' });
    } finally {
      await missing.close();
    }
  });
});

describe('every response', () => {
  it('carries secure headers and a request id, and logs one JSON line', async () => {
    const response = await h.request('/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, store: 'ok' });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    const lines = h.logs.filter((l) => l.includes('trace-123'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: '/healthz',
      status: 200,
      requestId: 'trace-123',
    });
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await h.request('/admin');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found' });
  });

  it('reports an unreachable store on /healthz', async () => {
    const broken = await createHarness({ noSandbox: true });
    try {
      await broken.store.close();
      const response = await broken.request('/healthz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ ok: false, store: 'unavailable' });
    } finally {
      await broken.close();
    }
  });

  it('turns unexpected errors into a 500 problem without details', async () => {
    const broken = await createHarness({ noSandbox: true });
    try {
      await broken.store.close();
      const response = await broken.request('/orders/ABC');
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({
        code: 'internal_error',
        detail: 'something went wrong on the proxy',
      });
      expect(broken.logs.some((l) => l.includes('"msg":"unhandled error"'))).toBe(true);
    } finally {
      await broken.close();
    }
  });
});

describe('mounting', () => {
  it('works under a base path', async () => {
    const { Hono } = await import('hono');
    const outer = new Hono().route('/pay', h.app);
    const response = await outer.request('/pay/items/tee-red');
    expect(response.status).toBe(200);
    const missing = await outer.request('/pay/items/none');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(RESULT_URL).toMatch(/^https:/);
  });
});
