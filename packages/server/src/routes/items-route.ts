import { Hono } from 'hono';
import { ITEM_ID } from '../catalog/parse-catalog.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { ItemLookup } from '../orders/price-order.js';
import { ProblemError } from '../problem.js';

export interface ItemsRouteDeps {
  lookupItem: ItemLookup;
}

/** `GET /items/:id`: the public facts of one catalog item. */
export function itemsRoute(deps: ItemsRouteDeps): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/items/:id', async function getItem(c) {
    const id = c.req.param('id');
    const item = ITEM_ID.test(id) ? await deps.lookupItem(id) : undefined;
    if (!item) throw new ProblemError('item_not_found', `there is no item "${id.slice(0, 64)}"`);
    c.header('cache-control', 'public, max-age=60');
    const { title, currency, wallets } = item;
    return item.kind === 'fixed'
      ? c.json({ id, title, currency, wallets, amount: item.amount })
      : c.json({ id, title, currency, wallets, min: item.min, max: item.max });
  });
}
