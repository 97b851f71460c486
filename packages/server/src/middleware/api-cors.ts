import type { MiddlewareHandler } from 'hono';

export interface ApiCorsOptions {
  isOriginAllowed: (origin: string) => boolean;
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
}

/**
 * CORS for the storefront API, with the answers of Hono's `cors()` but its headers set before
 * the handler runs (`c.header`), so the handler's Response is built once with them: Hono's
 * middleware edits the finished Response, which costs a copy of it on every request.
 */
export function apiCors(options: ApiCorsOptions): MiddlewareHandler {
  const methods = options.allowMethods.join(',');
  const allowHeaders = options.allowHeaders.join(',');
  const exposeHeaders = options.exposeHeaders.join(',');
  const maxAge = String(options.maxAgeSeconds);
  return async function cors(c, next) {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && options.isOriginAllowed(origin);
    if (c.req.method === 'OPTIONS') {
      const headers = new Headers({
        'access-control-expose-headers': exposeHeaders,
        'access-control-max-age': maxAge,
        'access-control-allow-methods': methods,
        'access-control-allow-headers': allowHeaders,
        vary: 'Origin, Access-Control-Request-Headers',
      });
      if (allowed) headers.set('access-control-allow-origin', origin);
      return new Response(null, { status: 204, headers });
    }
    if (allowed) c.header('access-control-allow-origin', origin);
    c.header('access-control-expose-headers', exposeHeaders);
    c.header('vary', 'Origin');
    await next();
  };
}
