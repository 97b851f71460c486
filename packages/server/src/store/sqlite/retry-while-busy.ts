import { StoreUnavailableError } from '../sql/sql-driver.js';

export interface RetryWhileBusyOptions {
  /** Total time to spend waiting between attempts, in ms. */
  budgetMs: number;
  /** Waits between attempts; tests inject one that does not depend on the clock. */
  sleep: (ms: number) => Promise<void>;
}

/** The longest single wait: short, so a lock freed by another process is picked up soon. */
const MAX_BACKOFF_MS = 50;

/**
 * Runs `attempt` (synchronous, and atomic: a lock error means it wrote nothing) until it gets
 * past SQLite's lock. Instead of SQLite's busy handler, which sleeps inside the call and so
 * freezes the event loop, the waits between attempts are asynchronous: 1, 2, 4 … 50 ms, until
 * `budgetMs` is spent, then it throws `StoreUnavailableError`.
 */
export async function retryWhileBusy<T>(
  attempt: () => T,
  { budgetMs, sleep }: RetryWhileBusyOptions,
): Promise<T> {
  let waited = 0;
  for (let tries = 0; ; tries++) {
    try {
      return attempt();
    } catch (error) {
      if (!isLockError(error)) throw error;
      if (waited >= budgetMs) {
        throw new StoreUnavailableError(
          `SQLite: the database stayed locked by another connection for ${budgetMs} ms (${(error as { code: string }).code})`,
          { cause: error },
        );
      }
      const delay = Math.min(2 ** Math.min(tries, 6), MAX_BACKOFF_MS, budgetMs - waited);
      await sleep(delay);
      waited += delay;
    }
  }
}

/** What one caller of a batch gets: its result, or the error of its own part. */
export type BatchOutcome<R> = { rows: R } | { error: unknown };

/**
 * Runs a batch of queued callers through `retryWhileBusy` and answers each: with its own
 * outcome, or, when the batch as a whole failed (the lock stayed taken, a COMMIT failed: nothing
 * of it took effect), with that error, every one of them.
 */
export async function settleBatch<R>(
  batch: readonly { resolve: (rows: R) => void; reject: (error: unknown) => void }[],
  attempt: () => BatchOutcome<R>[],
  options: RetryWhileBusyOptions,
): Promise<void> {
  let outcomes: BatchOutcome<R>[];
  try {
    outcomes = await retryWhileBusy(attempt, options);
  } catch (error) {
    for (const caller of batch) caller.reject(error);
    return;
  }
  outcomes.forEach((outcome, i) => {
    if ('rows' in outcome) batch[i]!.resolve(outcome.rows);
    else batch[i]!.reject(outcome.error);
  });
}

/** SQLITE_BUSY and SQLITE_LOCKED with their extended codes (`SQLITE_BUSY_SNAPSHOT`, …). */
export function isLockError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}

export function sleepWithTimer(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
