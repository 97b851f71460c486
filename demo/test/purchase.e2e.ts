import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  finishAtCashier,
  launchChromium,
  newPage,
  notifyAnsweredSuccess,
  orderCounts,
  proxyOrder,
  reachCashier,
  readyButton,
  RESULT_TEXT,
  resultShows,
  sandboxOrders,
  screenshot,
  stack,
  storedNotifications,
  storedOrder,
} from './helpers.js';

const WALLET_LABELS = { AlipayHK: 'AlipayHK', Alipay: 'Alipay', Wechat: 'WeChat Pay' } as const;
/** Each tile's text: the wallet's name, then the proxy's one-line hint (English). */
const TILE_TEXT = {
  AlipayHK: 'AlipayHKHong Kong wallet, pays in HKD',
  Alipay: 'AlipayMainland China wallet',
  Wechat: 'WeChat PayPays in the WeChat app',
} as const;

type Wallet = keyof typeof WALLET_LABELS;

interface Purchase {
  item: string;
  title: string;
  wallet: Wallet;
  amount: number;
  shownPrice: string;
}

/** The three fixed-price products of demo/catalog.json, each paid with another wallet. */
const PRODUCTS: Purchase[] = [
  {
    item: 'harbour-tee',
    title: 'Harbour tee',
    wallet: 'AlipayHK',
    amount: 19900,
    shownPrice: 'HK$199.00',
  },
  {
    item: 'canvas-tote',
    title: 'Canvas tote bag',
    wallet: 'Alipay',
    amount: 12800,
    shownPrice: 'HK$128.00',
  },
  {
    item: 'coffee-beans',
    title: 'Lantau coffee beans, 250 g',
    wallet: 'Wechat',
    amount: 15800,
    shownPrice: 'HK$158.00',
  },
];

async function chooseWallet(page: Page, item: string, wallet: Wallet): Promise<void> {
  const host = page.locator(`scanforpay-button[item="${item}"]`);
  await host
    .locator('[part="wallets"] label', { hasText: new RegExp(`^${TILE_TEXT[wallet]}$`) })
    .click();
  await expect
    .poll(() => host.locator('[part="label"]').textContent())
    .toBe(`Pay with ${WALLET_LABELS[wallet]}`);
}

/** After paying: the result page, the proxy's store, the gateway and the notify all agree. */
async function expectPaid(
  page: Page,
  orderId: string,
  purchase: Purchase,
  before: { stored: number; gateway: number },
) {
  expect(await resultShows(page, 'paid')).toBe(RESULT_TEXT.en.paid);
  await expect
    .poll(() => page.locator('#result-title').textContent())
    .toBe('Thank you for your order!');

  const order = await proxyOrder(orderId);
  expect(order).toMatchObject({
    orderId,
    status: 'paid',
    amount: purchase.amount,
    currency: 'HKD',
    wallet: purchase.wallet,
    title: purchase.title,
  });
  expect(order.paidAt).toEqual(expect.any(String));
  expect(storedOrder(orderId)).toEqual({
    status: 'paid',
    amount: purchase.amount,
    currency: 'HKD',
    wallet: purchase.wallet,
  });

  const atGateway = (await sandboxOrders()).find((o) => o.partnerOrderNo === orderId);
  expect(atGateway).toMatchObject({
    state: 'paid',
    orderAmount: purchase.amount,
    currency: 'HKD',
    wallet: purchase.wallet,
  });

  const notify = await notifyAnsweredSuccess(orderId);
  expect(notify).toMatchObject({ status: 200, acknowledged: true });
  // The proxy received it, verified its signature and kept it.
  expect(storedNotifications(orderId).filter((n) => n.verified === 1)).not.toEqual([]);

  expect(await orderCounts()).toEqual({ stored: before.stored + 1, gateway: before.gateway + 1 });
}

describe('buying from the storefront', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the three products with the prices the proxy serves, and the donation', async () => {
    const page = await newPage(browser);
    await page.goto(`${stack.storefront}/`);
    for (const { item, shownPrice } of PRODUCTS) {
      await readyButton(page, item);
      await expect
        .poll(() => page.locator(`.card[data-item="${item}"] [data-price]`).textContent())
        .toBe(shownPrice);
    }
    await readyButton(page, 'donation');
    await expect
      .poll(() => page.locator('#donation-button [part="price"]').textContent())
      .toBe('HK$100.00');
    await screenshot(page, 'storefront');
    await page.context().close();
  });

  for (const purchase of PRODUCTS) {
    it(`buys the ${purchase.title} with ${purchase.wallet} through the sandbox cashier`, async () => {
      const page = await newPage(browser);
      await page.goto(`${stack.storefront}/`);
      const button = await readyButton(page, purchase.item);
      await chooseWallet(page, purchase.item, purchase.wallet);
      const before = await orderCounts();

      await button.click();
      await reachCashier(page);
      await expect
        .poll(() => page.locator('[data-action="pay"]').textContent())
        .toContain((purchase.amount / 100).toFixed(2));
      if (purchase.item === 'harbour-tee') await screenshot(page, 'cashier');
      const orderId = await finishAtCashier(page, 'pay');

      await expectPaid(page, orderId, purchase, before);
      if (purchase.item === 'harbour-tee') await screenshot(page, 'result', 600);
      await page.context().close();
    });
  }

  it('donates an amount the shopper types (HK$123.45) and sees it paid', async () => {
    const page = await newPage(browser);
    await page.goto(`${stack.storefront}/`);
    const button = await readyButton(page, 'donation');
    // The element's own amount field (Playwright pierces its shadow root).
    await page.locator('#donation-button [part="amount"] input').fill('123.45');
    await chooseWallet(page, 'donation', 'Wechat');
    await expect
      .poll(() => page.locator('#donation-button [part="price"]').textContent())
      .toBe('HK$123.45');
    const before = await orderCounts();

    await button.click();
    const orderId = await finishAtCashier(page, 'pay');

    await expectPaid(
      page,
      orderId,
      {
        item: 'donation',
        title: 'Donation to the community fridge',
        wallet: 'Wechat',
        amount: 12345,
        shownPrice: 'HK$123.45',
      },
      before,
    );
    await page.context().close();
  });

  it('shows the shop and the result in Traditional Chinese', async () => {
    const page = await newPage(browser, { locale: 'zh-HK' });
    await page.goto(`${stack.storefront}/`);
    await readyButton(page, 'harbour-tee');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-HK');
    expect(await page.locator('.card[data-item="harbour-tee"] h3').textContent()).toBe('海港T恤');
    expect(
      await page.locator('scanforpay-button[item="harbour-tee"] [part="label"]').textContent(),
    ).toBe('使用支付寶香港付款');

    await page.locator('[data-lang="en"]').click();
    expect(await page.locator('.card[data-item="harbour-tee"] h3').textContent()).toBe(
      'Harbour tee',
    );
    await expect
      .poll(() =>
        page.locator('scanforpay-button[item="harbour-tee"] [part="label"]').textContent(),
      )
      .toBe('Pay with AlipayHK');
    await page.locator('[data-lang="zh-HK"]').click();

    await payButtonOf(page, 'harbour-tee').click();
    await finishAtCashier(page, 'pay');
    expect(await resultShows(page, 'paid')).toBe(RESULT_TEXT['zh-HK'].paid);
    await expect.poll(() => page.locator('#result-title').textContent()).toBe('多謝惠顧！');
    await page.context().close();
  });
});

function payButtonOf(page: Page, item: string) {
  return page.locator(`scanforpay-button[item="${item}"] button[part="button"]`);
}
