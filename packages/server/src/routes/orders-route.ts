import { Hono } from 'hono';
import { toPublicOrder } from '../domain/order.js';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';
import { parseOrderRequest } from '../orders/parse-order-request.js';
import { placeOrder } from '../orders/place-order.js';
import { ProblemError } from '../problem.js';
import type { ProxyEnv, ProxyRuntime } from '../proxy-runtime.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** `POST /orders` and `GET /orders/:orderId`. Rate limit and origin guard are mounted by the caller. */
export function ordersRoute(runtime: ProxyRuntime): Hono<ProxyEnv> {
  const app = new Hono<ProxyEnv>();

  app.post('/orders', async function createOrder(c) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
      throw new ProblemError('unsupported_media_type', 'send the order as application/json');
    }
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new ProblemError('invalid_request', 'Idempotency-Key: 1-255 visible ASCII characters');
    }
    let json: unknown;
    try {
      json = JSON.parse(await c.req.text());
    } catch {
      throw new ProblemError('invalid_request', 'the body is not valid JSON');
    }
    const created = await placeOrder(runtime, parseOrderRequest(json), key);
    c.get('logFields').orderId = created.orderId;
    return c.json(created, 201, { 'cache-control': 'no-store' });
  });

  app.get('/orders/:orderId', async function getOrder(c) {
    const orderId = c.req.param('orderId');
    let order = ORDER_ID_SHAPE.test(orderId) ? await runtime.store.getOrder(orderId) : undefined;
    if (!order) throw new ProblemError('order_not_found', 'there is no such order');
    // Past its time, a pending order is asked about (coalesced, bounded), never expired on the
    // clock alone: a buyer who paid at the last minute and whose notification is late sees paid.
    if (order.status === 'pending' && order.expiresAt <= runtime.clock()) {
      const result = await runtime.checker.check(order);
      if ((result.outcome === 'settled' || result.outcome === 'expired') && result.order) {
        if (result.applied) runtime.changed(c);
        order = result.order;
      }
    }
    return c.json(toPublicOrder(order), 200, { 'cache-control': 'no-store' });
  });

  return app;
}
