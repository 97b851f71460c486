import { Hono } from 'hono';
import { ITEM_ID } from '../catalog/parse-catalog.js';
import { isCheckoutContext, offerWallets } from '../domain/checkout-context.js';
import { detectContext } from '../domain/detect-context.js';
import { isOfferLang, offerTexts } from '../domain/offer-texts.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { ItemLookup } from '../orders/price-order.js';
import { ProblemError } from '../problem.js';

export interface ItemsRouteDeps {
  lookupItem: ItemLookup;
}

/**
 * `GET /items/:id`: the public facts of one catalog item. With `?lang=` (the button sends it),
 * also the shopper's context (`?context=` when the page sets one, else read from the
 * User-Agent and `?coarse=1`), the offer for it: `wallets` filtered and ordered for it (README
 * "Routing"), and the texts the button shows there.
 */
export function itemsRoute(deps: ItemsRouteDeps): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/items/:id', async function getItem(c) {
    const id = c.req.param('id');
    const asked = c.req.query('context') || undefined;
    const lang = c.req.query('lang');
    if (asked !== undefined && !isCheckoutContext(asked)) {
      throw new ProblemError(
        'invalid_request',
        'context: desktop, mobile, wechat, alipay or social',
      );
    }
    if (lang !== undefined && !isOfferLang(lang)) {
      throw new ProblemError('invalid_request', 'lang: en, zh-HK or zh-CN');
    }
    const item = ITEM_ID.test(id) ? await deps.lookupItem(id) : undefined;
    if (!item) throw new ProblemError('item_not_found', `there is no item "${id.slice(0, 64)}"`);
    const { title, currency } = item;
    const price =
      item.kind === 'fixed' ? { amount: item.amount } : { min: item.min, max: item.max };
    if (lang === undefined && asked === undefined) {
      c.header('cache-control', 'public, max-age=60');
      return c.json({ id, title, currency, wallets: item.wallets, ...price });
    }
    // The answer depends on the browser: no shared cache may hand it to another.
    c.header('cache-control', 'private, max-age=60');
    c.header('vary', 'User-Agent');
    const context =
      asked ?? detectContext(c.req.header('user-agent') ?? '', c.req.query('coarse') === '1');
    const wallets = offerWallets(item.wallets, context);
    const texts = offerTexts(context, lang ?? 'en');
    // Inside WeChat the notice is about reaching Alipay: pointless when the item has no Alipay.
    if (context === 'wechat' && item.wallets.every((w) => w === 'Wechat')) delete texts.notice;
    return c.json({ id, title, currency, wallets, ...price, context, ...texts });
  });
}
