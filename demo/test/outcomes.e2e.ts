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

  // ScanForPay reports a cancelled payment like a failed one (status 2), so both end `failed`;
  // the gateway keeps the difference.
  for (const [action, gatewayState] of [
    ['fail', 'failed'],
    ['cancel', 'cancelled'],
  ] as const) {
    it(`lands on the result page showing "failed" after "${action}" at the cashier`, async () => {
      const page = await newPage(browser);
      await page.goto(`${stack.storefront}/`);
      await (await readyButton(page, 'canvas-tote')).click();
      const orderId = await finishAtCashier(page, action);

      expect(await resultShows(page, 'failed')).toBe(RESULT_TEXT.en.failed);
      await expect
        .poll(() => page.locator('#result-title').textContent())
        .toBe('Payment not completed');
      expect(await proxyOrder(orderId)).toMatchObject({ orderId, status: 'failed', amount: 12800 });
      expect(await proxyOrder(orderId)).not.toHaveProperty('paidAt');
      const atGateway = (await sandboxOrders()).find((o) => o.partnerOrderNo === orderId);
      expect(atGateway?.state).toBe(gatewayState);
      // Only a paid order is notified.
      expect(await sandboxNotifications(orderId)).toEqual([]);
      await page.context().close();
    });
  }

  for (const [typed, minor] of [
    ['9.99', 999],
    ['5000.01', 500001],
  ] as const) {
    it(`refuses a donation of HK$${typed} in the element, before any request`, async () => {
      const page = await newPage(browser);
      const orderRequests: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') orderRequests.push(request.url());
      });
      await page.goto(`${stack.storefront}/`);
      const button = await readyButton(page, 'donation');
      await page.locator('#donation-amount').fill(typed);
      await expect
        .poll(() => page.locator('#donation-button').getAttribute('amount'))
        .toBe(String(minor));
      const errors: unknown[] = [];
      await page.exposeFunction('recordError', (detail: unknown) => errors.push(detail));
      await page.evaluate(() => {
        const record = (window as unknown as { recordError: (d: unknown) => void }).recordError;
        document.addEventListener('scanforpay-error', (e) => record((e as CustomEvent).detail));
      });
      const before = await orderCounts();

      await button.click();

      const error = page.locator('#donation-button [part="error"]');
      await error.waitFor();
      expect(await error.getAttribute('role')).toBe('alert');
      await expect
        .poll(() => errors)
        .toEqual([{ code: 'amount_out_of_range', message: expect.any(String) }]);
      const { message } = errors[0] as { message: string };
      expect(message).not.toBe('');
      expect(await error.textContent()).toContain(message);
      expect(page.url()).toBe(`${stack.storefront}/`);
      expect(orderRequests).toEqual([]);
      expect(await orderCounts()).toEqual(before);
      await page.context().close();
    });
  }
});
