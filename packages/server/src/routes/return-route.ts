import { Hono, type Context } from 'hono';
import { reportMismatch, reportTransition } from '../orders/payment-result.js';
import type { ProxyEnv, ProxyRuntime } from '../proxy-runtime.js';
import { ORDER_ID_SHAPE } from './orders-route.js';

/**
 * `POST /return` (and `GET`): the buyer's browser coming back from the cashier. Confirms the
 * outcome with a signed payQuery, stores it, and always answers 303 to the result page:
 * an unknown order or an unreachable gateway still lands there (the page shows pending).
 */
export function returnRoute(runtime: ProxyRuntime): Hono<ProxyEnv> {
  async function handleReturn(c: Context<ProxyEnv>) {
    const orderId = await readPartnerOrderNo(c);
    if (orderId === undefined || !ORDER_ID_SHAPE.test(orderId)) {
      return c.redirect(runtime.resultUrl(), 303);
    }
    c.get('logFields').orderId = orderId;
    try {
      c.get('logFields').outcome = await confirm(runtime, orderId);
      if (c.get('logFields').outcome === 'applied') runtime.changed(c);
    } catch (error) {
      c.get('logFields').outcome = 'unconfirmed';
      c.get('logFields').reason =
        error instanceof Error ? `${error.name}: ${error.message}` : 'unknown';
    }
    return c.redirect(runtime.resultUrl(orderId), 303);
  }
  return new Hono<ProxyEnv>().post('/return', handleReturn).get('/return', handleReturn);
}

async function confirm(runtime: ProxyRuntime, orderId: string): Promise<string> {
  const order = await runtime.store.getOrder(orderId);
  if (!order) return 'unknown_order';
  if (
    order.status === 'paid' ||
    order.status === 'refunded' ||
    order.status === 'partially_refunded'
  ) {
    return 'already_final';
  }
  const report = await runtime.returnClient.queryPayment({ partnerOrderNo: orderId });
  const mismatch = reportMismatch(order, report);
  if (mismatch) {
    runtime.logger.warn('payQuery does not match the order', { orderId, mismatch });
    return 'mismatch';
  }
  const transition = reportTransition(order, report, runtime.clock());
  if (!transition) return 'not_final';
  const result = await runtime.store.transition(orderId, transition);
  return result.applied ? 'applied' : 'unchanged';
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
