import { Hono } from 'hono';
import { parseOrderForm } from '../orders/parse-order-request.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { placeOrder, type PlaceOrderDeps } from '../orders/place-order.js';
import { ProblemError } from '../problem.js';

const FORM = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * `POST /checkout`: the no-JavaScript form path. Success is a 303 to the gateway's `payUrl`;
 * errors are a small HTML page (with the problem's status) linking back to the shop.
 */
export function checkoutRoute(deps: PlaceOrderDeps): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().post('/checkout', async function checkout(c) {
    if (!FORM.test(c.req.header('content-type') ?? '')) {
      throw new ProblemError('unsupported_media_type', 'send the order as an HTML form');
    }
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw new ProblemError('invalid_request', 'the form could not be read');
    }
    const created = await placeOrder(deps, parseOrderForm(form));
    c.get('logFields').orderId = created.orderId;
    return c.redirect(created.payUrl, 303);
  });
}

/** The HTML shown when a form checkout fails. */
export function checkoutErrorPage(
  status: number,
  title: string,
  detail: string,
  back: string | undefined,
): string {
  const link = back ? `<p><a href="${escapeHtml(back)}">Back to the shop</a></p>` : '';
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title></head><body>` +
    `<h1>The payment could not be started</h1><p>${escapeHtml(detail)}</p>${link}` +
    `<p><small>${status} ${escapeHtml(title)}</small></p></body></html>`
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
