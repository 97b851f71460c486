import type { HashFn } from '@scanforpay/protocol';
import { Hono } from 'hono';
import { adminAuth } from '../middleware/admin-auth.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';

/** The Prometheus text exposition format's media type. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsRouteDeps {
  /** The scrape: `GET /metrics` with `Authorization: Bearer <token>`. */
  metricsEndpoint: { token: string; scrape: () => Promise<string> };
  hash: HashFn;
}

/**
 * `GET /metrics`: the Prometheus exposition of the proxy's metrics, behind its own bearer token
 * (hashed and compared in constant time, as the admin token is); a missing or wrong token is a
 * 401 problem. Mounted only when a scrape is configured; otherwise `/metrics` does not exist.
 */
export function metricsRoute(deps: MetricsRouteDeps): Hono<ProxyEnv> {
  const { token, scrape } = deps.metricsEndpoint;
  const guard = adminAuth({
    token,
    hash: deps.hash,
    names: { label: 'metrics', variable: 'METRICS_TOKEN' },
  });
  return new Hono<ProxyEnv>().get('/metrics', guard, async function metrics(c) {
    return c.body(await scrape(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
  });
}
