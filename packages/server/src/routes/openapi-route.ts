import { Hono } from 'hono';
import { openApiDocument } from '../contract/openapi-document.js';
import { REFERENCE_CSS, referencePage } from '../contract/reference-page.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';

export interface OpenApiRouteDeps {
  /** The proxy's public URL: its path is the document's one server (no host is written). */
  publicUrl: string;
}

/** The same for everyone: no secret, no host, no option of this proxy beyond its base path. */
const CACHE = 'public, max-age=300';

/**
 * `GET /openapi.json`: the proxy's OpenAPI 3.1 document, generated once from the valibot
 * schemas its routes validate with; any origin may read it (tools fetch it). `GET /docs`: the
 * same as a page, rendered here, with no script at all.
 */
export function openApiRoute(deps: OpenApiRouteDeps): Hono<ProxyEnv> {
  const basePath = new URL(deps.publicUrl).pathname;
  let built: Promise<{ json: string; tag: string; page: string; style: string }> | undefined;
  const build = async () => {
    const document = openApiDocument(basePath);
    const json = JSON.stringify(document);
    return {
      json,
      tag: `"${(await sha256(json)).slice(7, 39)}"`,
      page: referencePage(document, 'openapi.json'),
      style: await sha256(REFERENCE_CSS),
    };
  };

  return new Hono<ProxyEnv>()
    .get('/openapi.json', async function openApi(c) {
      const { json, tag } = await (built ??= build());
      const headers = {
        'cache-control': CACHE,
        etag: tag,
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      };
      const asked = c.req.header('if-none-match');
      if (asked?.split(',').some((t) => t.trim().replace(/^W\//, '') === tag || t.trim() === '*')) {
        return c.body(null, 304, headers);
      }
      return c.body(json, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    })
    .get('/docs', async function apiReference(c) {
      const { page, style } = await (built ??= build());
      return c.html(page, 200, {
        'cache-control': CACHE,
        'content-security-policy': [
          "default-src 'none'",
          `style-src '${style}'`,
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'",
        ].join('; '),
        'referrer-policy': 'no-referrer',
      });
    });
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let binary = '';
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return `sha256-${btoa(binary)}`;
}
