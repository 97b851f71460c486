/** Counts one hit of `key` in the window starting at `windowStart`; forgets older windows. */
export type CountHit = (key: string, windowStart: number, forgetBefore: number) => Promise<number>;

/** Hits per window per key, counted where `countHit` keeps them (e.g. the order store). */
export interface SharedWindowCounter {
  /** Counts one hit for `key`: 0 while it is within `limit`, else the ms until the window ends. */
  hit(key: string): Promise<number>;
}

/**
 * A fixed-window limit counted in shared storage, so several processes (Postgres) or isolates
 * (D1) together allow `limit` per window per key: windows start at multiples of `windowMs`
 * on every process's clock, and one atomic upsert counts each hit.
 */
export function createSharedWindowCounter(options: {
  limit: number;
  windowMs: number;
  now: () => number;
  countHit: CountHit;
}): SharedWindowCounter {
  const { limit, windowMs, countHit } = options;
  return {
    async hit(key) {
      const now = options.now();
      const windowStart = now - (now % windowMs);
      const hits = await countHit(key, windowStart, windowStart - windowMs);
      return hits > limit ? Math.max(1, windowStart + windowMs - now) : 0;
    },
  };
}
