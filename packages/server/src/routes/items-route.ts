import { Hono } from 'hono';
import { ITEM_ID } from '../catalog/parse-catalog.js';
import { isCheckoutContext, offerWallets } from '../domain/checkout-context.js';
import { isOfferLang, offerTexts } from '../domain/offer-texts.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { ItemLookup } from '../orders/price-order.js';
import { ProblemError } from '../problem.js';

export interface ItemsRouteDeps {
  lookupItem: ItemLookup;
}

/**
 * `GET /items/:id`: the public facts of one catalog item. With `?context=` (how the button
 * sees the shopper's device) and `?lang=`, also the offer for that context: `wallets` filtered
 * and ordered for it (README "Routing"), and the texts the button shows there.
 */
export function itemsRoute(deps: ItemsRouteDeps): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/items/:id', async function getItem(c) {
    const id = c.req.param('id');
    const context = c.req.query('context');
    const lang = c.req.query('lang') ?? 'en';
    if (context !== undefined && !isCheckoutContext(context)) {
      throw new ProblemError(
        'invalid_request',
        'context: desktop, mobile, wechat, alipay or social',
      );
    }
    if (!isOfferLang(lang)) throw new ProblemError('invalid_request', 'lang: en, zh-HK or zh-CN');
    const item = ITEM_ID.test(id) ? await deps.lookupItem(id) : undefined;
    if (!item) throw new ProblemError('item_not_found', `there is no item "${id.slice(0, 64)}"`);
    c.header('cache-control', 'public, max-age=60');
    const { title, currency } = item;
    const price =
      item.kind === 'fixed' ? { amount: item.amount } : { min: item.min, max: item.max };
    if (!context) return c.json({ id, title, currency, wallets: item.wallets, ...price });
    const wallets = offerWallets(item.wallets, context);
    const texts = offerTexts(context, lang);
    // Inside WeChat the notice is about reaching Alipay: pointless when the item has no Alipay.
    if (context === 'wechat' && item.wallets.every((w) => w === 'Wechat')) delete texts.notice;
    return c.json({ id, title, currency, wallets, ...price, context, ...texts });
  });
}
