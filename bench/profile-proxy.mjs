// Profiles the proxy and the baseline (`node --cpu-prof`) under the bench's order-creation and
// notify loads, one profile each, and prints where the CPU time goes per request.
//   node bench/profile-proxy.mjs [seconds=8] [top=30]
// Profiles are kept in bench/.profiles/<server>-<load>/ (git-ignored).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import { busyMicros, summarize, threadProfiles } from './profile-summary.mjs';

const seconds = Number(process.argv[2] ?? 8);
const top = Number(process.argv[3] ?? 30);
const outDir = path.join(ROOT, 'bench/.profiles');
const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-profile-'));
const once = { warmupSeconds: 1, rounds: 1, roundSeconds: seconds };

/** Starts a server under --cpu-prof, loads it, stops it, summarizes its profile. */
async function profiled(name, startServer, load) {
  const profDir = path.join(outDir, name);
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const server = await startServer(profDir);
  const result = await runLoad(name, load(server.url));
  await server.proc.stop(10_000);
  const { main: file, others } = threadProfiles(profDir);
  if (!file) throw new Error(`no profile written for ${name}\n${server.proc.log()}`);
  const requests = result.rounds.concat(result.warmup ?? []).reduce((n, r) => n + r.ok, 0);
  const read = (f) => JSON.parse(readFileSync(path.join(profDir, f), 'utf8'));
  console.log(`\n=== ${name} (${path.relative(ROOT, path.join(profDir, file))}) ===`);
  console.log(summarize(read(file), top, requests));
  // The other threads (the SQLite checkpoint worker) get their total only.
  for (const other of others) {
    const busy = busyMicros(read(other));
    console.log(
      `other thread ${other.split('.').at(-3)}: ${(busy / requests).toFixed(0)} µs busy a request`,
    );
  }
}

const prof = (profDir) => ['--cpu-prof', `--cpu-prof-dir=${profDir}`];
const stub = await startNode(STUB, 'gateway stub', {
  SIGN_KEY: CREDENTIALS.signKey,
  PARTNER_NO: CREDENTIALS.partnerNo,
});
try {
  const dbUrl = `file:${path.join(dir, 'orders.db')}`;
  const proxy = (label) => (profDir) =>
    startProxy({ gatewayUrl: stub.url, databaseUrl: dbUrl, dir, label, cpuProf: profDir });
  await profiled(
    'baseline-create',
    (d) => startBaseline(stub.url, prof(d)),
    (url) => ({ ...createLoad(url), ...once }),
  );
  await fetch(`${stub.url}/__reset`, { method: 'POST' });
  await profiled('proxy-create', proxy('create'), (url) => ({ ...createLoad(url), ...once }));
  const file = path.join(dir, 'notify.json');
  writeNotifyBodies(await stubCreated(stub.url), file);
  await profiled(
    'baseline-notify',
    (d) => startBaseline(stub.url, prof(d)),
    (url) => ({ ...notifyLoad(url, file, 7), ...once }),
  );
  await profiled('proxy-notify', proxy('notify'), (url) => ({
    ...notifyLoad(url, file, 7),
    ...once,
  }));
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
