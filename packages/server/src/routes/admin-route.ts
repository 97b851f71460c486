import { Hono, type Context } from 'hono';
import { adminAuth } from '../middleware/admin-auth.js';
import type { Order } from '../domain/order.js';
import { AdminOrdersQuerySchema, parseRefundBody } from '../contract/admin-shapes.js';
import { readInput } from '../contract/requests.js';
import { refundOrder, type RefundOrderDeps } from '../orders/refund-order.js';
import { ProblemError } from '../problem.js';
import type { HashFn } from '@scanforpay/protocol';
import type { Logger } from '../logging/create-logger.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type {
  OrderStore,
  OutboxRecord,
  RefundRecord,
  StoredNotification,
} from '../store/order-store.js';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';

/** `GET /admin/orders`: a page of orders, newest first; `next` is the `before` of the next page. */
export interface AdminOrderPage {
  orders: Order[];
  next: string | null;
}

/** A merchant event as the admin sees it: the outbox row with its payload parsed. */
export type AdminEvent = Omit<OutboxRecord, 'payload'> & { payload: unknown };

/** `GET /admin/orders/:orderId`: everything the proxy knows about one order. */
export interface AdminOrderDetail {
  order: Order;
  refunds: RefundRecord[];
  events: AdminEvent[];
  notifications: StoredNotification[];
}

/** `GET /admin/webhook`. */
export type AdminWebhookState =
  { url: string; disabledAt: number | null; reason: string | null } | { url: null };

export interface AdminRouteDeps extends RefundOrderDeps {
  store: RefundOrderDeps['store'] &
    Pick<
      OrderStore,
      | 'listOrders'
      | 'listEvents'
      | 'listNotifications'
      | 'getEndpoint'
      | 'setEndpoint'
      | 'retryEventsNow'
    >;
  /** Admin routes are on when set. */
  adminToken: string | undefined;
  hash: HashFn;
  logger: Logger;
  /** The merchant webhook endpoint, when one is configured. */
  webhookUrl: string | undefined;
  /** An order or the outbox changed: deliver soon. */
  changed: (c: Context) => void;
}

const DEFAULT_LIMIT = 50;

/**
 * `/admin/*`: orders, refunds and the webhook's state, behind `Authorization: Bearer
 * <ADMIN_TOKEN>`. Without a token configured every admin path answers 404 like an unknown
 * route. No CORS and no origin guard: these are for the merchant's tools, not for pages.
 */
export function adminRoute(deps: AdminRouteDeps): Hono<ProxyEnv> {
  const app = new Hono<ProxyEnv>();
  const { store } = deps;
  app.use('/admin/*', adminAuth({ token: deps.adminToken, hash: deps.hash }));

  app.get('/admin/orders', async function listOrders(c) {
    const query = readInput(AdminOrdersQuerySchema, c.req.query());
    const { status, before } = query;
    const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
    const orders = await store.listOrders({
      limit,
      ...(status !== undefined ? { status } : {}),
      ...(before !== undefined ? { before } : {}),
    });
    const page: AdminOrderPage = {
      orders: orders.map(redactOrder),
      next: orders.length === limit ? orders[orders.length - 1]!.orderId : null,
    };
    return c.json(page, 200, { 'cache-control': 'no-store' });
  });

  app.get('/admin/orders/:orderId', async function showOrder(c) {
    const order = await findOrder(c.req.param('orderId'));
    const [refunds, events, notifications] = await Promise.all([
      store.listRefunds(order.orderId),
      store.listEvents(order.orderId),
      store.listNotifications(order.orderId),
    ]);
    const detail: AdminOrderDetail = {
      order: redactOrder(order),
      refunds: refunds.map(redactRefund),
      events: events.map((event) => ({ ...event, payload: parsePayload(event.payload) })),
      notifications: notifications.map((n) => ({
        ...n,
        rawBody: deps.redact(n.rawBody),
        reason: redactText(n.reason),
      })),
    };
    return c.json(detail, 200, { 'cache-control': 'no-store' });
  });

  app.post('/admin/orders/:orderId/refunds', async function refund(c) {
    const orderId = c.req.param('orderId');
    if (!ORDER_ID_SHAPE.test(orderId)) throw orderNotFound();
    c.get('logFields').orderId = orderId;
    const input = parseRefundBody(await c.req.text(), c.req.header('content-type'));
    const result = await refundOrder(deps, { orderId, ...input });
    c.get('logFields').refundNo = result.refund.refundNo;
    const headers = { 'cache-control': 'no-store' };
    if (result.outcome === 'pending') {
      return c.json(
        {
          refund: result.refund,
          detail: `the gateway has not decided refund ${result.refund.refundNo} yet: retry later with the same refundNo`,
        },
        202,
        headers,
      );
    }
    if (!result.replayed) deps.changed(c);
    return c.json(
      { refund: redactRefund(result.refund), order: redactOrder(result.order) },
      result.replayed ? 200 : 201,
      headers,
    );
  });

  app.get('/admin/webhook', async function webhookState(c) {
    return c.json(await webhookView(), 200, { 'cache-control': 'no-store' });
  });

  app.post('/admin/webhook/enable', async function enableWebhook(c) {
    const url = deps.webhookUrl;
    if (url === undefined) {
      throw new ProblemError(
        'webhook_not_configured',
        'no merchant webhook is configured (MERCHANT_WEBHOOK_URL)',
      );
    }
    await store.setEndpoint(url, null);
    // What waited while it was disabled goes out now, not at its next recheck.
    const due = await store.retryEventsNow(deps.clock());
    deps.logger.info('webhook endpoint enabled', { eventsDue: due });
    deps.changed(c);
    return c.json(await webhookView(), 200, { 'cache-control': 'no-store' });
  });

  // Gateway text is shown to the admin as it came, but never with one of the proxy's secrets.
  function redactText(text: string | null): string | null {
    return text === null ? null : deps.redact(text);
  }
  function redactOrder(order: Order): Order {
    return { ...order, failureMessage: redactText(order.failureMessage) };
  }
  function redactRefund(refund: RefundRecord): RefundRecord {
    return { ...refund, failureMessage: redactText(refund.failureMessage) };
  }

  async function findOrder(orderId: string): Promise<Order> {
    const order = ORDER_ID_SHAPE.test(orderId) ? await store.getOrder(orderId) : undefined;
    if (!order) throw orderNotFound();
    return order;
  }

  async function webhookView(): Promise<AdminWebhookState> {
    const url = deps.webhookUrl;
    if (url === undefined) return { url: null };
    const state = await store.getEndpoint(url);
    return { url, disabledAt: state?.disabledAt ?? null, reason: state?.reason ?? null };
  }

  return app;
}

function orderNotFound(): ProblemError {
  return new ProblemError('order_not_found', 'there is no such order');
}

function parsePayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
