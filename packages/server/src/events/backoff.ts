/** The delay before the first retry, before jitter; each further failure doubles it. */
export const BASE_DELAY_MS = 5_000;

/** No two attempts are further apart than this, before jitter. */
export const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

/**
 * An event that is older than this when a delivery fails is given up. With the delays of
 * {@link nextAttemptDelay}, a merchant that keeps failing is tried 25 to 37 times
 * (jitter always 1.0 / always 0.5) before that happens.
 */
export const DELIVERY_WINDOW_MS = 72 * 60 * 60 * 1000;

/**
 * How long to wait after the `attempts`-th failed delivery (1 for the first): 5 s × 2^(attempts-1),
 * capped at 6 h, times a jitter factor in [0.5, 1.0) so that retries after an outage spread out
 * instead of arriving at the merchant together.
 */
export function nextAttemptDelay(attempts: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`attempts must be a positive integer, got ${String(attempts)}`);
  }
  // 2^30 × 5 s is far past the cap; stopping there keeps the arithmetic finite.
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** Math.min(attempts - 1, 30), MAX_DELAY_MS);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling * (0.5 + 0.5 * draw));
}

/** Whether a delivery that failed at `now` gives the event up (it is older than 72 hours). */
export function isPastDeliveryWindow(createdAt: number, now: number): boolean {
  return now - createdAt >= DELIVERY_WINDOW_MS;
}
