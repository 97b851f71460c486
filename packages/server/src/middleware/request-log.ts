import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logging/create-logger.js';
import type { ProxyEnv } from './proxy-env.js';

export interface RequestLogOptions {
  logger: Logger;
}

/** One JSON line per request, with fields routes add through `c.get('logFields')`. */
export function requestLog(options: RequestLogOptions): MiddlewareHandler<ProxyEnv> {
  return async function requestLog(c, next) {
    const start = performance.now();
    c.set('logFields', {});
    await next();
    const status = c.res.status;
    options.logger.log(status >= 500 ? 'error' : 'info', 'request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      ...c.get('logFields'),
    });
  };
}
