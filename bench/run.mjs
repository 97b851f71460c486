// `pnpm bench`: measures the proxy against its baselines and the physical limits in one run, then
// writes BENCHMARKS.md. Bounded (a watchdog stops everything after BENCH_DEADLINE seconds,
// default 300), and every process it starts is stopped, also on error or Ctrl-C.
//
//   node bench/run.mjs [--only=servers,bundle,click] [--profile] [--out=FILE]
//
// --profile runs the SQLite proxy under `node --cpu-prof` and keeps the .cpuprofile files in
// bench/.profiles/ (summarize with `node bench/profile-summary.mjs <file>`).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { measureBundles } from './figures/bundle.mjs';
import { measureClicks } from './figures/click.mjs';
import { measureServers } from './figures/server.mjs';
import { LOAD } from './lib/load.mjs';
import { describeMachine } from './lib/machine.mjs';
import { ROOT } from './lib/paths.mjs';
import { stopAll } from './lib/procs.mjs';
import { renderReport, verdicts } from './lib/report.mjs';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const only = args.has('only') ? new Set(args.get('only').split(',')) : null;
const wants = (part) => !only || only.has(part);
const out = path.resolve(ROOT, args.get('out') ?? 'BENCHMARKS.md');

const deadline = Number(process.env.BENCH_DEADLINE ?? 300);
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${deadline} s; stopping everything`);
  process.exit(2); // the exit handler in lib/procs.mjs kills every child
}, deadline * 1000);
watchdog.unref();

const t0 = performance.now();
const machine = describeMachine();
console.error(
  `bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average ${machine.loadavg.map((x) => x.toFixed(2)).join(' ')}`,
);

/** @param {string} name @param {() => Promise<any>} fn */
async function part(name, fn) {
  if (!wants(name)) return { skipped: `not run (--only=${[...only].join(',')})` };
  console.error(`\nbench: ${name}`);
  try {
    return await fn();
  } catch (error) {
    console.error(`bench: ${name} failed: ${error?.stack ?? error}`);
    return { skipped: `failed: ${String(error?.message ?? error).split('\n')[0]}` };
  }
}

let exitCode = 0;
try {
  const bundle = await part('bundle', measureBundles);
  let profileDir;
  if (args.has('profile')) {
    profileDir = path.join(ROOT, 'bench/.profiles');
    mkdirSync(profileDir, { recursive: true });
  }
  const servers = await part('servers', () => measureServers({ profileDir }));
  const click = await part('click', measureClicks);
  const result = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    seconds: (performance.now() - t0) / 1000,
    machine,
    load: LOAD,
    bundle,
    servers,
    click,
  };
  writeFileSync(out, renderReport(result));
  console.error(`\nbench: wrote ${path.relative(ROOT, out)} in ${Math.round(result.seconds)} s\n`);
  for (const line of verdicts(result)) console.log(line);
  if ([bundle, servers, click].some((x) => /^failed/.test(x?.skipped ?? ''))) exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);
