import { waitUntil } from '@open-wc/testing';
import type { PollClock } from '../src/poll-clock.js';

interface Timer {
  at: number;
  run: () => void;
}

/** A `PollClock` whose time moves only when the test says so. */
export class ManualClock implements PollClock {
  #now = 0;
  #timers: Timer[] = [];
  /** Every wait asked for, in ms, in order. */
  readonly waits: number[] = [];

  now(): number {
    return this.#now;
  }

  schedule(run: () => void, ms: number): () => void {
    const timer = { at: this.#now + ms, run };
    this.#timers.push(timer);
    this.waits.push(ms);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Timers set and neither run nor cancelled. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Waits (in real time, bounded) until a timer is set, as the element does once a poll is
   * answered, then moves the time to the earliest one and runs it. Resolves with the new time.
   */
  async runNext(): Promise<number> {
    await waitUntil(() => this.#timers.length > 0, 'no timer was set', {
      interval: 5,
      timeout: 4000,
    });
    const next = this.#timers.reduce((a, b) => (b.at < a.at ? b : a));
    this.#timers = this.#timers.filter((t) => t !== next);
    this.#now = Math.max(this.#now, next.at);
    next.run();
    return this.#now;
  }
}
