import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Miniflare } from 'miniflare';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createD1Store, type D1DatabaseLike, type OrderStore } from '@scanforpay/server/store';
import { createPostgresStore, createSqliteStore } from '@scanforpay/server/node';

export const ENGINES = ['sqlite', 'postgres', 'd1'] as const;
export type EngineName = (typeof ENGINES)[number];

/** Opens fresh, empty stores on one real engine. */
export interface Engine {
  name: EngineName;
  /** A new store on an empty database. */
  open(): Promise<OrderStore>;
  /** A second store on the same database as the last `open()` (another "process"). */
  openSibling(): Promise<OrderStore>;
  /** Raw rows, for assertions the store API does not expose. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

let counter = 0;
const unique = (prefix: string) =>
  `${prefix}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;

/** The engine this vitest project runs on (`STORE_ENGINE`), SQLite by default. */
export function engineName(): EngineName {
  const name = process.env.STORE_ENGINE ?? 'sqlite';
  if (!(ENGINES as readonly string[]).includes(name)) throw new Error(`STORE_ENGINE=${name}?`);
  return name as EngineName;
}

export async function openEngine(name: EngineName = engineName()): Promise<Engine> {
  if (name === 'sqlite') return sqliteEngine();
  if (name === 'postgres') return postgresEngine();
  return d1Engine();
}

function sqliteEngine(): Engine {
  const dir = mkdtempSync(join(tmpdir(), 'scanforpay-store-'));
  let path = '';
  const stores: OrderStore[] = [];
  const track = <T extends OrderStore>(store: T) => (stores.push(store), store);
  return {
    name: 'sqlite',
    open: () => {
      path = join(dir, `${unique('db')}.db`);
      return Promise.resolve(track(createSqliteStore({ path })));
    },
    openSibling: () => Promise.resolve(track(createSqliteStore({ path }))),
    query(sql) {
      const db = new Database(path);
      try {
        const statement = db.prepare(sql);
        if (!statement.reader) statement.run();
        return Promise.resolve(
          statement.reader ? (statement.all() as Record<string, unknown>[]) : [],
        );
      } finally {
        db.close();
      }
    },
    async close() {
      await Promise.all(stores.map((store) => store.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresEngine(): Promise<Engine> {
  const base = inject('postgresUrl');
  if (!base) throw new Error('no Postgres cluster: the global setup did not start one');
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  const stores: OrderStore[] = [];
  const databases: string[] = [];
  let url = '';
  const track = <T extends OrderStore>(store: T) => (stores.push(store), store);
  return {
    name: 'postgres',
    async open() {
      if (!url) {
        // One database per engine (per test file); emptied between tests, which is much
        // faster than a new database each time.
        const database = unique('t').toLowerCase();
        await admin.unsafe(`CREATE DATABASE ${database}`);
        databases.push(database);
        url = base.replace(/\/[^/]*$/, `/${database}`);
        return track(await createPostgresStore({ url, max: 4 }));
      }
      const store = track(await createPostgresStore({ url, max: 4 }));
      const client = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const tables = await client<{ name: string }[]>`
          SELECT tablename AS name FROM pg_tables
          WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`;
        await client.unsafe(
          `TRUNCATE ${tables.map((t) => `"${t.name}"`).join(', ')} RESTART IDENTITY`,
        );
      } finally {
        await client.end({ timeout: 1 });
      }
      return store;
    },
    async openSibling() {
      return track(await createPostgresStore({ url, max: 4 }));
    },
    async query(sql) {
      const client = postgres(url, { max: 1, onnotice: () => {} });
      try {
        return Array.from(await client.unsafe(sql)) as Record<string, unknown>[];
      } finally {
        await client.end({ timeout: 1 });
      }
    },
    async close() {
      await Promise.all(stores.map((store) => store.close().catch(() => {})));
      for (const database of databases) {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      }
      await admin.end({ timeout: 1 });
    },
  };
}

async function d1Engine(): Promise<Engine> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
    compatibilityDate: '2026-04-26',
    d1Databases: ['DB'],
  });
  const db = (await mf.getD1Database('DB')) as unknown as D1DatabaseLike & {
    exec(sql: string): Promise<unknown>;
  };
  return {
    name: 'd1',
    async open() {
      // The one database: migrated by the first store, emptied (in one batch) for the next.
      const tables = await db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'schema_migrations'",
        )
        .all();
      const names = ((tables.results ?? []) as { name: string }[]).map((row) => row.name);
      if (names.length > 0) {
        await db.batch([
          ...names.map((name) => db.prepare(`DELETE FROM "${name}"`)),
          db.prepare("DELETE FROM sqlite_sequence WHERE name IN ('notifications', 'outbox')"),
        ]);
      }
      const store = createD1Store(db);
      await store.ping(); // migrations run on first use
      return store;
    },
    openSibling: () => Promise.resolve(createD1Store(db)),
    async query(sql) {
      return ((await db.prepare(sql).all()).results ?? []) as Record<string, unknown>[];
    },
    close: () => mf.dispose(),
  };
}
