// Flat cost as data grows: the proxy on an empty SQLite store against the same proxy on a store
// that already holds ORDERS orders with their notifications and events (10% still pending, so
// the reconciliation sweep and the outbox have 100,000 rows to choose from), interleaved round
// by round: creation and notify throughput, and the proxy's RSS after every round.
//
//   node bench/growth.mjs [orders=1000000] [reps=2] [seconds=5] [--out=bench/results/growth.md]
//
// Not part of CI: the seeded database is about 1 GB and takes a minute or more to write.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from '../packages/server/node_modules/better-sqlite3/lib/index.js';
import {
  CREDENTIALS,
  STUB,
  createLoad,
  notifyLoad,
  startNode,
  startProxy,
  stubCreated,
  writeNotifyBodies,
} from './figures/server.mjs';
import { runLoad } from './lib/load.mjs';
import { ROOT } from './lib/paths.mjs';
import { stopAll } from './lib/procs.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const out = process.argv.find((a) => a.startsWith('--out='))?.slice(6);
const ORDERS = Number(args[0] ?? 1_000_000);
const reps = Number(args[1] ?? 2);
const seconds = Number(args[2] ?? 5);
const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-growth-'));
const once = { warmupSeconds: 1, rounds: 1, roundSeconds: seconds };
const { createSqliteStore } = await import(
  pathToFileURL(path.join(ROOT, 'packages/server/dist/node.js')).href
);

/** Writes `n` orders as the proxy would have left them, with a notification and an event each. */
async function seed(file, n) {
  await createSqliteStore({ path: file }).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const order = db.prepare(
    `INSERT INTO orders (order_id, item_id, title, amount, currency, wallet, quantity, status,
       pay_url, gateway_order_no, created_at, expires_at, updated_at, paid_at, next_check_at, transition_id)
     VALUES (?, 'tee', 'Red tee', 19900, 'HKD', 'AlipayHK', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const notification = db.prepare(
    `INSERT INTO notifications (order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
     VALUES (?, ?, ?, 1, 'applied', NULL, ?)`,
  );
  const event = db.prepare(
    `INSERT INTO outbox (event_id, type, order_id, payload, created_at, attempts, next_attempt_at, delivered_at)
     VALUES (?, 'order.paid', ?, ?, ?, 1, ?, ?)`,
  );
  const body = `{"response":{"header":{"partnerNo":"${CREDENTIALS.partnerNo}","respTime":"2026-12-01T10:00:00+08:00","signType":"SHA256","version":"1.0","reqMsgId":"0123456789abcdef0123456789abcdef"},"body":{"code":1,"msg":"success","orderNo":"G%","partnerOrderNo":"%","payTime":"2026-12-01T10:00:00+08:00","orderAmount":19900,"wallet":"AlipayHK","currency":"HKD","status":1}},"signature":"${'a'.repeat(64)}"}`;
  const start = Date.now() - 86_400_000;
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const id = `SEED${String(i).padStart(12, '0')}`;
      const at = start + Math.floor((i / n) * 80_000_000);
      const pending = i % 10 === 0;
      order.run(
        id,
        pending ? 'pending' : 'paid',
        `http://127.0.0.1/pay/${id}`,
        `G${id}`,
        at,
        // Pending ones are not due yet: the sweep finds 100,000 candidates and claims none.
        pending ? Date.now() + 3_600_000 : at + 1_800_000,
        at,
        pending ? null : at + 1000,
        pending ? Date.now() + 3_600_000 : null,
        pending ? null : `T${id}`,
      );
      if (pending) continue;
      notification.run(id, `${id}:1:1`, body.replaceAll('%', id), at + 1000);
      const due = i % 9 === 1; // some events not delivered yet, due later
      event.run(
        `E${id}`,
        id,
        `{"type":"order.paid","orderId":"${id}"}`,
        at + 1000,
        due ? Date.now() + 3_600_000 : at + 1000,
        due ? null : at + 1500,
      );
    }
  });
  for (let from = 0; from < n; from += 50_000) {
    batch(from, Math.min(n, from + 50_000));
    process.stderr.write(`\r  seeding: ${Math.min(n, from + 50_000).toLocaleString('en')} orders`);
  }
  process.stderr.write('\n');
  if (n > 0) db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const rssMiB = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

