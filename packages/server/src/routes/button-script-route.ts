import { Hono, type Context } from 'hono';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { ProblemError } from '../problem.js';
import type { BundleVersion, ButtonBundle } from '../encoding/button-bundle.js';
import { chooseEncoding, type ScriptEncoding } from '../encoding/script-encoding.js';

export interface ButtonScriptRouteDeps {
  /** The current build of the button's script-tag bundle. */
  bundle: ButtonBundle;
  /** The proxy's public URL, without a trailing slash (the manifest's absolute `url`). */
  publicUrl: string;
}

const SUFFIX: Record<ScriptEncoding, string> = { br: '-br', gzip: '-gz' };
const NOT_BUILT = 'the button bundle is not built: run pnpm --filter @scanforpay/button build';
/** A year: a pinned version never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The button's script-tag bundle, first-party, compressed (brotli or gzip, by
 * `Accept-Encoding`) once per version, with a strong ETag per form:
 * - `GET /v/<version>/scanforpay-button.js`: pinned, cached for a year as immutable; any other
 *   version answers 404 (this proxy serves one build);
 * - `GET /scanforpay-button.js`: the same bytes under a 5-minute cache, for snippets that follow
 *   the proxy's version;
 * - `GET /scanforpay-button.json`: the manifest, `{ name, version, url, integrity, bytes }`, with
 *   the `sha384` subresource-integrity value to pin the script with.
 */
export function buttonScriptRoute(deps: ButtonScriptRouteDeps): Hono<ProxyEnv> {
  const current = async (): Promise<BundleVersion> => {
    const version = await deps.bundle();
    if (!version) throw new ProblemError('not_found', NOT_BUILT);
    return version;
  };
  return new Hono<ProxyEnv>()
    .get('/scanforpay-button.js', async function buttonScript(c) {
      return serveScript(c, await current(), 'public, max-age=300');
    })
    .get('/v/:version/scanforpay-button.js', async function pinnedButtonScript(c) {
      const version = await current();
      const asked = c.req.param('version');
      if (asked !== version.version) {
        throw new ProblemError(
          'not_found',
          `this proxy serves version ${version.version} of the button, not ${asked.slice(0, 40)}`,
        );
      }
      return serveScript(c, version, IMMUTABLE);
    })
    .get('/scanforpay-button.json', async function buttonManifest(c) {
      const version = await current();
      const path = `/v/${version.version}/scanforpay-button.js`;
      const body = {
        name: '@scanforpay/button',
        version: version.version,
        url: `${deps.publicUrl}${path}`,
        integrity: version.integrity,
        bytes: version.bytes.byteLength,
      };
      return c.json(body, 200, {
        'cache-control': 'public, max-age=300',
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      });
    });
}

function serveScript(c: Context<ProxyEnv>, version: BundleVersion, cache: string): Response {
  const coding = chooseEncoding(c.req.header('accept-encoding'), new Set(version.encoded.keys()));
  const headers: Record<string, string> = {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': cache,
    etag: `"${version.tag}${coding ? SUFFIX[coding] : ''}"`,
    vary: 'Accept-Encoding',
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
  };
  if (notModified(c.req.header('if-none-match'), version.tag)) {
    return c.body(null, 304, headers);
  }
  if (coding) headers['content-encoding'] = coding;
  const body = coding ? version.encoded.get(coding)! : version.bytes;
  return c.body(new Uint8Array(body).buffer, 200, headers);
}

/** Whether `If-None-Match` names any form of this version (weak comparison, `*` included). */
function notModified(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '');
    return value === '*' || [`"${tag}"`, `"${tag}-br"`, `"${tag}-gz"`].includes(value);
  });
}
