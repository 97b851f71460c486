import { createWindowCounter } from '../limits/window-counter.js';

/**
 * How much of the refused `POST /notify` traffic is kept. A notification that verifies is
 * never counted here: these limits only ever apply to bodies that failed verification.
 */
export interface RefusedNotificationLimits {
  /** Refused notifications per client per minute kept with their body (first 8 KiB), answered 400. Default 20. */
  bodiesPerMinute?: number;
  /**
   * Refused notifications per client per minute, beyond those, kept as a digest only (SHA-256,
   * byte length, reason) and answered 429. Later ones in the minute are only counted in the
   * request log line, also 429. Default 100.
   */
  digestsPerMinute?: number;
  /**
   * Most refused notifications kept in the store, across clients and processes: each write
   * deletes the oldest beyond it in the same transaction; 0 keeps none. Default 1000
   * (≤ 8 MiB of bodies).
   */
  maxStored?: number;
}

export const REFUSED_NOTIFICATION_DEFAULTS: Required<RefusedNotificationLimits> = {
  bodiesPerMinute: 20,
  digestsPerMinute: 100,
  maxStored: 1000,
};

/** The limits with their defaults; throws a `TypeError` naming a bad one. */
export function refusedNotificationLimits(
  limits: RefusedNotificationLimits = {},
): Required<RefusedNotificationLimits> {
  const resolved = { ...REFUSED_NOTIFICATION_DEFAULTS };
  for (const name of Object.keys(resolved) as (keyof RefusedNotificationLimits)[]) {
    const value = limits[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(`refusedNotifications.${name}: a whole number ≥ 0`);
    }
    resolved[name] = value;
  }
  return resolved;
}

/** What to keep of one refused notification. */
export interface RefusalAllowance {
  keep: 'body' | 'digest' | 'none';
  /** 0 while the client is within its body budget; else the ms until its budget renews. */
  retryAfterMs: number;
  /** Refused notifications from this client in the current window, this one included. */
  refused: number;
}

export interface RefusalBudget {
  /** Counts one refused notification from `client`. */
  take(client: string): RefusalAllowance;
}

export interface RefusalBudgetOptions {
  bodiesPerMinute: number;
  digestsPerMinute: number;
  now: () => number;
  /** Clients tracked per window; later ones share one bucket. Default 10 000. */
  maxClients?: number;
}

/**
 * A fixed one-minute window per client, in memory (per process or isolate), the whole table
 * dropped at each window edge: O(1) per refused notification, memory bounded by `maxClients`
 * (later clients share one bucket, so a flood from many addresses stays bounded).
 */
export function createRefusalBudget(options: RefusalBudgetOptions): RefusalBudget {
  const { bodiesPerMinute, digestsPerMinute, maxClients = 10_000 } = options;
  const counter = createWindowCounter({
    limit: bodiesPerMinute,
    windowMs: 60_000,
    now: options.now,
    maxKeys: maxClients,
  });
  return {
    take(client) {
      const { count: refused, resetInMs } = counter.count(client);
      if (refused <= bodiesPerMinute) return { keep: 'body', retryAfterMs: 0, refused };
      const keep = refused <= bodiesPerMinute + digestsPerMinute ? 'digest' : 'none';
      return { keep, retryAfterMs: resetInMs, refused };
    },
  };
}
