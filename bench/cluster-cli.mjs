// The proxy's CLI behind node:cluster: BENCH_CLUSTER_WORKERS (default 2) processes sharing one
// port and one SQLite file. An experiment for bench/ab.mjs, not a supported way to run the proxy
// (see BENCHMARKS.md, issue 18, "Several processes on one SQLite file"):
//
//   BENCH_A=packages/server/dist/cli.js BENCH_B=bench/cluster-cli.mjs node bench/ab.mjs 3 4
import cluster from 'node:cluster';

const workers = Number(process.env.BENCH_CLUSTER_WORKERS ?? 2);

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
} else {
  await import(new URL('../packages/server/dist/cli.js', import.meta.url).href);
}
