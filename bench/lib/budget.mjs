// The whole run's time budget: `pnpm bench` must finish within BENCH_DEADLINE seconds (300).
import { performance } from 'node:perf_hooks';

export const DEADLINE_SECONDS = Number(process.env.BENCH_DEADLINE ?? 300);
const started = performance.now();

/** Seconds left before the watchdog stops the run. */
export function remainingSeconds() {
  return DEADLINE_SECONDS - (performance.now() - started) / 1000;
}
