/**
 * Time as `<scanforpay-result>` sees it while polling: where it reads the time and how it waits.
 * Injected so tests run the backoff schedule on a manual clock instead of the wall clock.
 */
export interface PollClock {
  /** Milliseconds since some fixed point (like `Date.now()`). */
  now(): number;
  /** Runs `run` after `ms`; returns a function that cancels it. */
  schedule(run: () => void, ms: number): () => void;
}

/** The page's own clock and timers. @internal */
export const systemClock: PollClock = {
  now: Date.now,
  schedule: (run, ms) => clearTimeout.bind(undefined, setTimeout(run, ms)),
};
