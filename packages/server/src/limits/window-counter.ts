export interface WindowCounterOptions {
  /** Hits allowed per window per key. */
  limit: number;
  windowMs: number;
  now: () => number;
  /**
   * Distinct keys tracked in one window. A key beyond it is refused until the window ends, so
   * a flood of new keys (spoofed or many addresses) costs bounded memory. Default 100 000.
   */
  maxKeys?: number;
}

export interface WindowCounter {
  /** Counts one hit for `key`: 0 when it is allowed, else the ms until the window ends. */
  hit(key: string): number;
}

/**
 * A fixed-window counter: O(1) per hit, the whole table dropped at each window edge, memory
 * bounded by `maxKeys`. Per process (or per isolate): several instances each allow `limit`.
 */
export function createWindowCounter(options: WindowCounterOptions): WindowCounter {
  const { limit, windowMs, maxKeys = 100_000 } = options;
  let windowStart = Number.NEGATIVE_INFINITY;
  let counts = new Map<string, number>();
  return {
    hit(key) {
      const now = options.now();
      if (now - windowStart >= windowMs || now < windowStart) {
        windowStart = now - (now % windowMs);
        counts = new Map();
      }
      const count = counts.get(key);
      const refused = count === undefined ? counts.size >= maxKeys : count >= limit;
      if (refused) return Math.max(1, windowStart + windowMs - now);
      counts.set(key, (count ?? 0) + 1);
      return 0;
    },
  };
}
