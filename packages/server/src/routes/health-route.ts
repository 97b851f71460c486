import { Hono } from 'hono';
import type { ProxyEnv, ProxyRuntime } from '../proxy-runtime.js';

/** `GET /healthz`: 200 `{ok: true, store: "ok"}`, or 503 when the store cannot be reached. */
export function healthRoute(runtime: ProxyRuntime): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/healthz', async function health(c) {
    try {
      await runtime.store.ping();
      return c.json({ ok: true, store: 'ok' }, 200, { 'cache-control': 'no-store' });
    } catch {
      return c.json({ ok: false, store: 'unavailable' }, 503, { 'cache-control': 'no-store' });
    }
  });
}
