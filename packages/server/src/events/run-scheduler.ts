import { shortMessage } from './short-message.js';

/** Where the scheduler reports a failed or abandoned run. */
export interface RunSchedulerLogger {
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** When a run happens: directly, or woken with at most one in flight and one queued. */
export interface RunScheduler<T> {
  /** Runs now, beside any woken run; `idle()` waits for it too. Rejects as the run does. */
  runOnce(): Promise<T>;
  /**
   * Asks for a run soon: at most one run is in flight, and one more is queued when woken during a
   * run. Never rejects: a failed run is logged and resolves `undefined`.
   */
  wake(): Promise<T | undefined>;
  /** Resolves once no run is in flight or queued, or after `leaseMs` at most. */
  idle(): Promise<void>;
}

/**
 * Schedules the runs of `run`. A run still going after a whole lease was cut off by its platform (a
 * Worker's `waitUntil` ended) or hangs: its claims have lapsed, so it is forgotten, not waited for.
 */
export function createRunScheduler<T>(options: {
  run: () => Promise<T>;
  leaseMs: number;
  clock: () => number;
  logger: RunSchedulerLogger;
}): RunScheduler<T> {
  const { run, leaseMs, clock, logger } = options;
  let current: Promise<T | undefined> | undefined;
  let currentStartedAt = 0;
  let queued: Promise<T | undefined> | undefined;
  const direct = new Set<Promise<unknown>>();

  function forgetStaleRun(): void {
    if (current && clock() - currentStartedAt > leaseMs) {
      logger.warn('outbox run abandoned', { runningMs: clock() - currentStartedAt });
      current = undefined;
      queued = undefined;
    }
  }

  function launch(): Promise<T | undefined> {
    const started = Promise.resolve()
      .then(run)
      .catch((error: unknown) => {
        logger.error('outbox run failed', { error: shortMessage(error) });
        return undefined;
      });
    current = started;
    currentStartedAt = clock();
    void started.then(() => {
      if (current === started) current = undefined;
    });
    return started;
  }

  return {
    runOnce() {
      const started = run();
      direct.add(started);
      const forget = () => direct.delete(started);
      void started.then(forget, forget);
      return started;
    },
    wake() {
      forgetStaleRun();
      if (queued) return queued;
      if (!current) return launch();
      const next = current.then(() => {
        queued = undefined;
        return launch();
      });
      queued = next;
      return next;
    },
    async idle() {
      // Bounded by a lease: a run cut off by its platform never settles.
      const deadline = Date.now() + leaseMs;
      while (current || queued || direct.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          Promise.allSettled([current, queued, ...direct]),
          new Promise((resolve) => (timer = setTimeout(resolve, left))),
        ]);
        clearTimeout(timer);
        forgetStaleRun();
      }
    },
  };
}
