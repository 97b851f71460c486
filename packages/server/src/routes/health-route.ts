import { Hono } from 'hono';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { OrderStore } from '../store/order-store.js';

export interface HealthRouteDeps {
  store: Pick<OrderStore, 'ping'>;
}

/** `GET /healthz`: 200 `{ok: true, store: "ok"}`, or 503 when the store cannot be reached. */
export function healthRoute(deps: HealthRouteDeps): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/healthz', async function health(c) {
    try {
      await deps.store.ping();
      return c.json({ ok: true, store: 'ok' }, 200, { 'cache-control': 'no-store' });
    } catch {
      return c.json({ ok: false, store: 'unavailable' }, 503, { 'cache-control': 'no-store' });
    }
  });
}
