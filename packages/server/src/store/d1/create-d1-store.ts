import type { OrderStore } from '../order-store.js';
import { createSqlStore } from '../sql/create-sql-store.js';
import { SQLITE_MIGRATIONS, splitStatements, type Migration } from '../sql/migrations.js';
import { SCHEMA_MIGRATIONS_TABLE } from './d1-migration-files.js';
import {
  StoreUnavailableError,
  type SqlDriver,
  type SqlRow,
  type SqlStatement,
  type SqlValue,
} from '../sql/sql-driver.js';

/** The part of Cloudflare's `D1Database` the store uses (structural, so no types package is needed). */
export interface D1DatabaseLike {
  prepare(query: string): D1PreparedStatementLike;
  batch(statements: D1PreparedStatementLike[]): Promise<{ results?: unknown[] }[]>;
}

export interface D1PreparedStatementLike {
  bind(...values: unknown[]): D1PreparedStatementLike;
  all(): Promise<{ results?: unknown[] }>;
}

/**
 * The store on Cloudflare D1. D1 has no interactive transactions, only atomic batches, which is
 * exactly what `createSqlStore` needs: every unit is one `batch()`. Migrations are applied on
 * first use (once per isolate; a concurrent isolate applying the same one is tolerated).
 */
export function createD1Store(db: D1DatabaseLike): OrderStore {
  return createSqlStore(d1Driver(db));
}

export function d1Driver(db: D1DatabaseLike): SqlDriver {
  const bind = (statement: SqlStatement) =>
    db.prepare(statement.sql).bind(...(statement.params as SqlValue[]));
  const rows = (result: { results?: unknown[] }) => (result.results ?? []) as SqlRow[];
  let ready: Promise<void> | undefined;
  const migrated = () => {
    ready ??= migrate(db, SQLITE_MIGRATIONS).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return {
    engine: 'd1',
    dialect: 'sqlite',
    async run(statements) {
      try {
        await migrated();
        if (statements.length === 1) return [rows(await bind(statements[0]!).all())];
        return (await db.batch(statements.map(bind))).map(rows);
      } catch (error) {
        throw unavailable(error) ?? error;
      }
    },
    close: () => Promise.resolve(),
  };
}

/**
 * D1's transient errors, from Cloudflare's list (developers.cloudflare.com/d1/observability/debug-d1):
 * the database object restarting or failing to start, a storage timeout, a lost connection, an
 * overloaded database, an isolate reset. Cloudflare's advice is to retry such a query; D1 itself
 * retries read-only ones twice.
 */
const TRANSIENT =
  /network connection lost|reset because its code was updated|caused object to be reset|exceeded timeout|is overloaded|too many requests queued|exceeded its memory limit|transient issue/i;

/**
 * A transient D1 error becomes `StoreUnavailableError` (HTTP 503 with `Retry-After`), as a lock
 * timeout does on SQLite and Postgres. The unit is not run again here: after a lost connection
 * nobody knows whether the batch committed, and replaying one that did is not harmless (the
 * order insert would meet its own primary key). The retry belongs to the caller, which has the
 * key that makes it safe: the storefront's `Idempotency-Key` (the same key finds the order if
 * it was written), and ScanForPay's notify schedule (a notification is applied once).
 */
function unavailable(error: unknown): StoreUnavailableError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!TRANSIENT.test(message)) return undefined;
  return new StoreUnavailableError(`D1: ${message.split('\n', 1)[0]}`, { cause: error });
}

async function migrate(db: D1DatabaseLike, migrations: readonly Migration[]): Promise<void> {
  await db.prepare(SCHEMA_MIGRATIONS_TABLE).all();
  const versions = async () =>
    new Set(
      ((await db.prepare('SELECT version FROM schema_migrations').all()).results ?? []).map((row) =>
        Number((row as { version: unknown }).version),
      ),
    );
  const applied = await versions();
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    try {
      await db.batch([
        ...splitStatements(migration.sql).map((statement) => db.prepare(statement)),
        db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .bind(migration.version, migration.name, Date.now()),
      ]);
    } catch (error) {
      // Another isolate may have applied it between our read and our batch.
      if (!(await versions()).has(migration.version)) throw error;
    }
  }
}
