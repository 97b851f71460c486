import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problem.js';

export interface OriginGuardOptions {
  isOriginAllowed: (origin: string) => boolean;
}

/**
 * Refuses state-changing requests a browser sends from a page not on the allow-list. Requests
 * without `Origin` (servers, curl) pass: the rate limit and the server-side price cover them.
 */
export function originGuard(options: OriginGuardOptions): MiddlewareHandler {
  return async function originGuard(c, next) {
    const origin = c.req.header('origin');
    if (origin !== undefined && !options.isOriginAllowed(origin)) {
      throw new ProblemError('origin_not_allowed', `origin ${origin} may not create orders`);
    }
    await next();
  };
}
