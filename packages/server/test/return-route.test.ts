import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Order } from '../src/domain/order.js';
import type { ProxyEnv } from '../src/middleware/proxy-env.js';
import type { CoalescedCheck } from '../src/orders/order-checker.js';
import { returnRoute, type ReturnRouteDeps } from '../src/routes/return-route.js';

/** The /return route alone, with plain deps: no store engine, no gateway, no runtime. */
const ORDER_ID = '01KQGP5G00ABCDEFGHJKMNPQRS';
const RESULT = 'https://shop.example/thanks';

function app(check: CoalescedCheck, status: Order['status'] = 'pending') {
  const changed: unknown[] = [];
  const checked: string[] = [];
  const deps: ReturnRouteDeps = {
    store: { getOrder: async (id) => ({ orderId: id, status }) as Order },
    resultUrl: (orderId) => (orderId ? `${RESULT}?order=${orderId}` : RESULT),
    publicUrl: 'https://pay.shop.example',
    clientKey: () => '203.0.113.7',
    returnLimiter: { hit: () => 0 },
    checker: {
      check: async (order) => {
        checked.push(order.orderId);
        return check;
      },
    },
    changed: (c) => changed.push(c),
  };
  const logged: Record<string, unknown>[] = [];
  const hono = new Hono<ProxyEnv>()
    .use(async (c, next) => {
      c.set('logFields', {});
      await next();
      logged.push(c.get('logFields'));
    })
    .route('/', returnRoute(deps));
  return { hono, changed, checked, logged };
}

describe('returnRoute', () => {
  describe('when the check settles the order', () => {
    it('redirects to the result page and wakes the outbox once', async () => {
      const { hono, changed, checked, logged } = app({
        outcome: 'settled',
        applied: true,
        order: undefined,
      });

      const res = await hono.request(`/return?partnerOrderNo=${ORDER_ID}`);

      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`${RESULT}?order=${ORDER_ID}`);
      expect(checked).toEqual([ORDER_ID]);
      expect(changed).toHaveLength(1);
      expect(logged).toEqual([{ orderId: ORDER_ID, outcome: 'applied' }]);
    });
  });

  describe('when the order is already paid', () => {
    it('redirects without asking the gateway', async () => {
      const { hono, checked, changed } = app({ outcome: 'unpaid' }, 'paid');

      const res = await hono.request(`/return?partnerOrderNo=${ORDER_ID}`, { method: 'POST' });

      expect(res.status).toBe(303);
      expect(checked).toEqual([]);
      expect(changed).toEqual([]);
    });
  });

  describe('when the order id is malformed', () => {
    it('redirects to the bare result page', async () => {
      const { hono, checked } = app({ outcome: 'unpaid' });

      const res = await hono.request('/return?partnerOrderNo=..%2Fadmin');

      expect(res.headers.get('location')).toBe(RESULT);
      expect(checked).toEqual([]);
    });
  });
});
