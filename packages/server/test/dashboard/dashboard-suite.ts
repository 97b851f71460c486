import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../scripts/chromium.mjs';
import { securitySuite } from './security-suite.js';
import type { DashboardTarget } from './target.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const LOCALES = ['en', 'zh-HK'] as const;
/** Generous: a loaded CI machine is slow; nothing here waits on a timer of its own. */
const TIMEOUT = 120_000;

/**
 * The dashboard's bars, run unchanged against a target (the Node proxy, or the Worker in
 * workerd with D1): one browser for the file, one context per scenario.
 */
export function dashboardSuite(
  getTarget: () => DashboardTarget,
  options: {
    /**
     * `all`: every page in both languages at both widths. `one`: zh-HK at phone width only, for
     * a second runtime serving the same pages from the same code.
     */
    axe: 'all' | 'one';
  },
): void {
  let t: DashboardTarget;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Every URL the browser asked for, every page it showed, every CSP complaint. */
  const urls: string[] = [];
  const pages: string[] = [];
  const cspErrors: string[] = [];
  const badHeaders: string[] = [];
  let refundedOrder = '';

  beforeAll(async () => {
    t = getTarget();
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    // The token never reached a URL, a page or a log line.
    expect(urls.filter((url) => url.includes(t.token))).toEqual([]);
    expect(pages.filter((html) => html.includes(t.token))).toEqual([]);
    expect(t.logs().filter((line) => line.includes(t.token))).toEqual([]);
    expect(cspErrors).toEqual([]);
    expect(badHeaders).toEqual([]);
  }, TIMEOUT);

  const ui = (path: string) => `${t.base}/admin/ui${path}`;

  async function open(options: { locale?: string; width?: number; height?: number } = {}) {
    const context = await browser.newContext({
      locale: options.locale ?? 'en-US',
      viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('request', (request) => urls.push(request.url()));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (!response.url().startsWith(`${t.base}/admin`)) return;
      const headers = response.headers();
      if (headers['cache-control'] !== 'no-store') {
        badHeaders.push(`${response.url()}: cache-control ${headers['cache-control']}`);
      }
      if (
        response.status() === 200 &&
        !/script-src 'self'/.test(headers['content-security-policy'] ?? '')
      ) {
        badHeaders.push(`${response.url()}: csp ${headers['content-security-policy']}`);
      }
    });
    return page;
  }

  async function keep(page: Page): Promise<void> {
    pages.push(await page.content());
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto(ui('/orders'));
    expect(new URL(page.url()).pathname).toBe('/admin/ui/sign-in');
    await keep(page);
    // By keyboard: the skip link comes first, the token field submits with Enter.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.fill('#token', t.token);
    await Promise.all([page.waitForURL(/\/admin\/ui\/orders$/), page.press('#token', 'Enter')]);
  }

  it(
    'signs in, finds a paid order by reference, refunds part of it and shows it partially_refunded',
    async () => {
      const reference = `dash-${Date.now().toString(36)}`;
      const orderId = await t.paidOrder(reference);
      refundedOrder = orderId;
      const page = await open();
      await signIn(page);

      await page.fill('#f-q', reference);
      await Promise.all([
        page.waitForURL(/q=dash-/),
        page.click('form.filters button[type=submit]'),
      ]);
      await keep(page);
      const rows = page.locator('tbody tr[data-order-id]');
      expect(
        await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-order-id'))),
      ).toEqual([orderId]);
      expect(await rows.first().locator('[data-status]').getAttribute('data-status')).toBe('paid');

      await Promise.all([
        page.waitForURL(new RegExp(`/orders/${orderId}$`)),
        page.click(`a[href$="/orders/${orderId}"]`),
      ]);
      await page.fill('#refund-amount', '50.5');
      await Promise.all([page.waitForURL(/\/refund\?/), page.click('form.refund button')]);
      await keep(page);
      await expect.poll(() => page.textContent('h1')).toContain('Confirm');
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
      // By keyboard: focus the confirm button and press Enter.
      await page.focus('form[data-refund-form] button[type=submit]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-refund-outcome][data-outcome="succeeded"]');
      // The same document, updated in place: no reload.
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
      expect(await page.getAttribute('[data-order-status]', 'data-status')).toBe(
        'partially_refunded',
      );
      expect(await page.textContent('[data-refund-outcome]')).toContain('HK$50.50');
      expect(await page.textContent('[data-order-refunded]')).toBe('HK$50.50');

      await Promise.all([
        page.waitForURL(new RegExp(`/orders/${orderId}$`)),
        page.click('[data-back-link]'),
      ]);
      await keep(page);
      expect(await page.getAttribute('[data-order-status]', 'data-status')).toBe(
        'partially_refunded',
      );
      const refund = page.locator('[data-refunds] tbody tr');
      expect(await refund.count()).toBe(1);
      expect(await refund.locator('td').nth(1).textContent()).toBe('HK$50.50');
      expect(await refund.locator('[data-status]').getAttribute('data-status')).toBe('succeeded');
      // The status history ends in partially_refunded; the paid notification is listed as verified.
      expect(
        await page
          .locator('.history li [data-status]')
          .evaluateAll((s) => s.map((e) => e.getAttribute('data-status'))),
      ).toEqual(['pending', 'paid', 'partially_refunded']);
      expect(await page.textContent('#notifications-h + div')).toContain('verified');

      // Refunding more than is left is refused with the rule, before anything is sent.
      await page.fill('#refund-amount', '200');
      await page.click('form.refund button');
      await page.waitForSelector('#amount-error');
      expect(await page.textContent('#amount-error')).toContain('HK$148.50');
    },
    TIMEOUT,
  );

  it(
    're-enables a webhook the merchant disabled with 410, and the backlog drains',
    async () => {
      t.receiver.gone = true;
      const page = await open();
      await signIn(page);
      const first = await t.paidOrder(`hook-a-${Date.now().toString(36)}`);
      const state = async () =>
        (await (await page.request.get(ui('/webhook/state.json'))).json()) as {
          waiting: number;
          disabled: boolean;
        };
      await expect.poll(async () => (await state()).disabled, { timeout: 30_000 }).toBe(true);
      const second = await t.paidOrder(`hook-b-${Date.now().toString(36)}`);
      await expect
        .poll(async () => (await state()).waiting, { timeout: 30_000 })
        .toBeGreaterThanOrEqual(2);

      await page.goto(ui('/webhook'));
      await keep(page);
      expect(await page.getAttribute('[data-field="state"]', 'data-disabled')).toBe('yes');
      expect(Number(await page.textContent('[data-field="waiting"]'))).toBeGreaterThanOrEqual(2);
      t.receiver.gone = false;
      await Promise.all([page.waitForURL(/\/webhook\/enable$/), page.click('text=Re-enable')]);
      await keep(page);
      expect(await page.textContent('main')).toContain('The endpoint is enabled');
      expect(await page.getAttribute('[data-field="state"]', 'data-disabled')).toBe('no');
      // Polled by the page's script: it reaches 0 without a reload.
      await expect
        .poll(() => page.textContent('[data-field="waiting"]'), { timeout: 30_000 })
        .toBe('0');
      const delivered = () => t.receiver.events().map((e) => `${e.type} ${e.orderId}`);
      expect(delivered()).toEqual(
        expect.arrayContaining([`order.paid ${first}`, `order.paid ${second}`]),
      );

      // Resend one event: the merchant gets it again, under the same webhook-id.
      const before = t.receiver.events().filter((e) => e.orderId === first).length;
      await Promise.all([
        page.waitForURL(/\/webhook\/resend$/),
        page.click(`tr:has(a[href$="/orders/${first}"]) button`),
      ]);
      expect(await page.textContent('.notice.ok')).toContain('will be delivered again');
      await expect
        .poll(() => t.receiver.events().filter((e) => e.orderId === first).length, {
          timeout: 30_000,
        })
        .toBe(before + 1);

      // A signed test event, delivered and verified with the merchant's secret.
      await Promise.all([
        page.waitForURL(/\/webhook\/test$/),
        page.click('text=Send a signed test event'),
      ]);
      expect(await page.textContent('.notice.ok')).toContain('HTTP 204');
      expect(t.receiver.events().some((e) => e.type === 'webhook.test')).toBe(true);
      await keep(page);
    },
    TIMEOUT,
  );

  it(
    'exports the filtered list as CSV, row for row',
    async () => {
      const reference = `csv-${Date.now().toString(36)}`;
      const ids = [await t.paidOrder(reference), await t.paidOrder(reference)];
      const page = await open();
      await signIn(page);
      await page.goto(ui(`/orders?q=${reference}&status=paid`));
      await keep(page);
      const listed = await page
        .locator('tbody tr[data-order-id]')
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.getAttribute('data-order-id'),
            tr.querySelector('[data-status]')!.getAttribute('data-status'),
          ]),
        );
      expect(listed).toEqual([...ids].reverse().map((id) => [id, 'paid']));
      expect(await page.textContent('tr[data-currency="HKD"] [data-count]')).toBe('2');
      const href = await page.getAttribute('a[download]', 'href');
      const csv = await page.request.get(new URL(href!, t.base).href);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
      const lines = (await csv.text()).split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(
        'order_id,created_at,status,currency,amount,refunded_amount,wallet,item_id,title,quantity,reference,gateway_order_no,paid_at',
      );
      const rows = lines.slice(1).map((line) => line.split(','));
      expect(rows.map((r) => [r[0], r[2]])).toEqual(listed);
      expect(rows.map((r) => [r[3], r[4], r[5], r[10]])).toEqual(
        ids.map(() => ['HKD', '199.00', '0.00', reference]),
      );
    },
    TIMEOUT,
  );

  for (const locale of LOCALES) {
    if (options.axe === 'one' && locale !== 'zh-HK') continue;
    const sizes = options.axe === 'one' ? WIDTHS.filter((w) => w.name === 'phone') : WIDTHS;
    it(
      `is axe-clean on every page in ${locale}, at ${sizes.map((w) => w.name).join(' and ')} width`,
      async () => {
        const page = await open({ locale });
        // zh-HK in the dark palette (prefers-color-scheme: dark): axe checks its contrast too.
        if (locale === 'zh-HK') await page.emulateMedia({ colorScheme: 'dark' });
        // Injected by the browser itself before each page (the page's CSP allows no inline code).
        await page.context().addInitScript({ content: AXE });
        /** Each page at each width: axe finds nothing, the language is right, nothing overflows. */
        const check = async (what: string) => {
          for (const size of sizes) {
            await page.setViewportSize({ width: size.width, height: size.height });
            const result = (await page.evaluate(() =>
              (window as unknown as { axe: { run: (o: object) => Promise<unknown> } }).axe.run({
                resultTypes: ['violations'],
              }),
            )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
            const violations = result.violations.map(
              (v) =>
                `${what} (${size.name}): ${v.id} ${JSON.stringify(v.nodes.map((n) => n.target))}`,
            );
            expect(violations).toEqual([]);
            // Nothing wider than the screen: tables scroll inside their own region.
            expect(
              await page.evaluate(() => document.documentElement.scrollWidth),
              `${what} is wider than the ${size.name} screen`,
            ).toBeLessThanOrEqual(size.width);
          }
          expect(await page.getAttribute('html', 'lang')).toBe(locale);
          await keep(page);
        };
        await page.goto(ui('/sign-in'));
        await check('sign-in');
        await signIn(page);
        await check('orders');
        if (locale === 'zh-HK') expect(await page.textContent('h1')).toBe('訂單');
        await page.goto(ui(`/orders/${refundedOrder}`));
        await check('order');
        await page.goto(ui(`/orders/${refundedOrder}/refund?amount=1`));
        await check('confirm');
        await page.goto(ui(`/orders/${refundedOrder}/refund?amount=abc`));
        await check('refund error');
        await page.goto(ui('/webhook'));
        await check('webhook');
        await page.goto(ui('/nope'));
        await check('not found');
        // A confirmation sent after the session ended: told so at once, nothing refunded.
        await page.goto(ui(`/orders/${refundedOrder}/refund?amount=1`));
        await page.context().clearCookies();
        await page.click('form[data-refund-form] button[type=submit]');
        await page.waitForSelector('[data-refund-outcome][data-outcome="failed"]');
        expect(await page.textContent('[data-refund-outcome]')).toBe(
          locale === 'en'
            ? 'Your session has ended: sign in again.'
            : '工作階段已結束，請重新登入。',
        );
      },
      TIMEOUT,
    );
  }

  // The HTTP-level security bars; the backoff test is last (it slows every later sign-in).
  securitySuite(
    () => t,
    (text) => pages.push(text),
  );
}
