import { Hono } from 'hono';
import { ITEM_ID } from '../catalog/parse-catalog.js';
import { offerWallets, type CheckoutContext } from '../domain/checkout-context.js';
import { ItemQuerySchema, readInput } from '../contract/requests.js';
import { detectContext } from '../domain/detect-context.js';
import { WALLETS, type Wallet } from '@scanforpay/protocol';
import type { CatalogItem } from '../catalog/parse-catalog.js';
import { currencyDigits, money } from '../domain/money.js';
import { OFFER_CSS } from '../domain/offer-styles.js';
import { offerTexts, type OfferTexts } from '../domain/offer-texts.js';
import { shopperWords } from '../domain/shopper-messages.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { ItemLookup } from '../orders/price-order.js';
import { ProblemError } from '../problem.js';

export interface ItemsRouteDeps {
  lookupItem: ItemLookup;
  /** Named in an unknown item's problem, when the proxy lists its items (README "Diagnostics"). */
  catalogIds?: readonly string[];
}

/**
 * `GET /items/:id`: the public facts of one catalog item. With `?lang=` (the button sends it),
 * also the shopper's context (`?context=` when the page sets one, else read from the
 * User-Agent and `?coarse=1`), the offer for it: `wallets` filtered and ordered for it (README
 * "Routing"), and the texts the button shows there.
 */
export function itemsRoute(deps: ItemsRouteDeps): Hono<ProxyEnv> {
  const app = new Hono<ProxyEnv>();
  // A button without an item asks for `/items/`: the merchant reads why in the console.
  app.get('/items/', function noItem() {
    throw new ProblemError('item_not_found', `no item id: set item="…"${listed(deps)}`);
  });
  return app.get('/items/:id', async function getItem(c) {
    const id = c.req.param('id');
    const query = readInput(ItemQuerySchema, c.req.query());
    const asked = query.context || undefined;
    const lang = query.lang;
    const item = ITEM_ID.test(id) ? await deps.lookupItem(id) : undefined;
    if (!item) {
      throw new ProblemError(
        'item_not_found',
        `there is no item "${id.slice(0, 64)}"${listed(deps)}`,
      );
    }
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
    const context = asked ?? detectContext(c.req.header('user-agent') ?? '', query.coarse === '1');
    // The page's own `wallets` and `amount` attributes, checked here to keep the words out of
    // the shopper's script: the button prints `warnings` in the console.
    const { wallets, warnings } = pageChoices(item, context, query.wallets);
    const amountText = query.amount;
    if (amountText && !/^\d+$/.test(amountText)) {
      warnings.push(
        `amount="${amountText.slice(0, 32)}": write a whole number of minor units (cents), e.g. amount="2500" for 25.00`,
      );
    }
    const texts: OfferTexts & { range?: string } = offerTexts(context, lang ?? 'en');
    // An open amount: the bounds in the shopper's words, shown with the amount field.
    if (item.kind !== 'fixed') {
      const show = (minor: number) => money(lang ?? 'en', minor, currency);
      texts.range = shopperWords(lang ?? 'en').range(show(item.min), show(item.max));
    }
    // Inside WeChat the notice is about reaching Alipay: pointless when the item has no Alipay.
    if (context === 'wechat' && item.wallets.every((w) => w === 'Wechat')) delete texts.notice;
    const digits = currencyDigits(currency);
    return c.json({
      id,
      title,
      currency,
      digits,
      wallets,
      ...price,
      context,
      ...texts,
      warnings,
      css: OFFER_CSS,
    });
  });
}

function listed(deps: ItemsRouteDeps): string {
  const ids = deps.catalogIds;
  return ids?.length ? `; items: ${ids.slice(0, 20).join(', ')}` : '';
}

/**
 * The wallets to offer: the context's, narrowed by the page's `wallets` attribute (as sent, comma
 * or space separated). Names the item does not take are a warning; none left is an error.
 */
function pageChoices(
  item: CatalogItem,
  context: CheckoutContext,
  asked: string | undefined,
): { wallets: Wallet[]; warnings: string[] } {
  const offered = offerWallets(item.wallets, context);
  if (!asked) return { wallets: offered, warnings: [] };
  const names = asked.split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((name) => !offered.includes(name as Wallet));
  const wallets = offered.filter((w) => names.includes(w));
  const why =
    `wallets="${asked.slice(0, 64)}": item "${item.id}" offers ${offered.join(', ')} here` +
    (unknown.some((name) =>
      WALLETS.some((w) => w !== name && w.toLowerCase() === name.toLowerCase()),
    )
      ? ' (names are case-sensitive: Alipay, AlipayHK, Wechat)'
      : '');
  if (wallets.length === 0) throw new ProblemError('wallet_not_allowed', why);
  return { wallets, warnings: unknown.length ? [why] : [] };
}
