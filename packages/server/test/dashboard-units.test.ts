import { nodeSha256 } from '@scanforpay/protocol/node';
import { describe, expect, it } from 'vitest';
import { csvRow } from '../src/dashboard/orders-csv.js';
import { majorUnits, parseDay, parseMajorUnits } from '../src/dashboard/format.js';
import { pickLocale } from '../src/dashboard/messages.js';
import { sessionKeys, SESSION_TTL_MS } from '../src/dashboard/session.js';
import { FREE_ATTEMPTS, signInBackoff } from '../src/dashboard/sign-in-backoff.js';
import type { Order } from '../src/domain/order.js';
import { createHarness } from './helpers/harness.js';

/** The dashboard's parts that need no browser: sessions, the backoff, money, CSV, cookies. */
const TOKEN = 'units-admin-token-0123456789abcdefghijklmn';

describe('sessions', () => {
  it('opens its own cookie until it expires; not an altered one, nor one signed with an old token', async () => {
    const keys = sessionKeys(TOKEN);
    const { session, cookie } = await keys.issue(1_000);
    expect(session.expiresAt).toBe(1_000 + SESSION_TTL_MS);
    expect(await keys.open(cookie, 1_001)).toEqual(session);
    expect(await keys.open(cookie, session.expiresAt)).toBeUndefined();
    const longer = cookie.replace(`.${session.expiresAt}.`, `.${session.expiresAt + 1}.`);
    expect(await keys.open(longer, 1_001)).toBeUndefined();
    // Every other spelling of the same signature bytes is refused too.
    const last = cookie.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const other of alphabet.replace(last, '')) {
      expect(await keys.open(cookie.slice(0, -1) + other, 1_001)).toBeUndefined();
    }
    expect(await keys.open(undefined, 1_001)).toBeUndefined();
    expect(await keys.open('v1.x', 1_001)).toBeUndefined();
    // Rotating ADMIN_TOKEN ends every session.
    expect(await sessionKeys(`${TOKEN}-rotated`).open(cookie, 1_001)).toBeUndefined();
  });

  it('takes a CSRF token only with the session it was made for', async () => {
    const keys = sessionKeys(TOKEN);
    const a = (await keys.issue(0)).session;
    const b = (await keys.issue(0)).session;
    const token = await keys.csrfToken(a);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await keys.checkCsrf(a, token)).toBe(true);
    expect(await keys.checkCsrf(b, token)).toBe(false);
    expect(await keys.checkCsrf(a, undefined)).toBe(false);
    expect(await keys.checkCsrf(a, 'A'.repeat(43))).toBe(false);
    expect(await keys.checkCsrf(a, 'not base64!')).toBe(false);
  });
});

describe('sign-in backoff', () => {
  it(`lets ${FREE_ATTEMPTS} wrong tokens through, then doubles the wait per wrong token, up to 15 minutes`, () => {
    let now = 0;
    const backoff = signInBackoff(() => now);
    for (let i = 0; i < FREE_ATTEMPTS; i++) {
      expect(backoff.waitMs('a')).toBe(0);
      backoff.failed('a');
    }
    expect(backoff.waitMs('a')).toBe(1000);
    expect(backoff.waitMs('b')).toBe(0);
    now += 1000;
    expect(backoff.waitMs('a')).toBe(0);
    backoff.failed('a');
    expect(backoff.waitMs('a')).toBe(2000);
    for (let i = 0; i < 20; i++) backoff.failed('a');
    expect(backoff.waitMs('a')).toBe(15 * 60 * 1000);
    backoff.succeeded('a');
    expect(backoff.waitMs('a')).toBe(0);
  });
});

