import postgres from 'postgres';
import type { OrderStore } from '../order-store.js';
import { createSqlStore } from '../sql/create-sql-store.js';
import { POSTGRES_MIGRATIONS, type Migration } from '../sql/migrations.js';
import {
  numberedPlaceholders,
  type SqlDriver,
  type SqlRow,
  type SqlStatement,
} from '../sql/sql-driver.js';
import { postgresGroupCommit } from './group-commit.js';
import { postgresNotificationBatch } from './notification-batch.js';
import { postgresOrderReads } from './order-reads.js';
import { describePostgresError, withRetries } from './postgres-retry.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Connections in the pool. Default 10. */
  max?: number;
  /** Seconds to wait for a connection. Default 10. */
  connectTimeoutSeconds?: number;
  /**
   * Postgres `lock_timeout` of each statement, in ms: a unit that waits longer for a row or
   * table lock fails with `StoreUnavailableError` (HTTP 503). Default: the server's setting
   * (no limit unless configured there). Migrations at start-up wait without limit.
   */
  lockTimeoutMs?: number;
}

export interface PostgresStore extends OrderStore {
  /** The postgres.js client, for tests and tooling. */
  readonly sql: postgres.Sql;
}

/** Any key, as long as every proxy uses the same one: serializes migrations across processes. */
const MIGRATION_LOCK = 7_202_611_260;
/** A plain `SELECT` (no row locks) reads committed rows: no transaction, no group. */
const READ_ONLY = /^\s*SELECT\b(?![\s\S]*\bFOR\s+(UPDATE|SHARE|NO KEY|KEY)\b)/i;

/**
 * The store on Postgres through postgres.js, for several proxy processes on one database.
 * Each method is one transaction at READ COMMITTED; its statements are pipelined in one round
 * trip and their conditions are re-checked against committed rows, so concurrent processes
 * never double-apply a notification or claim the same event. Two hot paths are batched further:
 * notifications (`postgresNotificationBatch`: a group's notifications in one statement) and
 * order reads (`postgresOrderReads`: one turn's reads in one statement). Migrations run at
 * start-up under an advisory lock, so processes starting together apply each one once.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    idle_timeout: 60,
    onnotice: () => {},
    prepare: true,
    ...(options.lockTimeoutMs !== undefined
      ? { connection: { lock_timeout: options.lockTimeoutMs } }
      : {}),
  });
  try {
    await migrate(sql, POSTGRES_MIGRATIONS);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw new Error(`Postgres: ${describePostgresError(error)}`, { cause: error });
  }
  const groups = Math.max(1, Math.floor((options.max ?? 10) / 2));
  const store = createSqlStore(postgresDriver(sql, { groups }));
  const notifications = postgresNotificationBatch(sql, { groups });
  const reads = postgresOrderReads(sql);
  return {
    ...store,
    getOrder: reads.getOrder,
    recordNotification: notifications.recordNotification,
    async close() {
      await notifications.drained();
      await store.close();
    },
    sql,
  };
}

/**
 * postgres.js as a `SqlDriver`. Writes are group-committed (`postgresGroupCommit`): units
 * queued while `groups` transactions are in flight share the next one, each caller answered
 * after its COMMIT. A lone `SELECT` runs at once.
 */
export function postgresDriver(sql: postgres.Sql, options: { groups?: number } = {}): SqlDriver {
  const texts = new Map<string, string>();
  const text = (statement: SqlStatement) => {
    let numbered = texts.get(statement.sql);
    if (numbered === undefined) {
      numbered = numberedPlaceholders(statement.sql);
      texts.set(statement.sql, numbered);
    }
    return numbered;
  };
  const query = (client: postgres.Sql | postgres.TransactionSql, statement: SqlStatement) =>
    client.unsafe<SqlRow[]>(
      text(statement),
      statement.params as postgres.ParameterOrJSON<never>[],
      {
        prepare: true,
      },
    );

  async function runOnce(statements: readonly SqlStatement[]): Promise<SqlRow[][]> {
    if (statements.length === 1) return [Array.from(await query(sql, statements[0]!))];
    const results = await sql.begin((tx) => statements.map((statement) => query(tx, statement)));
    return (results as unknown as SqlRow[][]).map((rows) => Array.from(rows));
  }

  async function runGroup(units: readonly (readonly SqlStatement[])[]): Promise<SqlRow[][][]> {
    const flat = (await sql.begin((tx) =>
      units.flatMap((statements) => statements.map((statement) => query(tx, statement))),
    )) as unknown as SqlRow[][];
    let next = 0;
    return units.map((statements) => statements.map(() => Array.from(flat[next++]!)));
  }

  const group = postgresGroupCommit({
    runGroup,
    runAlone,
    maxInFlight: options.groups ?? 5,
    maxUnits: 64,
  });

  return {
    engine: 'postgres',
    dialect: 'postgres',
    run(statements) {
      const only = statements.length === 1 ? statements[0]! : undefined;
      return only && READ_ONLY.test(only.sql) ? runAlone(statements) : group.write(statements);
    },
    close: async () => {
      await group.drained();
      await sql.end({ timeout: 5 });
    },
  };

  function runAlone(statements: readonly SqlStatement[]): Promise<SqlRow[][]> {
    return withRetries(() => runOnce(statements));
  }
}

async function migrate(sql: postgres.Sql, migrations: readonly Migration[]): Promise<void> {
  await sql.begin(async (tx) => {
    // Another process may be migrating: wait for it, whatever `lockTimeoutMs` says.
    await tx`SET LOCAL lock_timeout = 0`;
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;
    const rows = await tx<{ version: number }[]>`SELECT version FROM schema_migrations`;
    const applied = new Set(rows.map((row) => Number(row.version)));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await tx.unsafe(migration.sql);
      await tx`INSERT INTO schema_migrations (version, name, applied_at)
               VALUES (${migration.version}, ${migration.name}, ${Date.now()})`;
    }
  });
}
