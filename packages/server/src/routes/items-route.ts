import { Hono } from 'hono';
import { ITEM_ID } from '../catalog/parse-catalog.js';
import { ProblemError } from '../problem.js';
import type { ProxyEnv, ProxyRuntime } from '../proxy-runtime.js';

/** `GET /items/:id`: the public facts of one catalog item. */
export function itemsRoute(runtime: ProxyRuntime): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/items/:id', async function getItem(c) {
    const id = c.req.param('id');
    const item = ITEM_ID.test(id) ? await runtime.lookupItem(id) : undefined;
    if (!item) throw new ProblemError('item_not_found', `there is no item "${id.slice(0, 64)}"`);
    c.header('cache-control', 'public, max-age=60');
    const { title, currency, wallets } = item;
    return item.kind === 'fixed'
      ? c.json({ id, title, currency, wallets, amount: item.amount })
      : c.json({ id, title, currency, wallets, min: item.min, max: item.max });
  });
}
