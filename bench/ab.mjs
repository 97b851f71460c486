// A/B: two builds of the proxy (and the node:http baseline) under the same loads, interleaved
// round by round in one run, so that a busy machine weighs on both alike. For before/after
// comparisons of a change on a shared 2-core machine, where absolute figures drift.
//
//   BENCH_A=path/to/old/dist/cli.js [BENCH_B=packages/server/dist/cli.js] \
//     [BENCH_A_NODE_ARGS='--flag …'] [BENCH_B_NODE_ARGS='--flag …'] node bench/ab.mjs [reps=3] [seconds=4]
//
// Notify: one SQLite database of orders (made once through B), copied fresh for each server,
// and the same signed notifications (30% duplicates) sent to each. Prints the figures of every
// repetition and the median ratio B/A (and proxy/baseline for creation).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CREDENTIALS,
  STUB,
  createLoad,
  notifyLoad,
  startBaseline,
  startNode,
  startProxy,
  stubCreated,
  writeNotifyBodies,
} from './figures/server.mjs';
import { runLoad } from './lib/load.mjs';
import { ROOT } from './lib/paths.mjs';
import { stopAll } from './lib/procs.mjs';

const reps = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 4);
const builds = {
  A: process.env.BENCH_A,
  B: process.env.BENCH_B ?? path.join(ROOT, 'packages/server/dist/cli.js'),
};
if (!builds.A) {
  console.error('set BENCH_A to the cli.js of the build to compare against');
  process.exit(2);
}
const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-ab-'));
const once = { warmupSeconds: 1, rounds: 1, roundSeconds: seconds };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function withProxy(build, db, label, fn) {
  process.env.BENCH_PROXY_CLI = builds[build];
  process.env.BENCH_PROXY_NODE_ARGS = process.env[`BENCH_${build}_NODE_ARGS`] ?? '';
  const proxy = await startProxy({ gatewayUrl: stub.url, databaseUrl: `file:${db}`, dir, label });
  try {
    return await fn(proxy);
  } finally {
    await proxy.proc.stop();
  }
}

const stub = await startNode(STUB, 'gateway stub', {
  SIGN_KEY: CREDENTIALS.signKey,
  PARTNER_NO: CREDENTIALS.partnerNo,
});
const rows = [];
try {
  // The orders for every notify run, made once.
  const seed = path.join(dir, 'seed.db');
  await withProxy('B', seed, 'seed', (proxy) =>
    runLoad('seed orders (not measured)', {
      ...createLoad(proxy.url),
      warmupSeconds: 0,
      rounds: 1,
      roundSeconds: Math.max(10, seconds * 3),
    }),
  );
  const file = path.join(dir, 'notify.json');
  const orders = writeNotifyBodies(await stubCreated(stub.url), file);
  console.error(`ab: ${orders} orders for the notify runs`);
  const committed = (r) => (r.rounds[0].counts?.new?.good ?? 0) / r.rounds[0].seconds;

  for (let rep = 1; rep <= reps; rep++) {
    const row = { rep };
    const baseline = await startBaseline(stub.url);
    row.baselineCreate = (
      await runLoad('baseline create', { ...createLoad(baseline.url), ...once })
    ).rps.median;
    await baseline.proc.stop();
    const withStore = await startBaseline(stub.url, [], {
      BASELINE_SQLITE: path.join(dir, `baseline-${rep}.db`),
    });
    row.baselineSqliteCreate = (
      await runLoad('baseline + SQLite create', { ...createLoad(withStore.url), ...once })
    ).rps.median;
    await withStore.proc.stop();
    for (const build of rep % 2 ? ['A', 'B'] : ['B', 'A']) {
      const db = path.join(dir, `${build}-${rep}.db`);
      copyFileSync(seed, db);
      await withProxy(build, db, build, async (proxy) => {
        const n = await runLoad(
          `${build} notify`,
          { ...notifyLoad(proxy.url, file, rep), ...once },
          {
            pids: [proxy.proc.child.pid],
          },
        );
        row[`${build}notify`] = committed(n);
        row[`${build}notifyCpu`] = n.cpuPerRequest[0];
        row[`${build}notifyMain`] = n.mainCpuPerRequest[0];
        const c = await runLoad(
          `${build} create`,
          { ...createLoad(proxy.url), ...once },
          {
            pids: [proxy.proc.child.pid],
          },
        );
        row[`${build}create`] = c.rps.median;
        row[`${build}createCpu`] = c.cpuPerRequest[0];
      });
    }
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const col = (k) => rows.map((r) => r[k]);
  const fmt = (xs) =>
    `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
  const ratio = (a, b) => rows.map((r) => r[a] / r[b]);
  const r2 = (xs) =>
    `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  console.log(`\n| measure | A | B | B/A |\n|---|---|---|---|`);
  console.log(
    `| notify committed/s | ${fmt(col('Anotify'))} | ${fmt(col('Bnotify'))} | ${r2(ratio('Bnotify', 'Anotify'))} |`,
  );
  console.log(
    `| notify CPU µs/request | ${fmt(col('AnotifyCpu'))} | ${fmt(col('BnotifyCpu'))} | ${r2(ratio('BnotifyCpu', 'AnotifyCpu'))} |`,
  );
  console.log(
    `| notify main-thread CPU µs/request | ${fmt(col('AnotifyMain'))} | ${fmt(col('BnotifyMain'))} | ${r2(ratio('BnotifyMain', 'AnotifyMain'))} |`,
  );
  console.log(
    `| create req/s | ${fmt(col('Acreate'))} | ${fmt(col('Bcreate'))} | ${r2(ratio('Bcreate', 'Acreate'))} |`,
  );
  console.log(
    `| create CPU µs/request | ${fmt(col('AcreateCpu'))} | ${fmt(col('BcreateCpu'))} | ${r2(ratio('BcreateCpu', 'AcreateCpu'))} |`,
  );
  console.log(
    `| create vs baseline (${fmt(col('baselineCreate'))} req/s) | ${r2(ratio('Acreate', 'baselineCreate'))} | ${r2(ratio('Bcreate', 'baselineCreate'))} | |`,
  );
  console.log(
    `| create vs baseline + SQLite (${fmt(col('baselineSqliteCreate'))} req/s) | ${r2(ratio('Acreate', 'baselineSqliteCreate'))} | ${r2(ratio('Bcreate', 'baselineSqliteCreate'))} | |`,
  );
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
