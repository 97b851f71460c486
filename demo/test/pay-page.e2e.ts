// The hosted pay page (GET /pay/:item) and the pinned script with subresource integrity, in
// Chromium against the stack's proxy and sandbox. One browser for the file.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASHIER_URL,
  finishAtCashier,
  launchChromium,
  newPage,
  proxyOrder,
  readyButton,
  reachCashier,
  RESULT_URL,
  STATUS_PAGE_URL,
  sandboxOrders,
  stack,
} from './helpers.js';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

interface Manifest {
  version: string;
  url: string;
  integrity: string;
}

let browser: Browser;
let manifest: Manifest;
let script: Buffer;
/** A "CDN" on its own origin, serving a copy of the script (tampered when asked). */
let cdn: Server;
let cdnUrl: string;
let tampered = false;

beforeAll(async () => {
  browser = await launchChromium();
  manifest = (await (await fetch(`${stack.proxy}/scanforpay-button.json`)).json()) as Manifest;
  script = Buffer.from(await (await fetch(manifest.url)).arrayBuffer());
  cdn = createServer((_request, response) => {
    const body = Buffer.from(script);
    // One byte changed, in a string literal: still valid JavaScript, another digest.
    if (tampered) body[body.indexOf('scanforpay-result')] = 'S'.charCodeAt(0);
    response.writeHead(200, {
      'content-type': 'text/javascript',
      'access-control-allow-origin': '*',
      'cache-control': 'no-store',
    });
    response.end(body);
  });
  await new Promise<void>((done) => cdn.listen(0, '127.0.0.1', done));
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/scanforpay-button.js`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => cdn?.close(done));
});

/** axe-core's violations on the whole page (it walks open shadow roots). */
async function axeViolations(page: Page): Promise<string[]> {
  // Through the DevTools protocol: the page's CSP (rightly) refuses an injected script tag.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'],
    });
    return (result.violations as { id: string; nodes: { target: unknown }[] }[]).map(
      (v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    );
  });
}

/** The order a result page names, once the proxy has it paid. */
async function expectPaidOrder(page: Page, amount: number): Promise<string> {
  const orderId = new URL(page.url()).searchParams.get('order')!;
  await expect
    .poll(async () => (await proxyOrder(orderId)).status, { timeout: 15_000 })
    .toBe('paid');
  expect((await proxyOrder(orderId)).amount).toBe(amount);
  const atGateway = (await sandboxOrders()).find((o) => o.partnerOrderNo === orderId);
  expect(atGateway?.orderAmount).toBe(amount);
  return orderId;
}

describe('the hosted pay page', () => {
  it('pays in zh-HK with the element, axe clean, and lands on the result page', async () => {
    const page = await newPage(browser, { locale: 'zh-HK' });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${stack.proxy}/pay/harbour-tee?quantity=2`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-HK');
    await expect.poll(() => page.locator('.price').textContent()).toBe('總額：HK$398.00');
    const button = await readyButton(page, 'harbour-tee');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]); // no CSP report, no integrity error
    await button.click();
    await reachCashier(page);
    await finishAtCashier(page, 'pay');
    expect(page.url()).toMatch(RESULT_URL);
    await expectPaidOrder(page, 39800);
    await page.context().close();
  });

  it('pays with JavaScript off through the form inside the element', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(`${stack.proxy}/pay/donation?amount=2500&wallet=AlipayHK`);
    const submit = page.getByRole('button', { name: 'Pay with AlipayHK' });
    await submit.click();
    await page.waitForURL(CASHIER_URL);
    await page.locator('[data-action="pay"]').click();
    // Without JavaScript the cashier waits for the shopper to go back to the shop; an order from
    // the form comes back to the proxy's own status page, which needs no script either.
    await page.locator('[data-action="return"]').click();
    await page.waitForURL(STATUS_PAGE_URL, { timeout: 15_000 });
    const orderId = /\/orders\/([0-9A-Z]+)\/status/.exec(page.url())![1]!;
    await expect
      .poll(() => proxyOrder(orderId).then((o) => o.status), { timeout: 15_000 })
      .toBe('paid');
    expect((await proxyOrder(orderId)).amount).toBe(2500);
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('Paid. Thank you!');
    expect(await page.locator('dd code').textContent()).toBe(orderId);
    await page.context().close();
  });

  it('asks for an open amount first, in a form axe finds no fault with', async () => {
    const page = await newPage(browser);
    await page.goto(`${stack.proxy}/pay/donation`);
    await page.getByLabel('Amount (HKD)').fill('5');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Enter an amount from HK$10.00 to HK$5,000.00.');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Amount (HKD)').fill('12.50');
    await page.getByRole('button', { name: 'Continue' }).click();
    await readyButton(page, 'donation');
    expect(await page.locator('scanforpay-button').getAttribute('amount')).toBe('1250');
    await page.context().close();
  });
});

describe('the pinned script with integrity', () => {
  /** A storefront page (its origin is allowed) that loads the script as the README shows. */
  async function shopPage(
    src: string,
    extra = '',
  ): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    // The page is served by Playwright, so Chromium counts it as a public site: let it reach
    // the loopback proxy as a shopper's browser lets a public shop reach a public proxy.
    const page = await newPage(browser, { permissions: ['local-network-access'] });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = `${stack.storefront}/pinned-snippet.html`;
    await page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body:
          `<!doctype html><html lang="en"><head><title>Pinned</title>` +
          `<script src="${src}" integrity="${manifest.integrity}" crossorigin="anonymous" ${extra}></script>` +
          `</head><body><scanforpay-button item="canvas-tote" wallet="AlipayHK">` +
          `<p id="fallback">fallback</p></scanforpay-button></body></html>`,
      }),
    );
    await page.goto(url);
    return { page, errors, requests };
  }

  it('loads from the proxy with the published integrity', async () => {
    // (The hosted pay page above pays through this same pinned script and integrity.)
    expect(manifest.url).toBe(`${stack.proxy}/v/${manifest.version}/scanforpay-button.js`);
    const { page, errors } = await shopPage(manifest.url);
    await readyButton(page, 'canvas-tote');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs a CDN copy with data-endpoint, and refuses it when one byte differs', async () => {
    tampered = false;
    const good = await shopPage(cdnUrl, `data-endpoint="${stack.proxy}"`);
    await readyButton(good.page, 'canvas-tote');
    const itemRequest = good.requests.find((url) => url.includes('/items/canvas-tote'));
    expect(new URL(itemRequest!).origin).toBe(new URL(stack.proxy).origin);
    expect(good.errors).toEqual([]);
    await good.page.context().close();

    tampered = true;
    const bad = await shopPage(cdnUrl, `data-endpoint="${stack.proxy}"`);
    await expect
      .poll(() => bad.errors.join('\n'))
      .toMatch(/Failed to find a valid digest in the 'integrity' attribute/);
    expect(await bad.page.evaluate(() => customElements.get('scanforpay-button'))).toBeUndefined();
    expect(await bad.page.locator('#fallback').isVisible()).toBe(true);
    await bad.page.context().close();
  });
});
