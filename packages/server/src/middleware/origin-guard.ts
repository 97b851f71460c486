import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problem.js';
import { refusedDetail } from './api-cors.js';

export interface OriginGuardOptions {
  isOriginAllowed: (origin: string) => boolean;
  /** Called for every refused request (the caller throttles its log). */
  onRefused?: (origin: string) => void;
}

/**
 * Refuses state-changing requests a browser sends from a page not on the allow-list. Requests
 * without `Origin` (servers, curl) pass: the rate limit and the server-side price cover them.
 */
export function originGuard(options: OriginGuardOptions): MiddlewareHandler {
  return async function originGuard(c, next) {
    const origin = c.req.header('origin');
    if (origin !== undefined && !options.isOriginAllowed(origin)) {
      options.onRefused?.(origin);
      throw new ProblemError('origin_not_allowed', refusedDetail(origin));
    }
    await next();
  };
}
