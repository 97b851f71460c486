import { describe, expect, it } from 'vitest';
import {
  call,
  clock,
  idle,
  makeSandbox,
  orderBody,
  recordingTransport,
  waitFor,
} from './helpers.js';

async function setup(extra: Record<string, unknown> = {}) {
  const c = clock();
  const rec = recordingTransport();
  const app = makeSandbox({
    transport: rec.transport,
    now: c.now,
    publicUrl: 'http://127.0.0.1:8788',
  });
  const created = await call(
    app,
    '/api/online/create',
    orderBody('cash1', { orderAmount: 2100, ...extra }),
  );
  const path = new URL(String(created.body.payUrl)).pathname;
  return { app, rec, path, clock: c, payUrl: String(created.body.payUrl) };
}

const form = (
  app: ReturnType<typeof makeSandbox>,
  path: string,
  headers: Record<string, string> = {},
) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

describe('cashier', () => {
  describe('the page', () => {
    it('shows merchant, remark, order number, amount, wallet, QR, countdown and actions', async () => {
      const { app, path } = await setup();
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<html lang="en">');
      expect(html).toContain(
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
      );
      expect(html).toMatch(/data-field="merchant">ScanForPay Sandbox Shop</);
      expect(html).toMatch(/data-field="title">測試商品</);
      expect(html).toMatch(/data-field="partnerOrderNo">cash1</);
      expect(html).toMatch(/data-field="amount">HKD\s21\.00</);
      expect(html).toMatch(/data-field="wallet">AlipayHK</);
      expect(html).toMatch(
        /<svg role="img" aria-label="[^"]+" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
      );
      expect(html).toMatch(/<time data-remaining="43200"[^>]*>12:00:00<\/time>/);
      for (const action of ['pay', 'fail', 'cancel']) {
        expect(html).toContain(`action="${path}/${action}?lang=en"`);
        expect(html).toContain(`data-action="${action}"`);
      }
      expect(html).toContain('<script src="/cashier.js" defer></script>');
      expect(html).not.toMatch(/<script>|<style|style="|onclick=/);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    });

    it('speaks Chinese by Accept-Language or ?lang=zh-HK, English by ?lang=en', async () => {
      const { app, path } = await setup();
      const zh = await (
        await app.request(path, { headers: { 'accept-language': 'zh-HK,zh;q=0.9,en;q=0.8' } })
      ).text();
      expect(zh).toContain('<html lang="zh-HK">');
      expect(zh).toContain('訂單號碼');
      expect(zh).toContain('支付寶香港');
      expect(zh).toContain('data-action="pay">支付 HKD');
      expect(await (await app.request(`${path}?lang=zh-HK`)).text()).toContain('商戶');
      const en = await (
        await app.request(`${path}?lang=en`, { headers: { 'accept-language': 'zh-HK' } })
      ).text();
      expect(en).toContain('Order number');
      expect(en).toContain(`href="${path}?lang=zh-HK"`);
    });

    it('encodes the page’s own URL in the QR code', async () => {
      const { app, path, payUrl } = await setup();
      const QRCode = (await import('qrcode')).default;
      const expected = await QRCode.toString(payUrl, {
        type: 'svg',
        margin: 1,
        errorCorrectionLevel: 'M',
      });
      const html = await (await app.request(path)).text();
      const path0 = /<path stroke="#000000" d="([^"]+)"/.exec(expected)?.[1];
      expect(path0).toBeTruthy();
      expect(html).toContain(path0);
    });

    it('adapts to a phone: no QR to scan, the "open the wallet app" step instead', async () => {
      const { app, path } = await setup();
      const phones = [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
      ];
      for (const ua of phones) {
        const html = await (await app.request(path, { headers: { 'user-agent': ua } })).text();
        expect(html).not.toContain('<svg');
        expect(html).toContain(
          '<p class="open-app" data-step="open-app">On a phone there is nothing to scan: pressing Pay opens the AlipayHK app, as the real cashier does.</p>',
        );
        expect(html).toContain('data-action="pay"');
      }
      const desktop = await (
        await app.request(path, {
          headers: {
            'user-agent':
              'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
          },
        })
      ).text();
      expect(desktop).toContain('<svg role="img"');
      expect(desktop).not.toContain('data-step="open-app"');
    });

    it('escapes what the merchant sent', async () => {
      const { app, path } = await setup({ orderTitle: '<script>alert(1)</script>' });
      const html = await (await app.request(path)).text();
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    });

    it('serves its script and styles', async () => {
      const { app } = await setup();
      const js = await app.request('/cashier.js');
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await js.text()).toContain('data-auto-submit');
      expect((await app.request('/cashier.css')).headers.get('content-type')).toMatch(/^text\/css/);
    });

    it('answers 404 for an unknown token', async () => {
      const { app } = await setup();
      const res = await app.request('/cashier/0000', { headers: { 'accept-language': 'zh-HK' } });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('此付款頁面不存在');
    });

    it('shows an expired order without actions', async () => {
      const { app, path, clock: c } = await setup();
      c.advance(12 * 3_600_000);
      const html = await (await app.request(path)).text();
      expect(html).toContain('This order has expired');
      expect(html).not.toContain('data-action="pay"');
      expect(html).toContain('data-action="return"');
      expect(html).not.toContain('data-auto-submit');
      expect((await form(app, `${path}/pay`)).status).toBe(409);
    });
  });

  describe('pay', () => {
    it('pays, notifies, and returns the shopper by an auto-submitting POST of partnerOrderNo', async () => {
      const { app, rec, path } = await setup();
      const res = await form(app, `${path}/pay?lang=en`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Payment successful');
      expect(html).toMatch(
        /<form method="post" action="https:\/\/shop\.example\/return\?x=1" data-auto-submit>\s*<input type="hidden" name="partnerOrderNo" value="cash1">/,
      );
      expect(html).toMatch(
        /<button type="submit" class="primary" data-action="return">Return to merchant<\/button>/,
      );
      expect(app.sandbox.orders.all()[0]!.state).toBe('paid');
      await waitFor(() => rec.calls.length === 1);
      // A second click shows the way back again, without a second payment or notification.
      expect((await form(app, `${path}/pay`)).status).toBe(200);
      await idle(app);
      expect(rec.calls).toHaveLength(1);
    });

    it('keeps & and quotes of returnUrl intact in the form action', async () => {
      const returnUrl = 'https://shop.example/?wc-api=payment_callback&partnerOrderNo=cash1';
      const { app, path } = await setup({ returnUrl });
      const html = await (await form(app, `${path}/pay`)).text();
      expect(html).toContain(
        'action="https://shop.example/?wc-api=payment_callback&#38;partnerOrderNo=cash1"',
      );
    });

    it('without a returnUrl tells the shopper to close the page', async () => {
      const { app, path } = await setup({ returnUrl: '' });
      const html = await (await form(app, `${path}/pay`)).text();
      expect(html).toContain('You can close this page.');
      expect(html).not.toContain('<form');
    });
  });

  // A cancel leaves the trade open (status 0, to be paid) as hosted cashiers do; a fail closes it.
  for (const [action, state, text, status] of [
    ['fail', 'failed', 'Payment failed', 2],
    ['cancel', 'cancelled', 'Payment cancelled', 0],
  ] as const) {
    it(`${action} returns the shopper without a notification`, async () => {
      const { app, rec, path } = await setup();
      const html = await (await form(app, `${path}/${action}`)).text();
      expect(html).toContain(text);
      expect(html).toContain('data-auto-submit');
      expect(app.sandbox.orders.all()[0]!.state).toBe(state);
      const q = await call(app, '/api/common/payQuery', { partnerOrderNo: 'cash1' });
      expect(q.body.status).toBe(status);
      await idle(app);
      expect(rec.calls).toHaveLength(0);
    });
  }

  it('404s an unknown action', async () => {
    const { app, path } = await setup();
    expect((await form(app, `${path}/refund`)).status).toBe(404);
  });
});
