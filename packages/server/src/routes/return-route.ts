import { Hono, type Context } from 'hono';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';
import type { WindowCounter } from '../limits/window-counter.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { OrderChecker } from '../orders/order-checker.js';
import type { OrderStore } from '../store/order-store.js';
import type { Order } from '../domain/order.js';
import type { ProxyMetrics } from '../telemetry/proxy-metrics.js';

export interface ReturnRouteDeps {
  store: Pick<OrderStore, 'getOrder'>;
  /** The merchant's result page, for this order when known. */
  resultUrl: (orderId?: string) => string;
  /** This proxy's public base URL: its own status page serves no-script orders. */
  publicUrl: string;
  clientKey: (c: Context) => string;
  /** `/return` requests per minute per client that may cause a check. */
  returnLimiter: Pick<WindowCounter, 'hit'>;
  /** payQuery checks asked for by anonymous requests (coalesced, bounded). */
  checker: OrderChecker;
  /** An order changed and its event is in the outbox: deliver soon. */
  changed: (c: Context) => void;
  /** Counts each return with a known order id by outcome. */
  metrics?: Pick<ProxyMetrics, 'returned'> | undefined;
}

/**
 * `POST /return` (and `GET`): the buyer's browser coming back from the cashier. Confirms the
 * outcome with a signed payQuery, stores it, and always answers 303 to the result page:
 * an unknown order or an unreachable gateway still lands there (the page shows pending).
 * Anyone can send this request (an `<img>` tag can), so the payQuery is bounded: one in flight
 * and one per 10 s per order, `checksPerSecond` in all, `returnRateLimit` per client a minute;
 * past a bound the buyer is redirected all the same and the notification or reconciliation
 * settles the order.
 */
export function returnRoute(deps: ReturnRouteDeps): Hono<ProxyEnv> {
  async function handleReturn(c: Context<ProxyEnv>) {
    const orderId = await readPartnerOrderNo(c);
    if (orderId === undefined || !ORDER_ID_SHAPE.test(orderId)) {
      return c.redirect(deps.resultUrl(), 303);
    }
    c.get('logFields').orderId = orderId;
    let order: Order | undefined;
    try {
      order = await deps.store.getOrder(orderId);
      c.get('logFields').outcome = await confirm(deps, order, deps.clientKey(c));
      if (c.get('logFields').outcome === 'applied') deps.changed(c);
    } catch (error) {
      c.get('logFields').outcome = 'unconfirmed';
      c.get('logFields').reason =
        error instanceof Error ? `${error.name}: ${error.message}` : 'unknown';
    }
    deps.metrics?.returned(String(c.get('logFields').outcome));
    // An order placed through the no-script form (its returnUrl says `via=form`) comes back to
    // the proxy's own status page, which needs no JavaScript; the others to the merchant's page.
    const result = new URL(
      order && c.req.query('via') === 'form'
        ? `${deps.publicUrl}/orders/${orderId}/status`
        : deps.resultUrl(orderId),
    );
    // The gateway says the order is still to be paid: the shopper left the cashier without
    // paying (a cancel). The result page says so and offers a new attempt.
    if (c.get('logFields').outcome === 'not_final') result.searchParams.set('returned', 'unpaid');
    return c.redirect(result.href, 303);
  }
  return new Hono<ProxyEnv>().post('/return', handleReturn).get('/return', handleReturn);
}

/** Asks the gateway about a returning buyer's order, within the checker's and the client's bounds. */
async function confirm(
  deps: ReturnRouteDeps,
  order: Order | undefined,
  client: string,
): Promise<string> {
  if (!order) return 'unknown_order';
  if (
    order.status === 'paid' ||
    order.status === 'refunded' ||
    order.status === 'partially_refunded'
  ) {
    return 'already_final';
  }
  if (deps.returnLimiter.hit(client) > 0) return 'rate_limited';
  const result = await deps.checker.check(order);
  switch (result.outcome) {
    case 'settled':
    case 'expired':
      return result.applied ? 'applied' : 'unchanged';
    case 'skipped':
      return `skipped_${result.reason}`;
    case 'unpaid':
      return 'not_final';
    default:
      return result.outcome;
  }
}

async function readPartnerOrderNo(c: Context<ProxyEnv>): Promise<string | undefined> {
  const fromQuery = c.req.query('partnerOrderNo');
  if (c.req.method !== 'POST') return fromQuery;
  try {
    const type = c.req.header('content-type') ?? '';
    if (/json/i.test(type)) {
      const body: unknown = JSON.parse(await c.req.text());
      const value =
        typeof body === 'object' && body !== null
          ? (body as Record<string, unknown>).partnerOrderNo
          : undefined;
      return typeof value === 'string' ? value : fromQuery;
    }
    if (/form/i.test(type)) {
      const value = (await c.req.parseBody()).partnerOrderNo;
      return typeof value === 'string' ? value : fromQuery;
    }
  } catch {
    // An unreadable body still lands on the result page.
  }
  return fromQuery;
}
