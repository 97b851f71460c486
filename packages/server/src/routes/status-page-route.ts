import { Hono } from 'hono';
import { html } from 'hono/html';
import { shopperLang } from '../domain/offer-texts.js';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';
import { shopperWords } from '../domain/shopper-messages.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { ItemLookup } from '../orders/price-order.js';
import { statusWords } from '../orders/status-words.js';
import type { OrderStore } from '../store/order-store.js';
import { ProblemError } from '../problem.js';

export interface StatusPageRouteDeps {
  store: Pick<OrderStore, 'getOrder'>;
  lookupItem: ItemLookup;
  publicUrl: string;
  /** The merchant's result page: its origin is the way back to the shop. */
  resultUrl: (orderId?: string) => string;
}

/** Seconds between the reloads of a page whose order is still pending. */
const REFRESH_S = 5;

/** No script, no style, no frame: the page is text and two links. */
const CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `GET /orders/:orderId/status`: the order's outcome as a page that needs no JavaScript, for a
 * shopper who paid through the no-script form (`/return` sends them here): the status in their
 * words, the order number and total, a reload every few seconds while it is pending, a new
 * attempt after a failure, and the way back to the shop. Reads only, like `GET /orders/:id`.
 */
export function statusPageRoute(deps: StatusPageRouteDeps): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/orders/:orderId/status', async function statusPage(c) {
    const orderId = c.req.param('orderId');
    const order = ORDER_ID_SHAPE.test(orderId) ? await deps.store.getOrder(orderId) : undefined;
    if (!order) throw new ProblemError('order_not_found', 'there is no such order');
    const lang = shopperLang(c.req.query('lang'), c.req.header('accept-language'));
    const left = order.status === 'pending' && c.req.query('returned') === 'unpaid';
    const item = await deps.lookupItem(order.itemId);
    const words = statusWords(order, lang, deps.publicUrl, item, left);
    const t = shopperWords(lang).page;
    const pending = order.status === 'pending';
    const message = words.message;
    const shop = `${new URL(deps.resultUrl()).origin}/`;
    c.header('content-security-policy', CSP);
    c.header('cache-control', 'no-store');
    return c.html(
      html`<!doctype html>
        <html lang="${lang}">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="color-scheme" content="light dark" />
            <meta name="referrer" content="no-referrer" />
            ${pending && !left ? html`<meta http-equiv="refresh" content="${REFRESH_S}" />` : ''}
            <title>${message}</title>
          </head>
          <body>
            <main>
              <h1 role="status">${message}</h1>
              <dl>
                <dt>${t.order}</dt>
                <dd><code>${order.orderId}</code></dd>
                <dt>${t.item}</dt>
                <dd>${order.title}</dd>
                <dt>${t.total}</dt>
                <dd>${words.total}</dd>
              </dl>
              ${pending && !left ? html`<p>${t.refresh}</p>` : ''}
              <p>
                ${words.again ? html`<a href="${words.again}">${words.retry}</a> · ` : ''}
                <a href="${shop}">${t.back}</a>
              </p>
            </main>
          </body>
        </html>`,
    );
  });
}
