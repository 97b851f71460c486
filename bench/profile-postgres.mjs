// Profiles the proxy on Postgres (a throwaway cluster, fsync on) under the bench's notify load:
// orders created first (not profiled), then `POST /notify` under --cpu-prof.
//   node bench/profile-postgres.mjs [seconds=8] [top=30]
// BENCH_NO_PROFILE=1: the same run without --cpu-prof (CPU µs per request only).
// BENCH_PG_PARAMS='?name=value': server settings for the proxy's connections (postgres.js passes
// a URL's unknown query parameters to the server), e.g. '?plan_cache_mode=force_generic_plan'.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
import { onExit, stopAll } from './lib/procs.mjs';
import { summarize, threadProfiles } from './profile-summary.mjs';
import { startPostgres } from '../scripts/postgres-cluster.mjs';

const seconds = Number(process.argv[2] ?? 8);
const top = Number(process.argv[3] ?? 30);
const noProfile = process.env.BENCH_NO_PROFILE === '1';
const profDir = path.join(ROOT, 'bench/.profiles/proxy-notify-postgres');
const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-profile-'));
const cluster = await startPostgres({ durable: true });
// Stopped on Ctrl-C or a kill too, not only after the run.
const stopCluster = onExit(() => cluster.stop());
const stub = await startNode(STUB, 'gateway stub', {
  SIGN_KEY: CREDENTIALS.signKey,
  PARTNER_NO: CREDENTIALS.partnerNo,
});
try {
  const plain = await startProxy({
    gatewayUrl: stub.url,
    databaseUrl: cluster.url,
    dir,
    label: 'pg',
  });
  await runLoad('orders for the notify load (not profiled)', {
    ...createLoad(plain.url),
    warmupSeconds: 0,
    rounds: 1,
    roundSeconds: Math.ceil(seconds * 3),
  });
  await plain.proc.stop(10_000);
  const file = path.join(dir, 'notify.json');
  writeNotifyBodies(await stubCreated(stub.url), file);
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const proxy = await startProxy({
    gatewayUrl: stub.url,
    databaseUrl: cluster.url + (process.env.BENCH_PG_PARAMS ?? ''),
    dir,
    label: 'pg-prof',
    ...(noProfile ? {} : { cpuProf: profDir }),
  });
  const result = await runLoad(
    'proxy (Postgres) POST /notify',
    {
      ...notifyLoad(proxy.url, file, 7),
      warmupSeconds: 1,
      rounds: 1,
      roundSeconds: seconds,
    },
    { pids: [proxy.proc.child.pid] },
  );
  await proxy.proc.stop(10_000);
  if (!noProfile) {
    const prof = threadProfiles(profDir).main;
    if (!prof) throw new Error(`no profile written\n${proxy.proc.log()}`);
    const requests = result.rounds.concat(result.warmup ?? []).reduce((n, r) => n + r.ok, 0);
    console.log(
      `\n=== proxy-notify-postgres (${path.relative(ROOT, path.join(profDir, prof))}) ===`,
    );
    console.log(
      summarize(JSON.parse(readFileSync(path.join(profDir, prof), 'utf8')), top, requests),
    );
  }
} finally {
  await stopAll();
  cluster.stop();
  stopCluster();
  rmSync(dir, { recursive: true, force: true });
}
