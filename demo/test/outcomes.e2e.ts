import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  finishAtCashier,
  launchChromium,
  newPage,
  orderCounts,
  proxyOrder,
  readyButton,
  RESULT_TEXT,
  resultShows,
  sandboxNotifications,
  sandboxOrders,
  stack,
} from './helpers.js';

describe('payments that do not complete', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  // "fail" closes the order at the gateway (status 2); "cancel" leaves it to be paid (status 0)
  // until it expires, as hosted cashiers do: the proxy's way back tells the result page the
  // shopper came back unpaid, and it says so.
  for (const [action, gatewayState, shown, stored] of [
    ['fail', 'failed', 'failed', 'failed'],
    ['cancel', 'cancelled', 'cancelled', 'pending'],
  ] as const) {
    it(`lands on the result page showing "${shown}", with a new attempt, after "${action}" at the cashier`, async () => {
      const page = await newPage(browser);
      await page.goto(`${stack.storefront}/`);
      await (await readyButton(page, 'canvas-tote')).click();
      const orderId = await finishAtCashier(page, action);

      expect(await resultShows(page, shown)).toBe(RESULT_TEXT.en[shown]);
      await expect
        .poll(() => page.locator('#result-title').textContent())
        .toBe('Payment not completed');
      const again = page.locator('scanforpay-result [part="again"]');
      expect(await again.textContent()).toBe('Try again');
      expect(await again.getAttribute('href')).toBe(`${stack.proxy}/pay/canvas-tote?lang=en`);
      expect(await proxyOrder(orderId)).toMatchObject({ orderId, status: stored, amount: 12800 });
      expect(await proxyOrder(orderId)).not.toHaveProperty('paidAt');
      const atGateway = (await sandboxOrders()).find((o) => o.partnerOrderNo === orderId);
      expect(atGateway?.state).toBe(gatewayState);
      // Only a paid order is notified.
      expect(await sandboxNotifications(orderId)).toEqual([]);
      await page.context().close();
    });
  }

  for (const typed of ['9.99', '5000.01', '12.345']) {
    it(`marks a donation of HK$${typed} invalid as it is typed, and sends nothing`, async () => {
      const page = await newPage(browser);
      const posts: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') posts.push(request.url());
      });
      await page.goto(`${stack.storefront}/`);
      const button = await readyButton(page, 'donation');
      const field = page.locator('#donation-button [part="amount"] input');
      const range = page.locator('#donation-button [part~="range"]');
      expect(await field.getAttribute('aria-describedby')).toBe(await range.getAttribute('id'));
      expect(await range.textContent()).toBe('Enter an amount from HK$10.00 to HK$5,000.00.');
      const before = await orderCounts();

      await field.fill(typed);

      await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
      expect(await range.getAttribute('part')).toBe('range invalid');
      expect(await button.isDisabled()).toBe(true);
      await button.click({ force: true });
      await field.fill('50');
      await expect.poll(() => field.getAttribute('aria-invalid')).toBe('false');
      expect(await button.isEnabled()).toBe(true);
      expect(page.url()).toBe(`${stack.storefront}/`);
      expect(posts).toEqual([]);
      expect(await orderCounts()).toEqual(before);
      await page.context().close();
    });
  }
});
