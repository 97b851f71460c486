import { beforeAll, expect, it } from 'vitest';
import type { DashboardTarget } from './target.js';

/** Generous: a loaded CI machine is slow; nothing here waits on a timer of its own. */
const TIMEOUT = 120_000;

/**
 * The dashboard's security bars over plain HTTP (no browser): no page or action without a
 * session, CSRF, the cookie's attributes, the backoff after wrong tokens. `keep` receives every
 * page body, for the file's check that the token is in none of them.
 */
export function securitySuite(
  getTarget: () => DashboardTarget,
  keep: (text: string) => void,
): void {
  const ui = (path: string) => `${getTarget().base}/admin/ui${path}`;
  let t: DashboardTarget;
  beforeAll(() => {
    t = getTarget();
  });

  it(
    'answers no page and no action without a valid session',
    async () => {
      const orderId = await t.paidOrder(`guard-${Date.now().toString(36)}`);
      for (const path of [
        '/orders',
        `/orders/${orderId}`,
        `/orders/${orderId}/refund?amount=1`,
        '/orders.csv',
        '/webhook',
        '/webhook/state.json',
      ]) {
        for (const cookie of [
          undefined,
          'sfp_admin=v1.00000000000000000000000000000000.99999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        ]) {
          const response = await fetch(ui(path), {
            redirect: 'manual',
            headers: cookie ? { cookie } : {},
          });
          expect(response.status, path).toBe(303);
          expect(response.headers.get('location')).toBe('/admin/ui/sign-in');
          expect(response.headers.get('cache-control')).toBe('no-store');
        }
      }
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      for (const [path, body] of [
        [`/orders/${orderId}/refund`, 'amount=100&refundNo=forged1'],
        ['/webhook/enable', ''],
        ['/webhook/resend', 'eventId=x'],
        ['/webhook/test', ''],
        ['/sign-out', ''],
      ] as const) {
        const response = await fetch(ui(path), {
          method: 'POST',
          headers: form,
          body,
          redirect: 'manual',
        });
        expect(response.status, path).toBe(401);
        keep(await response.text());
      }
      expect(await orderStatus(orderId)).toBe('paid');
    },
    TIMEOUT,
  );

  it(
    'refuses a forged, missing, cross-site or replayed CSRF token, and takes the right one',
    async () => {
      const orderId = await t.paidOrder(`csrf-${Date.now().toString(36)}`);
      const a = await fetchSession();
      const b = await fetchSession();
      expect(a.csrf).not.toBe(b.csrf);
      const refund = (
        session: { cookie: string },
        token: string | undefined,
        headers: Record<string, string> = {},
      ) =>
        fetch(ui(`/orders/${orderId}/refund`), {
          method: 'POST',
          redirect: 'manual',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
            cookie: session.cookie,
            ...headers,
          },
          body: `amount=100&refundNo=csrf${orderId.slice(-8)}${token === undefined ? '' : `&_csrf=${encodeURIComponent(token)}`}`,
        });
      for (const [why, response] of [
        ['missing', await refund(b, undefined)],
        ['forged', await refund(b, 'A'.repeat(43))],
        ['replayed from another session', await refund(b, a.csrf)],
        ['cross-site', await refund(b, b.csrf, { origin: 'https://evil.example' })],
      ] as const) {
        expect(response.status, why).toBe(403);
        keep(await response.text());
      }
      expect(await orderStatus(orderId)).toBe('paid');
      const done = await refund(b, b.csrf);
      expect(done.status).toBe(200);
      expect(await done.json()).toMatchObject({
        outcome: 'succeeded',
        status: 'partially_refunded',
      });
    },
    TIMEOUT,
  );

  it(
    'sets a HttpOnly, SameSite=Strict session cookie on /admin that a rotated token would not open',
    async () => {
      const response = await signInRequest(t.token);
      expect(response.status).toBe(303);
      const cookie = response.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^sfp_admin=v1\.[0-9a-f]{32}\.\d+\.[A-Za-z0-9_-]{43}; /);
      expect(cookie).toContain('Path=/admin');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toMatch(/Expires=/);
      expect(cookie).not.toContain('Secure'); // http here; https public URLs get Secure
      // Altered by one character: refused.
      const value = cookie.split(';')[0]!;
      const at = value.length - 10;
      const altered = value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
      const refused = await fetch(ui('/orders'), {
        redirect: 'manual',
        headers: { cookie: altered },
      });
      expect(refused.status).toBe(303);
      const taken = await fetch(ui('/orders'), { redirect: 'manual', headers: { cookie: value } });
      expect(taken.status).toBe(200);
    },
    TIMEOUT,
  );

  // Last: the wrong tokens slow every later sign-in from this client.
  it(
    'slows the next sign-in after ten wrong tokens',
    async () => {
      for (let i = 0; i < 10; i++) {
        const wrong = await signInRequest(`wrong-token-${i}-${'y'.repeat(32)}`);
        expect(wrong.status).toBe(401);
        keep(await wrong.text());
      }
      // Refused unchecked, even with the right token, until the wait is over.
      const slowed = await signInRequest(t.token);
      expect(slowed.status).toBe(429);
      expect(slowed.headers.get('retry-after')).toBe('1');
      expect(slowed.headers.get('set-cookie')).toBeNull();
      const text = await slowed.text();
      expect(text).toContain('try again in 1 s');
      keep(text);
      if (t.advance) {
        t.advance(1000);
        expect((await signInRequest(t.token)).status).toBe(303);
      }
    },
    TIMEOUT,
  );

  async function signInRequest(token: string): Promise<Response> {
    return fetch(ui('/sign-in'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token)}`,
    });
  }

  async function fetchSession(): Promise<{ cookie: string; csrf: string }> {
    const response = await signInRequest(t.token);
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(ui('/webhook'), { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    return { cookie, csrf };
  }

  async function orderStatus(orderId: string): Promise<string> {
    return ((await (await fetch(`${t.base}/orders/${orderId}`)).json()) as { status: string })
      .status;
  }
}
