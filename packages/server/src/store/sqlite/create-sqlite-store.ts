import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { OrderStore } from '../order-store.js';
import { createSqlStore } from '../sql/create-sql-store.js';
import { SQLITE_MIGRATIONS, type Migration } from '../sql/migrations.js';
import type { SqlDriver, SqlRow, SqlStatement } from '../sql/sql-driver.js';
import { startBackgroundCheckpoint } from './background-checkpoint.js';
import { groupCommit } from './group-commit.js';
import { readBatch } from './read-batch.js';
import { sleepWithTimer } from './retry-while-busy.js';

export interface SqliteStoreOptions {
  /** File path, or `:memory:`. Parent folders are created. */
  path: string;
  /**
   * `NORMAL` (default): with WAL a commit survives a process crash and only the last
   * transactions can be lost on power failure; `FULL` fsyncs every commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * How long a call waits, in total, for a lock another connection holds (a second process,
   * a backup, an operator's `sqlite3`), in ms. Default 2000. The wait is asynchronous, so
   * requests that need no database are served meanwhile; after it the call fails with
   * `StoreUnavailableError` (HTTP 503 `store_unavailable`). Opening the store (WAL switch,
   * migrations) waits up to the same time, synchronously, before anything is served.
   */
  busyTimeoutMs?: number;
  /** The wait between attempts at a locked database. Default `setTimeout`; for tests. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Where WAL checkpoints run: `inline` (default, SQLite's own: inside the commit that fills
   * 1000 pages, blocking the event loop while it copies and fsyncs) or `background` (a worker
   * thread with its own connection, every 250 ms; the Node entry's choice). Ignored for
   * `:memory:` and `file:` URIs.
   */
  checkpoint?: 'inline' | 'background';
}

export interface SqliteDriverOptions {
  /** See `SqliteStoreOptions.busyTimeoutMs`. Default 2000. */
  busyTimeoutMs?: number;
  /** See `SqliteStoreOptions.sleep`. */
  sleep?: (ms: number) => Promise<void>;
}

/** Long enough to ride out another process's transactions, short enough for a clear 503. */
const DEFAULT_BUSY_TIMEOUT_MS = 2000;

export interface SqliteStore extends OrderStore {
  /** The underlying connection, for tests and tooling. */
  readonly db: Database.Database;
}

/**
 * The embedded default store: SQLite through better-sqlite3, WAL journal, migrations applied
 * at open, every statement prepared once. Calls are synchronous underneath and each method
 * runs as one immediate transaction, so requests never interleave inside it, and several
 * processes on one file take turns at its write lock: a call that finds it taken tries again
 * a little later instead of blocking the event loop (see `busyTimeoutMs`).
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.path !== ':memory:' && !options.path.startsWith('file:')) {
    mkdirSync(dirname(options.path), { recursive: true });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const db = new Database(options.path);
  // Nothing is served yet, so opening may block on the lock for a while.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  migrate(db, SQLITE_MIGRATIONS);
  // From here on a locked database fails the call at once and the driver waits asynchronously.
  db.pragma('busy_timeout = 0');
  const driver = sqliteDriver(db, {
    busyTimeoutMs,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const store = createSqlStore(driver);
  const background =
    options.checkpoint === 'background' &&
    options.path !== ':memory:' &&
    !options.path.startsWith('file:');
  if (!background) return Object.assign(store, { db });
  db.pragma('wal_autocheckpoint = 0');
  const checkpointer = startBackgroundCheckpoint({
    path: options.path,
    // Without its worker the WAL would grow without bound: SQLite checkpoints inline again.
    onExit: () => {
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
    },
  });
  const closeStore = store.close;
  return Object.assign(store, {
    db,
    async close() {
      await checkpointer.stop();
      await closeStore();
    },
  });
}

/**
 * better-sqlite3 as a `SqlDriver`: statements prepared once and cached by their text. Units
 * that write are group-committed (`groupCommit`): those queued in one turn of the event loop
 * share one transaction, and each caller is answered after its COMMIT. The lone reads of a
 * turn run together in one read transaction (`readBatch`). Work that finds the database locked
 * (SQLITE_BUSY, SQLITE_LOCKED) wrote nothing, so it is run again after an asynchronous wait;
 * give the connection `busy_timeout = 0` so SQLite itself never sleeps.
 */
export function sqliteDriver(db: Database.Database, options: SqliteDriverOptions = {}): SqlDriver {
  const retry = {
    budgetMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    sleep: options.sleep ?? sleepWithTimer,
  };
  const prepared = new Map<string, Database.Statement>();
  const compile = (sql: string): Database.Statement => {
    let compiled = prepared.get(sql);
    if (!compiled) {
      compiled = db.prepare(sql);
      prepared.set(sql, compiled);
    }
    return compiled;
  };
  const isReadOnly = (statement: SqlStatement) => compile(statement.sql).readonly;
  const execute = (statement: SqlStatement): SqlRow[] => {
    const compiled = compile(statement.sql);
    if (compiled.reader) return compiled.all(...statement.params) as SqlRow[];
    compiled.run(...statement.params);
    return [];
  };
  const group = groupCommit(db, { ...retry, execute });
  const reads = readBatch(db, { ...retry, execute });
  return {
    engine: 'sqlite',
    dialect: 'sqlite',
    async run(statements) {
      try {
        const only = statements.length === 1 ? statements[0]! : undefined;
        // A lone read needs no write transaction: it runs with its turn's other reads, in one
        // read transaction, and sees every commit answered so far.
        if (only && isReadOnly(only)) return [await reads.read(only)];
        return await group.write(statements);
      } catch (error) {
        throw error instanceof Error ? error : new Error(String(error));
      }
    },
    async close() {
      await group.drained();
      if (db.open) db.close();
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
