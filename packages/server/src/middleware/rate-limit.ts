import type { Context, MiddlewareHandler } from 'hono';
import type { CountHit } from '../limits/shared-window-counter.js';
import { createSharedWindowCounter } from '../limits/shared-window-counter.js';
import { createWindowCounter } from '../limits/window-counter.js';
import { ProblemError } from '../problem.js';

export interface RateLimitOptions {
  /** Requests allowed per window per key. */
  limit: number;
  windowMs: number;
  now: () => number;
  key: (c: Context) => string;
  /**
   * Where the windows are counted: absent, in this process's memory (one process or isolate);
   * given (the order store's `countHit`), in storage every process shares.
   */
  countHit?: CountHit;
}

/** Order creations per window per client: a 429 `rate_limited` problem with `Retry-After` beyond. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { countHit } = options;
  const counter = countHit
    ? createSharedWindowCounter({ ...options, countHit })
    : createWindowCounter(options);
  return async function rateLimit(c, next) {
    const waitMs = await counter.hit(options.key(c));
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
