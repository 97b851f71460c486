import type { Browser, ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  reachCashier,
  finishAtCashier,
  launchChromium,
  newPage,
  notifyAnsweredSuccess,
  orderCounts,
  proxyOrder,
  readyButton,
  RESULT_TEXT,
  STATUS_PAGE_URL,
  resultShows,
  stack,
} from './helpers.js';

describe('the other ways to put the button on a page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('pays from the no-code page, which loads only the script the proxy serves', async () => {
    const page = await newPage(browser);
    await page.goto(`${stack.storefront}/no-code.html`);
    const scripts = await page
      .locator('script[src]')
      .evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).src));
    expect(scripts).toEqual([`${stack.proxy}/scanforpay-button.js`]);
    expect(await page.locator('script:not([src])').count()).toBe(0);

    const before = await orderCounts();
    await (await readyButton(page, 'harbour-tee')).click();
    const orderId = await finishAtCashier(page, 'pay');

    expect(await resultShows(page, 'paid')).toBe(RESULT_TEXT.en.paid);
    expect(await proxyOrder(orderId)).toMatchObject({
      status: 'paid',
      amount: 19900,
      wallet: 'AlipayHK',
    });
    await notifyAnsweredSuccess(orderId);
    expect(await orderCounts()).toEqual({ stored: before.stored + 1, gateway: before.gateway + 1 });
    await page.context().close();
  });

  it('pays with JavaScript disabled through the form inside the tag', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(`${stack.storefront}/no-js.html`);
    const form = page.locator('scanforpay-button[item="coffee-beans"] form');
    expect(await form.getAttribute('action')).toBe(`${stack.proxy}/checkout`);
    expect(await form.isVisible()).toBe(true);
    await form.locator('select[name="wallet"]').selectOption('Wechat');
    const before = await orderCounts();

    await form.locator('button[type="submit"]').click();
    await reachCashier(page);
    await page.locator('[data-action="pay"]').click();
    // Without script the cashier's way back is a visible button.
    await page.locator('[data-action="return"]').click();
    // An order from the form comes back to the proxy's own status page: it needs no script.
    await page.waitForURL(STATUS_PAGE_URL);

    const orderId = /\/orders\/([0-9A-Z]+)\/status/.exec(page.url())![1]!;
    expect(page.url().startsWith(`${stack.proxy}/orders/`)).toBe(true);
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 15_000 })
      .toBe('Paid. Thank you!');
    expect(await page.locator('dd code').textContent()).toBe(orderId);
    expect(await page.locator('dd').nth(2).textContent()).toBe('HK$158.00');
    expect(await page.locator('a', { hasText: 'Back to the shop' }).getAttribute('href')).toBe(
      `${stack.storefront}/`,
    );
    expect(await proxyOrder(orderId)).toMatchObject({
      status: 'paid',
      amount: 15800,
      wallet: 'Wechat',
      title: 'Lantau coffee beans, 250 g',
    });
    await notifyAnsweredSuccess(orderId);
    expect(await orderCounts()).toEqual({ stored: before.stored + 1, gateway: before.gateway + 1 });
    await page.context().close();
  });

  it('renders and pays on a page served with a strict Content-Security-Policy', async () => {
    const page = await newPage(browser);
    const problems: string[] = [];
    const onConsole = (message: ConsoleMessage) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) {
        problems.push(message.text());
      }
    };
    page.on('console', onConsole);
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${stack.storefront}/csp.html`);
    expect(response?.headers()['content-security-policy']).toBe(
      "script-src 'self'; style-src 'self'",
    );
    const button = await readyButton(page, 'canvas-tote');
    await expect
      .poll(() => page.locator('.card[data-item="canvas-tote"] [data-price]').textContent())
      .toBe('HK$128.00');
    // Styled: the external stylesheet's theme token reached the element's shadow styles.
    expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(15, 110, 106)',
    );
    expect(await button.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 255, 255)');
    expect(problems).toEqual([]);

    await button.click();
    const orderId = await finishAtCashier(page, 'pay');
    page.off('console', onConsole);
    expect(await resultShows(page, 'paid')).toBe(RESULT_TEXT.en.paid);
    expect(await proxyOrder(orderId)).toMatchObject({ status: 'paid', amount: 12800 });
    await page.context().close();
  });
});
