import { StoreUnavailableError } from '../sql/sql-driver.js';

/** Serialization failure and deadlock: the unit is safe to run again from the start. */
const RETRYABLE = new Set(['40001', '40P01']);
/** lock_timeout or NOWAIT (55P03), statement_timeout or a cancel (57014): the unit rolled back. */
const UNAVAILABLE = new Set(['55P03', '57014']);

/**
 * Runs one atomic unit (a transaction, or one statement), up to three times when Postgres
 * rolled it back for a serialization failure or a deadlock; a lock or statement timeout
 * becomes `StoreUnavailableError` (HTTP 503, nothing written).
 */
export async function withRetries<R>(run: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && UNAVAILABLE.has(code)) {
        throw new StoreUnavailableError(`Postgres: ${describePostgresError(error)}`, {
          cause: error,
        });
      }
      if (attempt >= 3 || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}

/** One line, without the connection string (it may hold the password). */
export function describePostgresError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message;
}
