import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASHIER_URL,
  reachCashier,
  launchChromium,
  newPage,
  orderCounts,
  readyButton,
  sandboxOrders,
  stack,
} from './helpers.js';

/** Records the page's POST /orders requests. */
function orderPosts(page: Page): string[] {
  const posts: string[] = [];
  page.on('request', (request) => {
    // The button sends the shopper's language with the order: `/orders?lang=en`.
    const url = new URL(request.url());
    if (request.method() === 'POST' && `${url.origin}${url.pathname}` === `${stack.proxy}/orders`)
      posts.push(request.url());
  });
  return posts;
}

/** Holds the cashier: the page goes there, but nothing there can be clicked by accident. */
async function holdCashier(page: Page): Promise<string[]> {
  const reached: string[] = [];
  await page.route(CASHIER_URL, async (route) => {
    reached.push(route.request().url());
    await route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><title>cashier held</title>',
    });
  });
  return reached;
}

describe('one click, one order; prices only from the server', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates exactly one order on a double-click', async () => {
    const page = await newPage(browser);
    const posts = orderPosts(page);
    const cashier = await holdCashier(page);
    await page.goto(`${stack.storefront}/`);
    const button = await readyButton(page, 'harbour-tee');
    const before = await orderCounts();

    await button.dblclick();
    await reachCashier(page);

    expect(posts).toHaveLength(1);
    expect(cashier).toHaveLength(1);
    expect(await orderCounts()).toEqual({ stored: before.stored + 1, gateway: before.gateway + 1 });
    await page.context().close();
  });

  it('creates exactly one order on five rapid clicks', async () => {
    const page = await newPage(browser);
    const posts = orderPosts(page);
    const cashier = await holdCashier(page);
    await page.goto(`${stack.storefront}/`);
    const button = await readyButton(page, 'coffee-beans');
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    if (!box) throw new Error('the pay button has no box');
    const before = await orderCounts();

    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    for (let i = 0; i < 5; i++) await page.mouse.click(x, y);
    await reachCashier(page);

    expect(posts).toHaveLength(1);
    expect(cashier).toHaveLength(1);
    expect(await orderCounts()).toEqual({ stored: before.stored + 1, gateway: before.gateway + 1 });
    await page.context().close();
  });

  it('creates exactly one order when clicks arrive faster than the element can re-render', async () => {
    const page = await newPage(browser);
    const posts = orderPosts(page);
    await page.goto(`${stack.storefront}/`);
    await readyButton(page, 'canvas-tote');
    const before = await orderCounts();

    // Ten clicks in one task, and the redirect cancelled so the page stays to be inspected.
    const orders = await page.evaluate(async () => {
      const host = document.querySelector<HTMLElement & { updateComplete: Promise<boolean> }>(
        'scanforpay-button[item="canvas-tote"]',
      )!;
      // This is about clicks, not the desktop dialog: go to the pay page as a phone would.
      host.setAttribute('dialog', 'off');
      await host.updateComplete;
      const seen: string[] = [];
      const redirected = new Promise<void>((done) => {
        host.addEventListener('scanforpay-redirect', (event) => {
          event.preventDefault();
          seen.push((event as CustomEvent<{ orderId: string }>).detail.orderId);
          done();
        });
      });
      const inner = host.shadowRoot!.querySelector<HTMLButtonElement>('button[part="button"]')!;
      for (let i = 0; i < 10; i++) inner.click();
      await redirected;
      await host.updateComplete;
      // A pay turns the button busy before its request goes out: free again, none is in flight.
      if (inner.getAttribute('aria-busy') !== 'false') throw new Error('another pay is in flight');
      return seen;
    });

    expect(orders).toHaveLength(1);
    expect(posts).toHaveLength(1);
    expect(await orderCounts()).toEqual({ stored: before.stored + 1, gateway: before.gateway + 1 });
    await page.context().close();
  });

  it('refuses an order crafted in the page with another amount for a fixed-price item', async () => {
    const page = await newPage(browser);
    await page.goto(`${stack.storefront}/`);
    await readyButton(page, 'harbour-tee');
    const before = await orderCounts();
    const gatewayBefore = (await sandboxOrders()).map((o) => o.partnerOrderNo);

    const answer = await page.evaluate(async (proxy) => {
      const response = await fetch(`${proxy}/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ item: 'harbour-tee', wallet: 'AlipayHK', amount: 100 }),
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.json(),
      };
    }, stack.proxy);

    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({
      status: answer.status,
      code: expect.stringMatching(/^(invalid_request|amount_not_allowed)$/),
    });
    expect(await orderCounts()).toEqual(before);
    expect((await sandboxOrders()).map((o) => o.partnerOrderNo)).toEqual(gatewayBefore);
    await page.context().close();
  });

  it('refuses a form crafted in the page that posts another amount to /checkout', async () => {
    const page = await newPage(browser);
    await page.goto(`${stack.storefront}/`);
    const before = await orderCounts();

    const [response] = await Promise.all([
      page.waitForResponse(`${stack.proxy}/checkout`),
      page.evaluate((proxy) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = `${proxy}/checkout`;
        for (const [name, value] of Object.entries({
          item: 'coffee-beans',
          wallet: 'Wechat',
          amount: '1',
        })) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      }, stack.proxy),
    ]);

    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(response.status()).toBeLessThan(500);
    await page.waitForURL(`${stack.proxy}/checkout`);
    expect(await orderCounts()).toEqual(before);
    await page.context().close();
  });
});
