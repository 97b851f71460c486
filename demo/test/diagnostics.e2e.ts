import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, readyButton, stack } from './helpers.js';

/**
 * Every failure names itself (issue 15), in Chromium against the real proxy and sandbox: the
 * merchant reads the code, the request and the fix in the console; the shopper reads what
 * happened in their language and whether money was taken.
 */
describe('diagnostics for the merchant, messages for the shopper', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /**
   * Opens a page showing `body`: at `origin` (a page the test serves on loopback, so the browser
   * treats it as any other site) or, by default, on the storefront, whose no-code page has
   * already loaded the proxy's script.
   */
  async function pageWith(
    body: string,
    lang = 'en',
    origin?: string,
  ): Promise<{ page: Page; warnings: string[] }> {
    const page = await newPage(browser, { locale: lang });
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    if (origin) {
      await page.goto(`${origin}/?body=${encodeURIComponent(body)}&lang=${lang}`);
    } else {
      await page.goto(`${stack.storefront}/no-code.html`);
      await page.evaluate(
        ([html, l]) => {
          document.documentElement.lang = l!;
          document.body.innerHTML = html!;
        },
        [body, lang],
      );
    }
    return { page, warnings };
  }

  /** A page server on 127.0.0.1, an origin the proxy does not allow. */
  let elsewhere: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    const server = createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><html lang="${query.get('lang')}"><meta charset="utf-8"><body>${query.get('body')}` +
          `<script src="${stack.proxy}/scanforpay-button.js"></script></body></html>`,
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    elsewhere = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise((done) => server.close(() => done())),
    };
  });
  afterAll(async () => {
    await elsewhere?.close();
  });

  const shown = (page: Page, selector: string) =>
    page.locator(`${selector} [part="error"]`).textContent({ timeout: 15_000 });

  it('on a refused origin: the shopper reads that this website’s address is not allowed, the console names ALLOWED_ORIGINS', async () => {
    const { page, warnings } = await pageWith(
      '<scanforpay-button item="harbour-tee"></scanforpay-button>',
      'en',
      elsewhere.url,
    );
    expect(await shown(page, 'scanforpay-button')).toBe(
      'This website’s address is not allowed to take payments here yet. No money was taken.',
    );
    expect(warnings).toEqual([
      `<scanforpay-button> origin_not_allowed: GET ${stack.proxy}/items/harbour-tee?lang=en&coarse=0&context=&wallets=&amount=: this page's origin ${elsewhere.url} is not allowed: add it to ALLOWED_ORIGINS`,
    ]);
    await page.context().close();
  });

  it('names a misspelled item, a missing item, wrong-case wallets and an amount not in cents', async () => {
    const { page, warnings } = await pageWith(
      `<scanforpay-button id="typo" item="harbour-tea" endpoint="${stack.proxy}"></scanforpay-button>
       <scanforpay-button id="none" endpoint="${stack.proxy}"></scanforpay-button>
       <scanforpay-button id="case" item="harbour-tee" wallets="wechat Alipay" endpoint="${stack.proxy}"></scanforpay-button>
       <scanforpay-button id="cents" item="donation" amount="25.00" endpoint="${stack.proxy}"></scanforpay-button>`,
      'zh-HK',
    );
    expect(await shown(page, '#typo')).toBe('此商品暫時未能提供，未有扣款。');
    expect(await shown(page, '#none')).toBe('此商品暫時未能提供，未有扣款。');
    await readyButton(page, 'harbour-tee');
    await expect.poll(() => warnings.length).toBe(4);
    const items = 'items: harbour-tee, canvas-tote, coffee-beans, donation';
    expect(warnings.sort()).toEqual(
      [
        `<scanforpay-button> item_not_found: GET ${stack.proxy}/items/harbour-tea?lang=zh-HK&coarse=0&context=&wallets=&amount=: there is no item "harbour-tea"; ${items}`,
        `<scanforpay-button> item_not_found: GET ${stack.proxy}/items/?lang=zh-HK&coarse=0&context=&wallets=&amount=: no item id: set item="…"; ${items}`,
        '<scanforpay-button> wallets="wechat Alipay": item "harbour-tee" offers AlipayHK, Alipay, Wechat here (names are case-sensitive: Alipay, AlipayHK, Wechat)',
        '<scanforpay-button> amount="25.00": write a whole number of minor units (cents), e.g. amount="2500" for 25.00',
      ].sort(),
    );
    // The page's own amount (25 cents, out of range): the button stays disabled.
    expect(await page.locator('#cents button[part="button"]').isDisabled()).toBe(true);
    await page.context().close();
  });

  it('says an endpoint that is not the proxy’s origin is the problem', async () => {
    const { page, warnings } = await pageWith(
      `<scanforpay-button item="harbour-tee" endpoint="${stack.proxy}/api"></scanforpay-button>`,
    );
    // Nothing answers at that path as the proxy would: to the shopper, the shop is unreachable.
    expect(await shown(page, 'scanforpay-button')).toBe(
      'Can’t reach the shop. No money was taken.',
    );
    expect(warnings[0]).toMatch(
      new RegExp(
        `^<scanforpay-button> (network_error|http_error): GET ${stack.proxy}/api/items/harbour-tee\\?.*(endpoint must be the origin of a running proxy|endpoint must be the proxy's origin)$`,
      ),
    );
    await page.context().close();
  });

  it('on the result page: no order id is explained; an unreachable shop is said within one poll', async () => {
    const { page, warnings } = await pageWith(
      `<scanforpay-result endpoint="${stack.proxy}"></scanforpay-result>`,
    );
    await expect
      .poll(() => page.locator('scanforpay-result [part~="message"]').textContent())
      .toBe('We can’t find this order. Check the link from the shop.');
    expect(warnings).toEqual([
      `<scanforpay-result> order_not_found: GET ${stack.proxy}/orders/?lang=en&returned=: no order id: the result page needs ?order=… (the proxy adds it on the way back) or order="…"`,
    ]);
    await page.context().close();

    // The proxy cannot be reached at all: the page says so at once, keeps its spinner and asks
    // again (it never offers to pay again for an order that may be paid).
    const down = await pageWith(
      `<scanforpay-result order="01KQGP5G00ABCDEFGHJKMNPQRS" endpoint="http://127.0.0.1:9"></scanforpay-result>`,
      'zh-HK',
    );
    await expect
      .poll(() => down.page.locator('scanforpay-result [part~="message"]').textContent())
      .toBe('無法連線到商店，正在重試…');
    expect(await down.page.locator('scanforpay-result [part="spinner"]').count()).toBe(1);
    expect(await down.page.locator('scanforpay-result [part="again"]').count()).toBe(0);
    await down.page.context().close();
  });

  it('with JavaScript on, the no-script page still takes a donation: the element shows its field', async () => {
    const page = await newPage(browser);
    await page.goto(`${stack.storefront}/no-js.html`);
    const field = page.locator('scanforpay-button[item="donation"] [part="amount"] input');
    await field.fill('88');
    const button = await readyButton(page, 'donation');
    expect(
      await page.locator('scanforpay-button[item="donation"] [part="price"]').textContent(),
    ).toBe('HK$88.00');
    expect(await button.isEnabled()).toBe(true);
    await page.context().close();
  });
});
