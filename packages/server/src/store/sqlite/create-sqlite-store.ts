import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { OrderStore } from '../order-store.js';
import { createSqlStore } from '../sql/create-sql-store.js';
import { SQLITE_MIGRATIONS, type Migration } from '../sql/migrations.js';
import type { SqlDriver, SqlRow, SqlStatement } from '../sql/sql-driver.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:`. Parent folders are created. */
  path: string;
  /**
   * `NORMAL` (default): with WAL a commit survives a process crash and only the last
   * transactions can be lost on power failure; `FULL` fsyncs every commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Milliseconds to wait for another connection's write lock. Default 5000. */
  busyTimeoutMs?: number;
}

export interface SqliteStore extends OrderStore {
  /** The underlying connection, for tests and tooling. */
  readonly db: Database.Database;
}

/**
 * The embedded default store: SQLite through better-sqlite3, WAL journal, migrations applied
 * at open, every statement prepared once. Calls are synchronous underneath and each method
 * runs as one immediate transaction, so requests never interleave inside it, and several
 * processes on one file queue on its write lock.
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.path !== ':memory:' && !options.path.startsWith('file:')) {
    mkdirSync(dirname(options.path), { recursive: true });
  }
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  migrate(db, SQLITE_MIGRATIONS);
  return Object.assign(createSqlStore(sqliteDriver(db)), { db });
}

/** better-sqlite3 as a `SqlDriver`: statements prepared once and cached by their text. */
export function sqliteDriver(db: Database.Database): SqlDriver {
  const prepared = new Map<string, Database.Statement>();
  const execute = (statement: SqlStatement): SqlRow[] => {
    let compiled = prepared.get(statement.sql);
    if (!compiled) {
      compiled = db.prepare(statement.sql);
      prepared.set(statement.sql, compiled);
    }
    if (compiled.reader) return compiled.all(...statement.params) as SqlRow[];
    compiled.run(...statement.params);
    return [];
  };
  const unit = db.transaction((statements: readonly SqlStatement[]) => statements.map(execute));
  return {
    engine: 'sqlite',
    dialect: 'sqlite',
    run(statements) {
      try {
        return Promise.resolve(
          statements.length === 1 ? [execute(statements[0]!)] : unit.immediate(statements),
        );
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    close() {
      if (db.open) db.close();
      return Promise.resolve();
    },
  };
}

/** Applies every migration newer than the database, each in its own immediate transaction. */
function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = db.prepare<[number], { version: number }>(
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of migrations) {
    db.transaction(() => {
      if (applied.get(migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}
