import type { Transport } from '@scanforpay/protocol';
import type { Chaos } from './chaos.js';
import type { TimerSet } from './timer-set.js';

/** One delivery attempt of a notification, as listed by `GET /__sandbox/notifications`. */
export interface NotificationRecord {
  /** Increasing number of the attempt, across all notifications. */
  readonly id: number;
  readonly partnerNo: string;
  readonly partnerOrderNo: string;
  readonly orderNo: string;
  readonly url: string;
  /** The raw body sent (or that would have been sent, for a dropped attempt). */
  readonly body: string;
  /** 1 for the first try of a delivery, 2 for its first retry, ... */
  readonly attempt: number;
  /** 0 for the delivery itself, 1..N for copies sent by `chaos.duplicate` or a re-send. */
  readonly copy: number;
  /** The HTTP status answered, or null when nothing was answered. */
  status: number | null;
  /** The answer's body text (first 2000 characters). */
  answer: string;
  /** Whether this attempt was acknowledged (2xx and the body `success`). */
  acknowledged: boolean;
  /** Why no answer was read: a network error, a timeout, or a chaos drop. */
  error?: string;
  /** ISO time the attempt started. */
  readonly at: string;
}

/** A notification to deliver: its signed bytes and where to. */
export interface Outgoing {
  readonly partnerNo: string;
  readonly partnerOrderNo: string;
  readonly orderNo: string;
  readonly url: string;
  readonly body: string;
}

export interface NotifierOptions {
  transport: Transport;
  timers: TimerSet;
  /** Delay before each attempt, in ms; its length is the number of tries. */
  schedule: readonly number[];
  timeoutMs: number;
  reorderWindowMs: number;
  now: () => Date;
  /** The current chaos settings; `dropFirst` is consumed through `takeDrop`. */
  chaos: () => Chaos;
  takeDrop: () => boolean;
}

const MAX_ANSWER = 2000;

/**
 * Delivers notifications with retries: attempt i waits `schedule[i]` ms after the previous
 * attempt ended, and a delivery stops at the first acknowledgement (HTTP 2xx with the body
 * `success`, whitespace trimmed) or after the last scheduled try.
 */
export class Notifier {
  readonly records: NotificationRecord[] = [];
  readonly #options: NotifierOptions;
  readonly #inFlight = new Set<AbortController>();
  #held: Array<() => void> = [];
  #nextId = 1;
  /** Bumped by `clear()`, so deliveries started before a reset stop. */
  #generation = 0;
  #disposed = false;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /** Queues a notification (and the copies `chaos.duplicate` asks for). */
  send(outgoing: Outgoing, firstCopy = 0): void {
    const chaos = this.#options.chaos();
    const copies = 1 + (chaos.duplicate ?? 0);
    const generation = this.#generation;
    for (let copy = firstCopy; copy < firstCopy + copies; copy++) {
      const start = () => this.#attempt(outgoing, copy, 0, chaos.delayMs ?? 0, generation);
      if (chaos.reorder) this.#hold(start);
      else start();
    }
  }

  /** Forgets the log and cancels pending deliveries (the timers belong to the caller). */
  clear(): void {
    this.#generation++;
    this.records.length = 0;
    this.#held = [];
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
  }

  dispose(): void {
    this.#disposed = true;
    this.clear();
  }

  /** Reordering: hold deliveries for a window, then start them newest first. */
  #hold(start: () => void): void {
    this.#held.push(start);
    if (this.#held.length > 1) return;
    this.#options.timers.schedule(() => {
      const held = this.#held.reverse();
      this.#held = [];
      for (const begin of held) begin();
    }, this.#options.reorderWindowMs);
  }

  #attempt(
    outgoing: Outgoing,
    copy: number,
    index: number,
    extraDelay: number,
    generation: number,
  ): void {
    const { schedule, timers } = this.#options;
    if (index >= schedule.length || !this.#alive(generation)) return;
    timers.schedule(
      () => {
        void this.#deliver(outgoing, copy, index + 1, generation).then((acknowledged) => {
          if (!acknowledged) this.#attempt(outgoing, copy, index + 1, 0, generation);
        });
      },
      (schedule[index] ?? 0) + extraDelay,
    );
  }

  #alive(generation: number): boolean {
    return !this.#disposed && generation === this.#generation;
  }

  async #deliver(
    outgoing: Outgoing,
    copy: number,
    attempt: number,
    generation: number,
  ): Promise<boolean> {
    if (!this.#alive(generation)) return true;
    const record: NotificationRecord = {
      id: this.#nextId++,
      partnerNo: outgoing.partnerNo,
      partnerOrderNo: outgoing.partnerOrderNo,
      orderNo: outgoing.orderNo,
      url: outgoing.url,
      body: outgoing.body,
      attempt,
      copy,
      status: null,
      answer: '',
      acknowledged: false,
      at: this.#options.now().toISOString(),
    };
    this.records.push(record);
    if (this.#options.takeDrop()) {
      record.error = 'dropped by chaos (dropFirst)';
      return false;
    }
    const controller = new AbortController();
    this.#inFlight.add(controller);
    const cancelTimeout = this.#options.timers.schedule(
      () => controller.abort(),
      this.#options.timeoutMs,
    );
    try {
      const answer = await this.#options.transport(outgoing.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: outgoing.body,
        signal: controller.signal,
      });
      record.status = answer.status;
      record.answer = answer.text.slice(0, MAX_ANSWER);
      record.acknowledged =
        answer.status >= 200 && answer.status <= 299 && answer.text.trim() === 'success';
    } catch (error) {
      record.error = controller.signal.aborted
        ? !this.#alive(generation)
          ? 'cancelled: the sandbox was reset or stopped'
          : `timed out after ${this.#options.timeoutMs} ms`
        : describe(error);
    } finally {
      cancelTimeout();
      this.#inFlight.delete(controller);
    }
    return record.acknowledged;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
