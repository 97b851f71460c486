import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASHIER_URL,
  launchChromium,
  RESULT_TEXT,
  RESULT_URL,
  resultShows,
  screenshot,
  stack,
} from './helpers.js';

/** Real user agents of the six contexts (as in packages/server/test/fixtures/user-agents.ts). */
const UA = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36',
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_HK',
  alipayhk:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Ariver/1.1.0 AliApp(AlipayHK/4.0.26) Nebula WK RVKType(0) AlipayHKClient/4.0.26 Language/zh-Hant Region/HK NebulaX/1.0.0',
  instagram:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 337.0.3.23.54 (iPhone15,2; iOS 17_5; zh_HK; zh-Hant-HK; scale=3.00; 1179x2556; 612586432)',
} as const;

const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe-core's violations inside `selector` (it walks open shadow roots). */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (include) => {
    const axe = (
      window as unknown as {
        axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(
      { include: [[include]] },
      { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] },
    );
    return (result.violations as { id: string; nodes: { target: unknown }[] }[]).map(
      (v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    );
  }, selector);
}

interface SandboxOrder {
  partnerOrderNo: string;
  endpoint: string;
  state: string;
  wallet: string;
}

async function atGateway(orderId: string): Promise<SandboxOrder> {
  const response = await fetch(`${stack.sandbox}/__sandbox/orders/${orderId}`);
  return ((await response.json()) as { order: SandboxOrder }).order;
}

function storedContext(orderId: string): { context: string; gateway_endpoint: string } {
  const db = new Database(stack.databasePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT context, gateway_endpoint FROM orders WHERE order_id = ?')
      .get(orderId) as { context: string; gateway_endpoint: string };
  } finally {
    db.close();
  }
}

const host = (page: Page, item: string) => page.locator(`scanforpay-button[item="${item}"]`);

/** The wallets a button offers, as their radios' values, once its item is loaded. */
async function offered(page: Page, item: string): Promise<string[]> {
  const button = host(page, item).locator('button[part="button"]');
  await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
  return host(page, item)
    .locator('input[type="radio"]')
    .evaluateAll((radios) => radios.map((r) => (r as HTMLInputElement).value));
}

/**
 * Listens for the button's next order (its scanforpay-order event) before the click that makes
 * it; the returned function resolves to its order id.
 */
async function nextOrderId(page: Page, item: string): Promise<() => Promise<string>> {
  await host(page, item).evaluate((el) => {
    (window as unknown as { nextOrder: Promise<string> }).nextOrder = new Promise((resolve) =>
      el.addEventListener('scanforpay-order', (e) => resolve((e as CustomEvent).detail.orderId), {
        once: true,
      }),
    );
  });
  return () => page.evaluate(() => (window as unknown as { nextOrder: Promise<string> }).nextOrder);
}

