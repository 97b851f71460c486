import type { MiddlewareHandler } from 'hono';

/**
 * The security headers of every answer, each unless the route set its own (the dashboard's
 * pages set their own `Content-Security-Policy`). The same set as Hono's `secureHeaders` with
 * `default-src 'none'; frame-ancestors 'none'` (an API sends no active content).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

const ENTRIES = Object.entries(SECURITY_HEADERS);

/** Adds `SECURITY_HEADERS` to the response, keeping any the route set. */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    for (const [name, value] of ENTRIES) if (!headers.has(name)) headers.set(name, value);
  };
}
