import type { HashFn } from '@scanforpay/protocol';
import { Hono } from 'hono';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { ProblemError } from '../problem.js';
import {
  chooseEncoding,
  type ScriptCompressor,
  type ScriptEncoding,
} from '../encoding/script-encoding.js';

export interface ButtonScriptRouteDeps {
  /** The bundle's text, or undefined when it is not built. */
  buttonScript: () => Promise<string | Uint8Array | undefined>;
  hash: HashFn;
  /** Compresses the bundle once per version (`br`, `gzip`). */
  compress: ScriptCompressor;
}

/** One version of the bundle, with its compressed forms. */
interface ScriptVersion {
  source: string | Uint8Array;
  bytes: Uint8Array;
  /** The identity form's tag; a compressed form's adds `-br` or `-gz` inside the quotes. */
  tag: string;
  encoded: Map<ScriptEncoding, Uint8Array>;
}

const SUFFIX: Record<ScriptEncoding, string> = { br: '-br', gzip: '-gz' };

/**
 * `GET /scanforpay-button.js`: the button's script-tag bundle, first-party and cacheable,
 * compressed (brotli or gzip, by `Accept-Encoding`) once per version of the bundle.
 */
export function buttonScriptRoute(deps: ButtonScriptRouteDeps): Hono<ProxyEnv> {
  let current: Promise<ScriptVersion> | undefined;
  let currentSource: string | Uint8Array | undefined;

  async function prepare(source: string | Uint8Array): Promise<ScriptVersion> {
    const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
    const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
    const tag = (await deps.hash(text)).slice(0, 32);
    const encoded = new Map<ScriptEncoding, Uint8Array>();
    for (const coding of ['br', 'gzip'] as const) {
      const compressed = await deps.compress(bytes, coding).catch(() => undefined);
      // A compressed form that saves nothing is not worth a Content-Encoding.
      if (compressed && compressed.byteLength < bytes.byteLength) encoded.set(coding, compressed);
    }
    return { source, bytes, tag, encoded };
  }

  return new Hono<ProxyEnv>().get('/scanforpay-button.js', async function buttonScript(c) {
    const source = await deps.buttonScript();
    if (source === undefined) {
      throw new ProblemError(
        'not_found',
        'the button bundle is not built: run pnpm --filter @scanforpay/button build',
      );
    }
    if (currentSource !== source || !current) {
      currentSource = source;
      current = prepare(source);
      current.catch(() => {
        if (currentSource === source) current = undefined;
      });
    }
    const version = await current;
    const coding = chooseEncoding(c.req.header('accept-encoding'), new Set(version.encoded.keys()));
    const etag = `"${version.tag}${coding ? SUFFIX[coding] : ''}"`;
    const headers: Record<string, string> = {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      etag,
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
  });
}

/** Whether `If-None-Match` names any form of this version (weak comparison, `*` included). */
function notModified(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '');
    return value === '*' || [`"${tag}"`, `"${tag}-br"`, `"${tag}-gz"`].includes(value);
  });
}