describe("the shopper's device", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(ua: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', userAgent: ua, ...options });
    const page = await context.newPage();
    await page.goto(`${stack.storefront}/`);
    return page;
  }

  /**
   * Pays on a phone: the button goes to the cashier, which shows the open-the-wallet-app step and
   * no QR, then the result page shows paid. Returns the order id.
   */
  async function payOnPhone(page: Page, item: string, wallet?: string): Promise<string> {
    if (wallet) {
      await host(page, item)
        .locator('input[type="radio"]')
        .evaluateAll((radios, w) => {
          (radios.find((r) => (r as HTMLInputElement).value === w) as HTMLInputElement).click();
        }, wallet);
    }
    await host(page, item).locator('button[part="button"]').click();
    await page.waitForURL(CASHIER_URL, { timeout: 15_000 });
    expect(await page.locator('.qr svg').count()).toBe(0);
    await expect(page.locator('[data-step="open-app"]').isVisible()).resolves.toBe(true);
    await page.locator('[data-action="pay"]').click();
    await page.waitForURL(RESULT_URL, { timeout: 15_000 });
    expect(await resultShows(page, 'paid')).toBe(RESULT_TEXT.en.paid);
    // The page has left, so the order id comes from where it landed: the result page's ?order=.
    const orderId = new URL(page.url()).searchParams.get('order')!;
    return orderId;
  }

  it('iPhone Safari: phone wallets first, AlipayHK on online/create, the cashier’s open-the-app step', async () => {
    const page = await open(UA.iphone, PHONE);
    expect(await offered(page, 'harbour-tee')).toEqual(['AlipayHK', 'Alipay', 'Wechat']);
    expect(await host(page, 'harbour-tee').locator('[part="notice"]').count()).toBe(0);
    await screenshot(page, 'iphone');
    const orderId = await payOnPhone(page, 'harbour-tee');
    expect(await atGateway(orderId)).toMatchObject({
      endpoint: 'online',
      state: 'paid',
      wallet: 'AlipayHK',
    });
    expect(storedContext(orderId)).toEqual({ context: 'mobile', gateway_endpoint: 'online' });
    await page.context().close();
  });

  it('Android Chrome: WeChat Pay on a phone goes to online/create', async () => {
    const page = await open(UA.android, PHONE);
    expect(await offered(page, 'coffee-beans')).toEqual(['AlipayHK', 'Wechat']);
    const orderId = await payOnPhone(page, 'coffee-beans', 'Wechat');
    expect(await atGateway(orderId)).toMatchObject({
      endpoint: 'online',
      state: 'paid',
      wallet: 'Wechat',
    });
    expect(storedContext(orderId)).toEqual({ context: 'mobile', gateway_endpoint: 'online' });
    await page.context().close();
  });

  it('WeChat: WeChat Pay only, how to open the browser for Alipay, paid on online/create', async () => {
    const page = await open(UA.wechat, PHONE);
    await expect.poll(() => offered(page, 'harbour-tee')).toEqual([]);
    expect(await host(page, 'harbour-tee').locator('[part="label"]').textContent()).toBe(
      'Pay with WeChat Pay',
    );
    const notice = host(page, 'harbour-tee').locator('[part="notice"]');
    expect((await notice.textContent())?.trim()).toBe(
      'To pay with Alipay or AlipayHK, tap ··· at the top right and choose “Open in Browser”.',
    );
    expect(await notice.locator('button').count()).toBe(0);
    expect(await axeViolations(page, 'scanforpay-button[item="harbour-tee"]')).toEqual([]);
    await screenshot(page, 'wechat');
    const orderId = await payOnPhone(page, 'harbour-tee');
    expect(await atGateway(orderId)).toMatchObject({
      endpoint: 'online',
      state: 'paid',
      wallet: 'Wechat',
    });
    expect(storedContext(orderId)).toEqual({ context: 'wechat', gateway_endpoint: 'online' });
    await page.context().close();
  });

  it('AlipayHK app: the Alipay wallets only, paid on online/create', async () => {
    const page = await open(UA.alipayhk, PHONE);
    expect(await offered(page, 'harbour-tee')).toEqual(['AlipayHK', 'Alipay']);
    const orderId = await payOnPhone(page, 'harbour-tee');
    expect(await atGateway(orderId)).toMatchObject({
      endpoint: 'online',
      state: 'paid',
      wallet: 'AlipayHK',
    });
    expect(storedContext(orderId)).toEqual({ context: 'alipay', gateway_endpoint: 'online' });
    await page.context().close();
  });

  it('Instagram: the open-in-browser sheet copies the link, and the shopper may still pay', async () => {
    const page = await open(UA.instagram, PHONE);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: stack.storefront,
    });
    expect(await offered(page, 'harbour-tee')).toEqual(['AlipayHK', 'Alipay', 'Wechat']);
    const notice = host(page, 'harbour-tee').locator('[part="notice"]');
    expect(await notice.textContent()).toContain('Payments work best in your browser');
    expect(await axeViolations(page, 'scanforpay-button[item="harbour-tee"]')).toEqual([]);
    await notice.locator('button', { hasText: 'Copy link' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(`${stack.storefront}/`);
    const orderId = await payOnPhone(page, 'harbour-tee', 'Alipay');
    expect(await atGateway(orderId)).toMatchObject({
      endpoint: 'online',
      state: 'paid',
      wallet: 'Alipay',
    });
    expect(storedContext(orderId)).toEqual({ context: 'social', gateway_endpoint: 'online' });
    await page.context().close();
  });

  it('desktop Chrome: the pay-on-your-phone dialog, by keyboard, paid from a phone; the page moves on by itself', async () => {
    const page = await open(UA.desktop, { viewport: { width: 1280, height: 900 } });
    expect(await offered(page, 'harbour-tee')).toEqual(['AlipayHK', 'Alipay', 'Wechat']);
    await screenshot(page, 'desktop');

    // Keyboard only: choose WeChat Pay with the arrow keys, open the dialog with Enter.
    const radios = host(page, 'harbour-tee').locator('input[type="radio"]');
    await radios.nth(0).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await radios.nth(2).isChecked()).toBe(true);
    const payButton = host(page, 'harbour-tee').locator('button[part="button"]');
    await payButton.focus();
    const firstOrder = await nextOrderId(page, 'harbour-tee');
    await page.keyboard.press('Enter');
    const dialog = host(page, 'harbour-tee').locator('[part="dialog"]');
    await dialog.waitFor({ state: 'visible' });
    await firstOrder();
    // Focus stays in the dialog: every Tab lands inside it (or on the browser's own UI).
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => {
        const root = document.querySelector('scanforpay-button[item="harbour-tee"]')!.shadowRoot!;
        const active = root.activeElement;
        if (document.activeElement === document.body) return 'outside-document';
        return active?.closest('dialog')
          ? 'dialog'
          : `outside: ${active?.outerHTML ?? document.activeElement?.outerHTML}`;
      });
      expect(['dialog', 'outside-document']).toContain(where);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(
      await page.evaluate(() =>
        document
          .querySelector('scanforpay-button[item="harbour-tee"]')!
          .shadowRoot!.activeElement?.getAttribute('part'),
      ),
    ).toBe('button');

    // Again, and this time pay: the dialog shows the QR of the pay page and the live status.
    const orderPromise = await nextOrderId(page, 'harbour-tee');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'visible' });
    const orderId = await orderPromise();
    const qr = dialog.locator('img[part="qr"]');
    await expect
      .poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    expect(await dialog.locator('#scan').textContent()).toBe('Scan with your phone to pay');
    await expect
      .poll(() => dialog.locator('scanforpay-result [part="message"]').textContent())
      .toBe('Waiting for payment…');
    expect(await axeViolations(page, 'scanforpay-button[item="harbour-tee"]')).toEqual([]);
    const payUrl = await dialog.locator('a').getAttribute('href');
    expect(await atGateway(orderId)).toMatchObject({
      endpoint: 'qrcode',
      state: 'pending',
      wallet: 'Wechat',
    });
    expect(storedContext(orderId)).toEqual({ context: 'desktop', gateway_endpoint: 'qrcode' });

    // The phone: a second browser opens what the QR encodes and pays there.
    const phone = await browser.newContext({ locale: 'en-US', userAgent: UA.iphone, ...PHONE });
    const phonePage = await phone.newPage();
    await phonePage.goto(payUrl!);
    expect(await phonePage.locator('[data-step="open-app"]').isVisible()).toBe(true);
    await phonePage.locator('[data-action="pay"]').click();
    await phonePage.waitForURL(RESULT_URL, { timeout: 15_000 });
    await phone.close();

    // The computer moves to the result page by itself.
    await page.waitForURL(RESULT_URL, { timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get('order')).toBe(orderId);
    expect(await resultShows(page, 'paid')).toBe(RESULT_TEXT.en.paid);
    expect(await atGateway(orderId)).toMatchObject({ endpoint: 'qrcode', state: 'paid' });
    await page.context().close();
  }, 90_000);
});
