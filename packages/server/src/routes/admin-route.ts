import { Hono } from 'hono';
import type { ProxyEnv, ProxyRuntime } from '../proxy-runtime.js';

/** `/admin/*`: filled in by the admin work (orders, refunds, webhook state). */
export function adminRoute(runtime: ProxyRuntime): Hono<ProxyEnv> {
  void runtime;
  return new Hono<ProxyEnv>();
}
