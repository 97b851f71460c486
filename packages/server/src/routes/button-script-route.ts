import type { HashFn } from '@scanforpay/protocol';
import { Hono } from 'hono';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { ProblemError } from '../problem.js';

export interface ButtonScriptRouteDeps {
  /** The bundle's text, or undefined when it is not built. */
  buttonScript: () => Promise<string | Uint8Array | undefined>;
  hash: HashFn;
}

/** `GET /scanforpay-button.js`: the button's script-tag bundle, first-party and cacheable. */
export function buttonScriptRoute(deps: ButtonScriptRouteDeps): Hono<ProxyEnv> {
  let cached: { source: string | Uint8Array; etag: string } | undefined;
  return new Hono<ProxyEnv>().get('/scanforpay-button.js', async function buttonScript(c) {
    const source = await deps.buttonScript();
    if (source === undefined) {
      throw new ProblemError(
        'not_found',
        'the button bundle is not built: run pnpm --filter @scanforpay/button build',
      );
    }
    if (cached?.source !== source) {
      const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
      cached = { source, etag: `"${(await deps.hash(text)).slice(0, 32)}"` };
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
