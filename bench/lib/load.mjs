// Runs the load generator (bench/load-worker.mjs) in its own process and summarizes its rounds.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from './procs.mjs';
import { spread } from './stats.mjs';

const WORKER = fileURLToPath(new URL('../load-worker.mjs', import.meta.url));

/** Defaults for every measured run: fixed concurrency, warm-up, rounds. */
export const LOAD = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? 2),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  roundSeconds: Number(process.env.BENCH_SECONDS ?? 5),
};

/**
 * CPU seconds (user + system) a process has used so far, from /proc; NaN if unknown. With
 * `mainThread`, only its main thread's (the one that serves HTTP; the SQLite write and
 * checkpoint threads are the others).
 */
export function cpuSeconds(pid, mainThread = false) {
  try {
    const stat = readFileSync(
      mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`,
      'utf8',
    );
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12]: utime, stime in clock ticks (100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * @param {string} label
 * @param {Partial<import('../load-worker.mjs').LoadConfig> & {url: string, path: string}} config
 * @param {{pids?: number[]}} [watch] server processes whose CPU time per request to report
 */
export async function runLoad(label, config, watch = {}) {
  const full = { ...LOAD, ...config };
  const pids = watch.pids ?? [];
  const cpuBefore = pids.map((pid) => cpuSeconds(pid));
  const mainBefore = pids.map((pid) => cpuSeconds(pid, true));
  const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-load-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(full));
  const budgetMs = (full.warmupSeconds + full.rounds * full.roundSeconds) * 1000 + 60_000;
  process.stderr.write(
    `  load: ${label}: ${full.connections} connections, ${full.warmupSeconds} s warm-up, ` +
      `${full.rounds} × ${full.roundSeconds} s\n`,
  );
  const proc = start(process.execPath, [WORKER, file], { name: `load ${label}` });
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), budgetMs);
  const { code, signal } = await proc.exited;
  clearTimeout(timer);
  const cpuUsed = pids.map((pid, i) => cpuSeconds(pid) - cpuBefore[i]);
  const mainUsed = pids.map((pid, i) => cpuSeconds(pid, true) - mainBefore[i]);
  rmSync(dir, { recursive: true, force: true });
  const lines = proc
    .log()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const rounds = lines.filter((l) => !l.warmup);
  if (code !== 0 || rounds.length === 0) {
    throw new Error(
      `load generator for ${label} failed (${code ?? signal})\n${proc.log().slice(-3000)}`,
    );
  }
  for (const r of rounds) {
    const bad = r.non2xx + r.errors + r.timeouts;
    process.stderr.write(
      `    round ${r.round}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms` +
        (bad ? `, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` : '') +
        (r.counts ? `, answers ${JSON.stringify(r.counts)}` : '') +
        '\n',
    );
  }
  const warmup = lines.find((l) => l.warmup);
  const served = rounds.concat(warmup ?? []).reduce((n, r) => n + r.ok, 0);
  const cpuPerRequest = cpuUsed.map((s) => (s * 1e6) / served);
  const mainCpuPerRequest = mainUsed.map((s) => (s * 1e6) / served);
  if (pids.length) {
    const figures = cpuPerRequest.map(
      (x, i) => `${Math.round(x)} µs (main thread ${Math.round(mainCpuPerRequest[i])} µs)`,
    );
    process.stderr.write(`    server CPU per request: ${figures.join(', ')}\n`);
  }
  return { ...summarize(label, rounds, warmup), cpuPerRequest, mainCpuPerRequest };
}

function summarize(label, rounds, warmup) {
  return {
    label,
    rounds,
    warmup,
    rps: spread(rounds.map((r) => r.rps)),
    p50: spread(rounds.map((r) => r.p50)),
    p99: spread(rounds.map((r) => r.p99)),
    failures: rounds.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
  };
}

/**
 * Several servers under their loads round by round (A1 B1 C1, A2 B2 C2, …) instead of one after
 * the other, so that a change of the machine's speed during the run (this VM's moves by up to
 * 1.9× within minutes: bench/results/issue-18d.md) weighs on each alike, and the ratios between
 * them are measured side by side. Each gets its full warm-up before its first round and a short
 * one (at most 1 s, on new connections) before the others. A load that fails is reported
 * `{skipped}` and left out of the later rounds. Results come in the order of `loads`, each shaped
 * like `runLoad`'s.
 * @param {Array<{label: string, config: Parameters<typeof runLoad>[1], watch?: {pids?: number[]}}>} loads
 */
export async function runInterleaved(loads) {
  const parts = loads.map(() => /** @type {any[]} */ ([]));
  const failed = loads.map(() => /** @type {string | undefined} */ (undefined));
  const rounds = loads[0]?.config.rounds ?? LOAD.rounds;
  for (let round = 0; round < rounds; round++) {
    for (const [i, load] of loads.entries()) {
      if (failed[i]) continue;
      const warmup = load.config.warmupSeconds ?? LOAD.warmupSeconds;
      try {
        const result = await runLoad(
          `${load.label}, round ${round + 1} of ${rounds}`,
          { ...load.config, rounds: 1, warmupSeconds: round === 0 ? warmup : Math.min(1, warmup) },
          load.watch,
        );
        parts[i].push(result);
      } catch (error) {
        console.error(`bench: ${load.label} failed: ${error?.stack ?? error}`);
        failed[i] = `failed: ${String(error?.message ?? error).split('\n')[0]}`;
      }
    }
  }
  return parts.map((results, i) => {
    if (failed[i]) return { skipped: failed[i] };
    const roundsRun = results.map((r, n) => ({ ...r.rounds[0], round: n + 1 }));
    // CPU per request over every call, each weighed by the requests it served.
    const served = results.map((r) => r.rounds[0].ok + (r.warmup?.ok ?? 0));
    const total = served.reduce((a, b) => a + b, 0);
    const weighed = (key) =>
      (results[0]?.[key] ?? []).map(
        (_, p) => results.reduce((sum, r, n) => sum + r[key][p] * served[n], 0) / total,
      );
    return {
      ...summarize(loads[i].label, roundsRun, results[0]?.warmup),
      cpuPerRequest: weighed('cpuPerRequest'),
      mainCpuPerRequest: weighed('mainCpuPerRequest'),
    };
  });
}
