import type { OrderStore } from '../order-store.js';
import { createSqlStore } from '../sql/create-sql-store.js';
import { SQLITE_MIGRATIONS, splitStatements, type Migration } from '../sql/migrations.js';
import { SCHEMA_MIGRATIONS_TABLE } from './d1-migration-files.js';
import type { SqlDriver, SqlRow, SqlStatement, SqlValue } from '../sql/sql-driver.js';

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
      await migrated();
      if (statements.length === 1) return [rows(await bind(statements[0]!).all())];
      return (await db.batch(statements.map(bind))).map(rows);
    },
    close: () => Promise.resolve(),
  };
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
