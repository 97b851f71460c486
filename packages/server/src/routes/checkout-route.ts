import { Hono } from 'hono';
import { parseOrderForm } from '../orders/parse-order-request.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { placeOrder, type PlaceOrderDeps } from '../orders/place-order.js';
import { ProblemError } from '../problem.js';
import type { OfferLang } from '../domain/offer-texts.js';
import { shopperWords } from '../domain/shopper-messages.js';

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
    // The way back from the cashier says the order came from a form: the shopper may have no
    // JavaScript, so `/return` shows the proxy's own status page instead of the merchant's.
    const created = await placeOrder(
      { ...deps, returnUrl: `${deps.returnUrl}?via=form` },
      parseOrderForm(form),
    );
    c.get('logFields').orderId = created.orderId;
    return c.redirect(created.payUrl, 303);
  });
}

/** The HTML shown when a form checkout fails: the shopper's words and the way back. */
export function checkoutErrorPage(
  lang: OfferLang,
  status: number,
  code: string,
  message: string,
  back: string | undefined,
): string {
  const t = shopperWords(lang).page;
  const link = back ? `<p><a href="${escapeHtml(back)}">${escapeHtml(t.back)}</a></p>` : '';
  return (
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(t.unstarted)}</title></head><body>` +
    `<h1>${escapeHtml(t.unstarted)}</h1><p>${escapeHtml(message)}</p>${link}` +
    `<p><small>${status} ${escapeHtml(code)}</small></p></body></html>`
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
