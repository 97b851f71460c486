export interface WindowCounterOptions {
  /** Hits allowed per window per key (`hit`). */
  limit: number;
  windowMs: number;
  now: () => number;
  /**
   * Distinct keys counted in one window. Beyond it, new keys share one bucket, so a flood of
   * new keys (spoofed or many addresses) costs bounded memory. Default 100 000.
   */
  maxKeys?: number;
}

export interface WindowCount {
  /** Hits of the key (or of the shared bucket) in this window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  resetInMs: number;
}

export interface WindowCounter {
  /** Counts one hit for `key`: 0 while it is within `limit`, else the ms until the window ends. */
  hit(key: string): number;
  /** Counts one hit for `key` and tells how many it has had, for callers with several tiers. */
  count(key: string): WindowCount;
}

/** The shared bucket of keys beyond `maxKeys`. */
const OVERFLOW = '\u0000overflow';

/**
 * A fixed-window counter: O(1) per hit, the whole table dropped at each window edge, memory
 * bounded by `maxKeys`. Per process (or per isolate): several instances each allow `limit`.
 */
export function createWindowCounter(options: WindowCounterOptions): WindowCounter {
  const { limit, windowMs, maxKeys = 100_000 } = options;
  let windowStart = Number.NEGATIVE_INFINITY;
  let counts = new Map<string, number>();
  function count(key: string): WindowCount {
    const now = options.now();
    if (now - windowStart >= windowMs || now < windowStart) {
      windowStart = now - (now % windowMs);
      counts = new Map();
    }
    const bucket = counts.has(key) || counts.size < maxKeys ? key : OVERFLOW;
    const hits = (counts.get(bucket) ?? 0) + 1;
    counts.set(bucket, hits);
    return { count: hits, resetInMs: Math.max(1, windowStart + windowMs - now) };
  }
  return {
    count,
    hit(key) {
      const { count: hits, resetInMs } = count(key);
      return hits > limit ? resetInMs : 0;
    },
  };
}
