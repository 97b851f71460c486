import { Hono } from 'hono';
import { ProblemError } from '../problem.js';
import type { ProxyEnv, ProxyRuntime } from '../proxy-runtime.js';

/** `GET /scanforpay-button.js`: the button's script-tag bundle, first-party and cacheable. */
export function buttonScriptRoute(runtime: ProxyRuntime): Hono<ProxyEnv> {
  let cached: { source: string | Uint8Array; etag: string } | undefined;
  return new Hono<ProxyEnv>().get('/scanforpay-button.js', async function buttonScript(c) {
    const source = await runtime.buttonScript();
    if (source === undefined) {
      throw new ProblemError(
        'not_found',
        'the button bundle is not built: run pnpm --filter @scanforpay/button build',
      );
    }
    if (cached?.source !== source) {
      const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
      cached = { source, etag: `"${(await runtime.hash(text)).slice(0, 32)}"` };
    }
    const headers = {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      etag: cached.etag,
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
    };
    if (c.req.header('if-none-match') === cached.etag) return c.body(null, 304, headers);
    const body = typeof source === 'string' ? source : new Uint8Array(source).buffer;
    return c.body(body, 200, headers);
  });
}
