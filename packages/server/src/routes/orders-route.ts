import { Hono, type Context } from 'hono';
import { toPublicOrder } from '../domain/order.js';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { OrderChecker } from '../orders/order-checker.js';
import { parseOrderRequest } from '../orders/parse-order-request.js';
import { placeOrder, type PlaceOrderDeps } from '../orders/place-order.js';
import { ProblemError } from '../problem.js';
import { IdempotencyKeySchema, OrderQuerySchema, readInput } from '../contract/requests.js';
import { statusWords } from '../orders/status-words.js';

export interface OrdersRouteDeps extends PlaceOrderDeps {
  /** This proxy's public base URL: the "try again" link goes to its pay page. */
  publicUrl: string;
  /** payQuery checks of a pending order read past its time (coalesced, bounded). */
  checker: OrderChecker;
  /** An order changed and its event is in the outbox: deliver soon. */
  changed: (c: Context) => void;
}

/** `POST /orders` and `GET /orders/:orderId`. Rate limit and origin guard are mounted by the caller. */
export function ordersRoute(deps: OrdersRouteDeps): Hono<ProxyEnv> {
  const app = new Hono<ProxyEnv>();

  app.post('/orders', async function createOrder(c) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
      throw new ProblemError('unsupported_media_type', 'send the order as application/json');
    }
    const key = c.req.header('idempotency-key');
    if (key !== undefined) readInput(IdempotencyKeySchema, key);
    let json: unknown;
    try {
      json = JSON.parse(await c.req.text());
    } catch {
      throw new ProblemError('invalid_request', 'the body is not valid JSON');
    }
    const created = await placeOrder(deps, parseOrderRequest(json), key);
    c.get('logFields').orderId = created.orderId;
    return c.json(created, 201, { 'cache-control': 'no-store' });
  });

  // A result page without `?order=` asks for `/orders/`: the merchant reads why in the console.
  app.get('/orders/', function noOrder() {
    throw new ProblemError(
      'order_not_found',
      'no order id: the result page needs ?order=… (the proxy adds it on the way back) or order="…"',
    );
  });

  app.get('/orders/:orderId', async function getOrder(c) {
    const orderId = c.req.param('orderId');
    let order = ORDER_ID_SHAPE.test(orderId) ? await deps.store.getOrder(orderId) : undefined;
    if (!order) throw new ProblemError('order_not_found', 'there is no such order');
    // Past its time, a pending order is asked about (coalesced, bounded), never expired on the
    // clock alone: a buyer who paid at the last minute and whose notification is late sees paid.
    if (order.status === 'pending' && order.expiresAt <= deps.clock()) {
      const result = await deps.checker.check(order);
      if ((result.outcome === 'settled' || result.outcome === 'expired') && result.order) {
        if (result.applied) deps.changed(c);
        order = result.order;
      }
    }
    const { lang, returned } = readInput(OrderQuerySchema, c.req.query());
    if (lang === undefined)
      return c.json(toPublicOrder(order), 200, { 'cache-control': 'no-store' });
    const item = await deps.lookupItem(order.itemId);
    const left = returned === 'unpaid';
    const words = statusWords(order, lang, deps.publicUrl, item, left);
    const view = { ...toPublicOrder(order), ...words };
    return c.json(view, 200, { 'cache-control': 'no-store' });
  });

  return app;
}
