// `pnpm bench`: measures the proxy against its baselines and the physical limits in one run, then
// writes BENCHMARKS.md. Bounded (a watchdog stops everything after BENCH_DEADLINE seconds,
// default 600), and every process it starts is stopped, also on error or Ctrl-C.
//
//   node bench/run.mjs [--only=servers,bundle,click] [--build] [--profile] [--out=FILE]
//
// It measures the packages as built; missing builds are made first (--build rebuilds all).
//
// --profile runs the SQLite proxy under `node --cpu-prof` and keeps the .cpuprofile files in
// bench/.profiles/ (summarize with `node bench/profile-summary.mjs <file>`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEADLINE_SECONDS } from './lib/budget.mjs';
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

const deadline = DEADLINE_SECONDS;
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${deadline} s; stopping everything`);
  process.exit(2); // the exit handler in lib/procs.mjs kills every child
}, deadline * 1000);
watchdog.unref();

const t0 = performance.now();
// Before any build: the load average shows what else the machine was doing.
const machine = describeMachine();
console.error(
  `bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average ${machine.loadavg.map((x) => x.toFixed(2)).join(' ')}`,
);

// The bench measures the built packages: build those that are missing (all with --build).
const PACKAGES = [
  ['protocol', 'dist/index.js'],
  ['sandbox', 'dist/index.js'],
  ['button', 'dist/scanforpay-button.js'],
  ['server', 'dist/cli.js'],
];
for (const [name, file] of PACKAGES) {
  if (args.has('build') || !existsSync(path.join(ROOT, 'packages', name, file))) {
    console.error(`bench: building @scanforpay/${name}`);
    try {
      execFileSync('pnpm', ['--filter', `@scanforpay/${name}`, 'run', 'build'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 120_000,
      });
    } catch (error) {
      console.error(`bench: building @scanforpay/${name} failed: ${error.message.split('\n')[0]}`);
    }
  }
}
const { measureBundles } = await import('./figures/bundle.mjs');
const { measureClicks } = await import('./figures/click.mjs');
const { measureServers } = await import('./figures/server.mjs');

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

/**
 * Figures of the separate, longer scripts (`bench/growth.mjs`, `bench/ab.mjs`, the profiles),
 * kept in bench/results/*.md by whoever ran them, with their command and date: appended as is.
 */
function separateResults() {
  const dir = path.join(ROOT, 'bench/results');
  if (!existsSync(dir)) return '';
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  return files.map((f) => `\n${readFileSync(path.join(dir, f), 'utf8').trim()}\n`).join('');
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
  machine.loadavgEnd = os.loadavg();
  const result = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    seconds: (performance.now() - t0) / 1000,
    machine,
    load: LOAD,
    bundle,
    servers,
    click,
  };
  writeFileSync(out, renderReport(result) + separateResults());
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
