import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import './stack-info.js';

export const stack = inject('stack');

/** Debian's Chromium (or CHROME_PATH), headless. Never downloads a browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A fresh page in its own context; English unless told otherwise. */
export async function newPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return context.newPage();
}

/** An order as the sandbox's control API lists it. */
export interface SandboxOrder {
  partnerOrderNo: string;
  state: string;
  orderAmount: number;
  currency: string;
  wallet: string;
  orderTitle: string;
}

/** A delivery attempt of a notification, as the sandbox recorded it. */
export interface SandboxNotification {
  partnerOrderNo: string;
  attempt: number;
  status: number | null;
  answer: string;
  acknowledged: boolean;
}

/** An order as the proxy's `GET /orders/:id` shows it to the result page. */
export interface ProxyOrder {
  orderId: string;
  status: string;
  amount: number;
  currency: string;
  wallet: string;
  title: string;
  paidAt?: string;
}

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every order the gateway (the sandbox) has seen. */
export async function sandboxOrders(): Promise<SandboxOrder[]> {
  return (await json<{ orders: SandboxOrder[] }>(`${stack.sandbox}/__sandbox/orders`)).orders;
}

export async function sandboxNotifications(orderId: string): Promise<SandboxNotification[]> {
  const url = `${stack.sandbox}/__sandbox/notifications?partnerOrderNo=${encodeURIComponent(orderId)}`;
  return (await json<{ notifications: SandboxNotification[] }>(url)).notifications;
}

export function proxyOrder(orderId: string): Promise<ProxyOrder> {
  return json(`${stack.proxy}/orders/${encodeURIComponent(orderId)}`);
}

/** How many orders the proxy has stored, read from its SQLite file. */
export function storedOrderCount(): number {
  const db = new Database(stack.databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** One order's row in the proxy's store, as the proxy wrote it. */
export function storedOrder(
  orderId: string,
): { status: string; amount: number; currency: string; wallet: string } | undefined {
  const db = new Database(stack.databasePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT status, amount, currency, wallet FROM orders WHERE order_id = ?')
      .get(orderId) as
      { status: string; amount: number; currency: string; wallet: string } | undefined;
  } finally {
    db.close();
  }
}

/** The notifications the proxy recorded for an order (it keeps every one, verified or not). */
export function storedNotifications(orderId: string): { verified: number; outcome: string }[] {
  const db = new Database(stack.databasePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT verified, outcome FROM notifications WHERE order_id = ?')
      .all(orderId) as {
      verified: number;
      outcome: string;
    }[];
  } finally {
    db.close();
  }
}

/** Both counts at once: orders stored by the proxy and orders created at the gateway. */
export async function orderCounts(): Promise<{ stored: number; gateway: number }> {
  return { stored: storedOrderCount(), gateway: (await sandboxOrders()).length };
}

/** Retries `probe` until it returns a value, for effects that happen shortly after an action. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: last });
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The pay button inside a `<scanforpay-button>` (Playwright locators pierce its shadow root). */
export function payButton(page: Page, host = 'scanforpay-button') {
  return page.locator(host).locator('button[part="button"]');
}

/** Waits until the element for `item` has loaded its item and can be clicked. */
export async function readyButton(page: Page, item: string) {
  const button = payButton(page, `scanforpay-button[item="${item}"]`);
  await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
  return button;
}

/**
 * What `<scanforpay-result>` shows: the proxy's words for the order
 * (packages/server/src/domain/shopper-messages.ts), checked word for word.
 */
export const RESULT_TEXT = {
  en: {
    paid: 'Paid. Thank you!',
    failed: 'The payment did not go through. No money was taken.',
    cancelled: 'You left the payment page without paying. No money was taken.',
  },
  'zh-HK': { paid: '付款成功，謝謝！', failed: '付款未能完成，未有扣款。' },
} as const;

export const CASHIER_URL = /\/cashier\/[0-9a-f]+/;
export const RESULT_URL = /\/result\.html\?order=/;
/** The proxy's own status page, where the no-script form's orders come back. */
export const STATUS_PAGE_URL = /\/orders\/[0-9A-Z]+\/status/;

/** The last `lines` lines the stack's servers printed (empty when they printed nothing yet). */
export function stackLogTail(lines = 40): string {
  try {
    return readFileSync(stack.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Waits for the page to reach the sandbox cashier. When it does not, the error says why: what the
 * pay element shows, what the page logged, and what the servers printed last.
 */
export async function reachCashier(page: Page, timeout = 30_000): Promise<void> {
  const consoleLines: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) =>
    consoleLines.push(`${message.type()}: ${message.text()}`);
  page.on('console', onConsole);
  try {
    // On a computer the button first offers the "pay on your phone" dialog: this shopper
    // continues on the computer, through the dialog's link.
    const dialog = page.locator('scanforpay-button [part="dialog"]');
    const continued = dialog
      .waitFor({ state: 'visible', timeout })
      .then(() => dialog.locator('a').click())
      .catch(() => {});
    await page.waitForURL(CASHIER_URL, { timeout });
    void continued;
  } catch (error) {
    const shown = await page
      .locator('scanforpay-button')
      .evaluateAll((hosts) => hosts.map((host) => host.shadowRoot?.textContent?.trim() ?? ''))
      .catch(() => []);
    throw new Error(
      [
        `the page did not reach the cashier within ${timeout} ms; it is at ${page.url()}`,
        `pay elements show: ${JSON.stringify(shown.filter(Boolean))}`,
        `page console: ${consoleLines.join(' | ') || '(nothing)'}`,
        `servers printed last:\n${stackLogTail() || '(nothing)'}`,
      ].join('\n'),
      { cause: error },
    );
  } finally {
    page.off('console', onConsole);
  }
}

/** On the sandbox cashier: press pay, fail or cancel and follow the way back to the result page. */
export async function finishAtCashier(
  page: Page,
  action: 'pay' | 'fail' | 'cancel',
): Promise<string> {
  await reachCashier(page);
  await page.locator(`[data-action="${action}"]`).click();
  await page.waitForURL(RESULT_URL, { timeout: 15_000 });
  const orderId = new URL(page.url()).searchParams.get('order');
  if (!orderId) throw new Error(`the result page has no ?order=: ${page.url()}`);
  return orderId;
}

/** Waits for `<scanforpay-result>` to show a final status and returns its text. */
export async function resultShows(page: Page, status: string): Promise<string> {
  const result = page.locator(`scanforpay-result[status="${status}"]`);
  await result.waitFor({ timeout: 15_000 });
  return (await result.locator('[part="message"]').textContent()) ?? '';
}

/** Waits until the sandbox delivered the order's notify and the proxy answered `success`. */
export function notifyAnsweredSuccess(orderId: string): Promise<SandboxNotification> {
  return eventually(`the notify of ${orderId} answered "success"`, async () => {
    const list = await sandboxNotifications(orderId);
    return list.find((n) => n.status === 200 && n.answer.trim() === 'success');
  });
}

/** Screenshots for the README, written only when UPDATE_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string, height?: number): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  if (height) await page.setViewportSize({ width: page.viewportSize()?.width ?? 1280, height });
  const docs = new URL('../../docs/', import.meta.url);
  mkdirSync(docs, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, docs).pathname, fullPage: true });
}
