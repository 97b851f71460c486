import { createWebhookSecret } from '@scanforpay/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSuite } from './dashboard/dashboard-suite.js';
import { payOrder, startReceiver, type Receiver } from './dashboard/target.js';
import { createHarness, SHOP_ORIGIN, type Harness } from './helpers/harness.js';

/**
 * The merchant dashboard on the Node proxy (a real socket, SQLite, the real sandbox, a real
 * merchant endpoint) in headless Chromium. The same suite runs on the Worker in
 * dashboard-workers.test.ts.
 */
const TOKEN = 'dashboard-admin-token-0123456789abcdefghij';
let h: Harness;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver(createWebhookSecret());
  h = await createHarness({
    proxy: { adminToken: TOKEN, webhook: { url: receiver.url, secret: receiver.secret } },
  });
});
afterAll(async () => {
  await h?.close();
  await receiver?.close();
});

describe('the dashboard on Node', () => {
  dashboardSuite(
    () => ({
      base: h.proxyUrl,
      token: TOKEN,
      paidOrder: (reference) =>
        payOrder({ base: h.proxyUrl, sandboxUrl: h.sandbox!.url, origin: SHOP_ORIGIN, reference }),
      receiver,
      logs: () => h.logs,
      advance: (ms) => h.advance(ms),
    }),
    { axe: 'all' },
  );
});

describe('the dashboard without ADMIN_TOKEN', () => {
  it('is off: every path answers 404 like an unknown route', async () => {
    const off = await createHarness({ noSandbox: true });
    try {
      for (const [method, path] of [
        ['GET', '/admin'],
        ['GET', '/admin/ui/sign-in'],
        ['POST', '/admin/ui/sign-in'],
        ['GET', '/admin/ui/orders'],
        ['GET', '/admin/ui/assets/dashboard.js'],
      ] as const) {
        const response = await off.request(path, { method });
        expect(response.status, path).toBe(404);
        expect(await response.json()).toMatchObject({ code: 'not_found' });
      }
    } finally {
      await off.close();
    }
  });
});
