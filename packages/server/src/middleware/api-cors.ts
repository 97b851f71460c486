import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problem.js';

export interface ApiCorsOptions {
  isOriginAllowed: (origin: string) => boolean;
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
  /** Called for every request from a page on a refused origin (the caller throttles its log). */
  onRefused?: (origin: string) => void;
}

/**
 * CORS for the storefront API, with the answers of Hono's `cors()` but its headers set before
 * the handler runs (`c.header`), so the handler's Response is built once with them: Hono's
 * middleware edits the finished Response, which costs a copy of it on every request.
 *
 * A page on a refused origin can read its answer too, but the answer is only the
 * `origin_not_allowed` problem naming the fix: no item, no order, no credentials (none are ever
 * allowed). Without that, the browser hides the problem and the page can only say "no connection".
 */
export function apiCors(options: ApiCorsOptions): MiddlewareHandler {
  const methods = options.allowMethods.join(',');
  const allowHeaders = options.allowHeaders.join(',');
  const exposeHeaders = options.exposeHeaders.join(',');
  const maxAge = String(options.maxAgeSeconds);
  return async function cors(c, next) {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      const headers = new Headers({
        'access-control-expose-headers': exposeHeaders,
        'access-control-max-age': maxAge,
        'access-control-allow-methods': methods,
        'access-control-allow-headers': allowHeaders,
        vary: 'Origin, Access-Control-Request-Headers',
      });
      // A refused origin's request comes through the preflight to be refused readably.
      if (origin !== undefined) headers.set('access-control-allow-origin', origin);
      return new Response(null, { status: 204, headers });
    }
    if (origin !== undefined) c.header('access-control-allow-origin', origin);
    c.header('access-control-expose-headers', exposeHeaders);
    c.header('vary', 'Origin');
    if (origin !== undefined && !options.isOriginAllowed(origin)) {
      options.onRefused?.(origin);
      throw new ProblemError('origin_not_allowed', refusedDetail(origin));
    }
    await next();
  };
}

/** What a merchant reads in the console of a page on a refused origin. */
export function refusedDetail(origin: string): string {
  return `this page's origin ${origin} is not allowed: add it to ALLOWED_ORIGINS`;
}
