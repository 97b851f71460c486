// The whole run's time budget: `pnpm bench` must finish within BENCH_DEADLINE seconds (600): every
// figure, Postgres and the click figure included, takes about six minutes on a 2-core machine.
import { performance } from 'node:perf_hooks';

export const DEADLINE_SECONDS = Number(process.env.BENCH_DEADLINE ?? 600);
const started = performance.now();

/** Seconds left before the watchdog stops the run. */
export function remainingSeconds() {
  return DEADLINE_SECONDS - (performance.now() - started) / 1000;
}
