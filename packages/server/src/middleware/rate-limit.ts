import type { Context, MiddlewareHandler } from 'hono';
import { createWindowCounter } from '../limits/window-counter.js';
import { ProblemError } from '../problem.js';

export interface RateLimitOptions {
  /** Requests allowed per window per key. */
  limit: number;
  windowMs: number;
  now: () => number;
  key: (c: Context) => string;
}

/** Order creations per window per client: a 429 `rate_limited` problem with `Retry-After` beyond. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const counter = createWindowCounter(options);
  return async function rateLimit(c, next) {
    const waitMs = counter.hit(options.key(c));
    if (waitMs > 0) {
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ProblemError(
        'rate_limited',
        `at most ${options.limit} orders per minute; retry in ${retryAfter} s`,
        { headers: { 'retry-after': String(retryAfter) } },
      );
    }
    await next();
  };
}
