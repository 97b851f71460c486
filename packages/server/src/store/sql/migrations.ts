/**
 * Schema migrations, applied in order at start-up: SQLite and D1 share one list
 * (`sqlite-migrations.ts`), Postgres has the same versions in its own types
 * (`postgres-migrations.ts`).
 */
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';

export { SQLITE_MIGRATIONS, type Migration } from './sqlite-migrations.js';
export { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

/** The SQLite list under its first name. */
export const MIGRATIONS = SQLITE_MIGRATIONS;

/** A migration's SQL as single statements (for engines that take one at a time, like D1). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}