describe('money and dates', () => {
  it('reads major units exactly, with no more decimals than the currency has', () => {
    expect(parseMajorUnits('12.3', 'HKD')).toBe(1230);
    expect(parseMajorUnits('0.07', 'HKD')).toBe(7);
    expect(parseMajorUnits('1,234.56', 'HKD')).toBe(123456);
    expect(parseMajorUnits(' 199 ', 'CNY')).toBe(19900);
    expect(parseMajorUnits('500', 'JPY')).toBe(500);
    for (const bad of ['', '0', '0.00', '-1', '1.234', '1e3', 'abc', '.5.', '1.5']) {
      expect(parseMajorUnits(bad, bad === '1.5' ? 'JPY' : 'HKD'), bad).toBeUndefined();
    }
    expect(majorUnits(1230, 'HKD')).toBe('12.30');
    expect(majorUnits(5, 'HKD')).toBe('0.05');
    expect(majorUnits(500, 'JPY')).toBe('500');
  });

  it('reads a UTC day', () => {
    expect(parseDay('2026-12-02')).toBe(Date.UTC(2026, 11, 2));
    expect(parseDay('2026-02-30')).toBeUndefined();
    expect(parseDay('2026-2-3')).toBeUndefined();
  });

  it('picks the language from ?lang=, the cookie, then Accept-Language', () => {
    expect(pickLocale(undefined, undefined, 'zh-HK,zh;q=0.9')).toBe('zh-HK');
    expect(pickLocale(undefined, undefined, 'zh-TW')).toBe('zh-HK');
    expect(pickLocale(undefined, undefined, 'fr, en;q=0.5')).toBe('en');
    expect(pickLocale(undefined, 'zh-HK', 'en')).toBe('zh-HK');
    expect(pickLocale('en', 'zh-HK', 'zh')).toBe('en');
    expect(pickLocale('xx', undefined, undefined)).toBe('en');
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    const order = {
      orderId: 'O1',
      createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      status: 'paid',
      currency: 'HKD',
      amount: 19900,
      refundedAmount: 0,
      wallet: 'AlipayHK',
      itemId: 'tee',
      title: 'Tee, "red"',
      quantity: 1,
      reference: '=HYPERLINK("x")',
      gatewayOrderNo: null,
      paidAt: null,
    } as unknown as Order;
    expect(csvRow(order)).toBe(
      'O1,2026-01-02T03:04:05.000Z,paid,HKD,199.00,0.00,AlipayHK,tee,"Tee, ""red""",1,"\'=HYPERLINK(""x"")",,\r\n',
    );
  });
});

describe('the cookie behind an https public URL with a path', () => {
  it('is Secure, scoped to that path, and the links carry it', async () => {
    const h = await createHarness({
      noSandbox: true,
      proxy: { adminToken: TOKEN, publicUrl: 'https://pay.example/shop', hash: nodeSha256 },
    });
    try {
      const page = await (await h.request('/admin/ui/sign-in')).text();
      expect(page).toContain('action="/shop/admin/ui/sign-in"');
      expect(page).toContain('href="/shop/admin/ui/assets/dashboard.css"');
      const response = await h.request('/admin/ui/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${TOKEN}`,
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/shop/admin/ui/orders');
      const cookie = response.headers.get('set-cookie')!;
      expect(cookie).toContain('Path=/shop/admin');
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
    } finally {
      await h.close();
    }
  });
});

describe('escaping', () => {
  it('shows what the shop and the gateway wrote as text, never as markup', async () => {
    const { orderPage } = await import('../src/dashboard/order-detail.js');
    const { translator } = await import('../src/dashboard/messages.js');
    const evil = '"><img src=x onerror=alert(1)>';
    const order = {
      orderId: 'O1',
      itemId: 'tee',
      title: evil,
      amount: 19900,
      currency: 'HKD',
      wallet: 'AlipayHK',
      quantity: 1,
      reference: evil,
      status: 'paid',
      gatewayOrderNo: null,
      payUrl: null,
      failureCode: null,
      failureMessage: null,
      createdAt: 0,
      expiresAt: 0,
      paidAt: 0,
      refundedAmount: 0,
      updatedAt: 0,
      checks: 0,
      nextCheckAt: null,
    } as Order;
    const page = {
      locale: 'en' as const,
      t: translator('en'),
      base: '/admin/ui',
      here: new URL(`http://proxy.test/admin/ui/orders/O1?x=${encodeURIComponent(evil)}`),
      csrf: 'token',
    };
    const text = String(
      await orderPage(page, {
        order,
        refunds: [],
        events: [],
        notifications: [
          {
            id: 1,
            orderId: 'O1',
            dedupeKey: null,
            rawBody: '',
            verified: false,
            outcome: 'rejected',
            reason: evil,
            receivedAt: 0,
          },
        ],
      }),
    );
    expect(text).not.toContain('<img');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
