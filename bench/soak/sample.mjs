// What the soak measures: the proxy process (/proc: RSS, file descriptors by kind, threads; the
// preloaded probe: active resources, heap after a full GC) and its database (file + WAL size or
// pg_database_size, row counts per table and by status/outcome).
import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../lib/paths.mjs';

const requireServer = createRequire(path.join(ROOT, 'packages/server/package.json'));

/** RSS, threads and open file descriptors (by kind) of `pid`, from /proc. */
export function procStats(pid) {
  const out = { rssBytes: NaN, threads: NaN, fds: NaN, fdKinds: {} };
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    if (rss) out.rssBytes = Number(rss[1]) * 1024;
    const threads = /Threads:\s+(\d+)/.exec(status);
    if (threads) out.threads = Number(threads[1]);
  } catch {
    return out;
  }
  try {
    const fds = readdirSync(`/proc/${pid}/fd`);
    out.fds = fds.length;
    for (const fd of fds) {
      let kind;
      try {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        kind = link.startsWith('socket:')
          ? 'socket'
          : link.startsWith('pipe:')
            ? 'pipe'
            : link.startsWith('anon_inode:')
              ? 'anon'
              : link.startsWith('/')
                ? 'file'
                : 'other';
      } catch {
        kind = 'gone';
      }
      out.fdKinds[kind] = (out.fdKinds[kind] ?? 0) + 1;
    }
  } catch {
    // process gone
  }
  return out;
}

/** Asks the probe in `pid` for a snapshot (SIGUSR2) and waits for it; undefined if none came. */
export async function probe(pid, file, timeoutMs = 3000) {
  const read = () => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  };
  const before = read()?.seq ?? 0;
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await sleep(25);
    const snapshot = read();
    if (snapshot && snapshot.seq > before) return snapshot;
  }
  return undefined;
}

/** Counts per table and the groups the verdict reads; each query is optional (schemas move). */
async function countRows(all, tables) {
  const out = { tables: {}, groups: {} };
  for (const t of tables) {
    const [row] = await all(`SELECT count(*) AS n FROM "${t}"`);
    out.tables[t] = Number(row.n);
  }
  const groups = {
    orders: `SELECT status AS k, count(*) AS n FROM orders GROUP BY status`,
    notifications: `SELECT outcome AS k, count(*) AS n FROM notifications GROUP BY outcome`,
    refunds: `SELECT status AS k, count(*) AS n FROM refunds GROUP BY status`,
    outbox: `SELECT CASE WHEN delivered_at IS NOT NULL THEN 'delivered'
                         WHEN given_up_at IS NOT NULL THEN 'given_up' ELSE 'waiting' END AS k,
                    count(*) AS n FROM outbox GROUP BY 1`,
  };
  for (const [name, sql] of Object.entries(groups)) {
    try {
      out.groups[name] = Object.fromEntries(
        (await all(sql)).map((r) => [String(r.k), Number(r.n)]),
      );
    } catch {
      // table or column absent in this build
    }
  }
  return out;
}

const ORDER_COLUMNS = `order_id, status, amount, refunded_amount, created_at, expires_at, paid_at,
  updated_at, checks, next_check_at`;

/** The SQLite store at `dbPath`, read through a short-lived read-only connection per call. */
export function sqliteDb(dbPath) {
  const Database = requireServer('better-sqlite3');
  const size = (p) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  const withDb = async (fn) => {
    if (!existsSync(dbPath)) return undefined;
    const db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      return await fn((sql) => db.prepare(sql).all());
    } finally {
      db.close();
    }
  };
  return {
    engine: 'sqlite',
    async sample() {
      const dbBytes = size(dbPath);
      const walBytes = size(`${dbPath}-wal`);
      const counts = await withDb(async (all) => {
        const tables = (
          await all(
            `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
          )
        ).map((r) => r.name);
        const [{ page_count: pages }] = await all('PRAGMA page_count');
        const [{ freelist_count: free }] = await all('PRAGMA freelist_count');
        return { ...(await countRows(all, tables)), pages, freePages: free };
      });
      return { dbBytes, walBytes, totalBytes: dbBytes + walBytes, ...counts };
    },
    orders: () => withDb((all) => all(`SELECT ${ORDER_COLUMNS} FROM orders`)),
    refunds: () => withDb((all) => all(`SELECT refund_no, order_id, amount, status FROM refunds`)),
    close() {},
  };
}

/** The Postgres store at `url` (one connection, kept). */
export function postgresDb(url) {
  const postgres = requireServer('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const all = async (text) => [...(await sql.unsafe(text))];
  return {
    engine: 'postgres',
    async sample() {
      const tables = (
        await all(
          `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
        )
      ).map((r) => r.name);
      const [{ size }] = await all(`SELECT pg_database_size(current_database()) AS size`);
      let tableBytes = 0;
      for (const t of tables) {
        const [{ n }] = await all(`SELECT pg_total_relation_size('"${t}"') AS n`);
        tableBytes += Number(n);
      }
      return {
        dbBytes: Number(size),
        walBytes: 0,
        totalBytes: Number(size),
        tableBytes,
        ...(await countRows(all, tables)),
      };
    },
    orders: () => all(`SELECT ${ORDER_COLUMNS} FROM orders`),
    refunds: () => all(`SELECT refund_no, order_id, amount, status FROM refunds`),
    close: () => sql.end({ timeout: 5 }),
  };
}
