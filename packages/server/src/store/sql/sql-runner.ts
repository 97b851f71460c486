import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from './sql-driver.js';

/** What every aggregate's SQL needs from a driver: atomic units, and the dialect's one difference. */
export interface SqlRunner {
  /** Runs the statements as one atomic unit; one row list per statement. */
  run(statements: SqlStatement[]): Promise<SqlRow[][]>;
  /** Runs one statement on its own and returns its rows. */
  one(sql: string, params?: SqlValue[]): Promise<SqlRow[]>;
  /** Appended to a claim's `SELECT`: Postgres skips rows another claimer holds. */
  readonly skipLocked: string;
}

export function sqlRunner(driver: SqlDriver): SqlRunner {
  const run = (statements: SqlStatement[]) => driver.run(statements);
  return {
    run,
    one: async (sql, params = []) => (await run([{ sql, params }]))[0]!,
    skipLocked: driver.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '',
  };
}
