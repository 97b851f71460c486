import type { Context, MiddlewareHandler } from 'hono';
import { ProblemError } from '../problem.js';

export interface RateLimitOptions {
  /** Requests allowed per window per key. */
  limit: number;
  windowMs: number;
  now: () => number;
  key: (c: Context) => string;
}

/**
 * A fixed-window, in-memory limiter: O(1) per request, the whole table dropped at each window
 * edge. Per process: several instances each allow `limit`.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { limit, windowMs } = options;
  let windowStart = Number.NEGATIVE_INFINITY;
  let counts = new Map<string, number>();
  return async function rateLimit(c, next) {
    const now = options.now();
    if (now - windowStart >= windowMs) {
      windowStart = now - (now % windowMs);
      counts = new Map();
    }
    const key = options.key(c);
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count > limit) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
      throw new ProblemError(
        'rate_limited',
        `at most ${limit} orders per minute; retry in ${retryAfter} s`,
        {
          headers: { 'retry-after': String(retryAfter) },
        },
      );
    }
    await next();
  };
}
