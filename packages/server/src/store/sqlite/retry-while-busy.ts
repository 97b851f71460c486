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

/** SQLITE_BUSY and SQLITE_LOCKED with their extended codes (`SQLITE_BUSY_SNAPSHOT`, …). */
export function isLockError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}

export function sleepWithTimer(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