const stub = await startNode(STUB, 'gateway stub', {
  SIGN_KEY: CREDENTIALS.signKey,
  PARTNER_NO: CREDENTIALS.partnerNo,
});
const rows = [];
try {
  const full = path.join(dir, 'full.db');
  const t0 = Date.now();
  await seed(full, ORDERS);
  console.error(
    `growth: seeded ${ORDERS.toLocaleString('en')} orders in ${Math.round((Date.now() - t0) / 1000)} s`,
  );
  const empty = path.join(dir, 'empty.db');
  await seed(empty, 0);

  for (let rep = 1; rep <= reps; rep++) {
    for (const kind of rep % 2 ? ['empty', 'full'] : ['full', 'empty']) {
      const db = path.join(dir, `${kind}-${rep}.db`);
      copyFileSync(kind === 'full' ? full : empty, db);
      await fetch(`${stub.url}/__reset`, { method: 'POST' });
      const proxy = await startProxy({
        gatewayUrl: stub.url,
        databaseUrl: `file:${db}`,
        dir,
        label: kind,
      });
      const pid = proxy.proc.child.pid;
      try {
        const row = { rep, kind, rss: [rssMiB(pid)] };
        const create = await runLoad(
          `${kind} create`,
          { ...createLoad(proxy.url), ...once },
          { pids: [pid] },
        );
        row.create = create.rps.median;
        row.rss.push(rssMiB(pid));
        const file = path.join(dir, `notify-${kind}-${rep}.json`);
        writeNotifyBodies(await stubCreated(stub.url), file);
        const notify = await runLoad(
          `${kind} notify`,
          { ...notifyLoad(proxy.url, file, rep), ...once },
          { pids: [pid] },
        );
        row.notify = (notify.rounds[0].counts?.new?.good ?? 0) / notify.rounds[0].seconds;
        row.answered = notify.rounds[0].ok / notify.rounds[0].seconds;
        row.rss.push(rssMiB(pid));
        const again = await runLoad(
          `${kind} create again`,
          { ...createLoad(proxy.url), ...once },
          { pids: [pid] },
        );
        row.createAgain = again.rps.median;
        row.rss.push(rssMiB(pid));
        rows.push(row);
        console.log(JSON.stringify(row));
      } finally {
        await proxy.proc.stop();
      }
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pick = (kind, k) => rows.filter((r) => r.kind === kind).map((r) => r[k]);
  const fmt = (xs) =>
    `${Math.round(med(xs))} (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
  const ratios = (k) =>
    rows
      .filter((r) => r.kind === 'full')
      .map((r) => r[k] / rows.find((e) => e.kind === 'empty' && e.rep === r.rep)[k]);
  const rf = (xs) =>
    `${med(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  const lines = [
    `## Flat cost as data grows (\`node bench/growth.mjs ${ORDERS} ${reps} ${seconds}\`)`,
    '',
    `Written ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}. The same proxy build on an empty SQLite store and on one holding ${ORDERS.toLocaleString('en')} orders (90% paid with their applied notification and \`order.paid\` event, 10% pending and not yet due; 1 in 9 events undelivered and not yet due), interleaved, ${reps} repetitions of 32 connections × ${seconds} s per load. Throughput in 2xx/s (notify: first notifications committed/s, 30% duplicates also sent); RSS of the proxy process after start, creation, notify, creation again.`,
    '',
    `| measure | empty store | ${ORDERS.toLocaleString('en')}-order store | full / empty |`,
    '| --- | --- | --- | --- |',
    `| create req/s | ${fmt(pick('empty', 'create'))} | ${fmt(pick('full', 'create'))} | ${rf(ratios('create'))} |`,
    `| notify committed/s | ${fmt(pick('empty', 'notify'))} | ${fmt(pick('full', 'notify'))} | ${rf(ratios('notify'))} |`,
    `| create again req/s | ${fmt(pick('empty', 'createAgain'))} | ${fmt(pick('full', 'createAgain'))} | ${rf(ratios('createAgain'))} |`,
    ...rows.map(
      (r) => `| RSS MiB, ${r.kind} #${r.rep} | ${r.rss.map((x) => x.toFixed(0)).join(' → ')} | | |`,
    ),
    '',
  ];
  console.log(lines.join('\n'));
  if (out) {
    mkdirSync(path.dirname(path.resolve(ROOT, out)), { recursive: true });
    writeFileSync(path.resolve(ROOT, out), lines.join('\n'));
  }
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
