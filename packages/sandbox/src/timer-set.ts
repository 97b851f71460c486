/**
 * Every timer the sandbox starts goes through one `TimerSet`, so `dispose()` can cancel all of
 * them at once and a test run, or a CLI shutdown, exits without waiting on stray timers.
 */
export class TimerSet {
  readonly #timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  #disposed = false;

  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void {
    if (this.#disposed) return () => {};
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    this.#timers.set(timer, () => {});
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  /** Resolves after `ms`, or at once when the set is disposed. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#disposed) {
        resolve();
        return;
      }
      const timer = setTimeout(
        () => {
          this.#timers.delete(timer);
          resolve();
        },
        Math.max(0, ms),
      );
      this.#timers.set(timer, resolve);
    });
  }

  /** Pending timers. */
  get size(): number {
    return this.#timers.size;
  }

  /** Cancels every pending timer (sleepers resolve now). */
  clear(): void {
    for (const [timer, wake] of this.#timers) {
      clearTimeout(timer);
      wake();
    }
    this.#timers.clear();
  }

  dispose(): void {
    this.#disposed = true;
    this.clear();
  }
}
