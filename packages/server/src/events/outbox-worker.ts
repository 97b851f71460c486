import { createLogger } from '../logging/create-logger.js';
import type { ClaimedEvent, EventSettlement, OrderStore } from '../store/order-store.js';
import { isPastDeliveryWindow, nextAttemptDelay } from './backoff.js';
import { attemptDelivery, type Destinations } from './attempt-delivery.js';
import { assertWebhookSecret, DEFAULT_WEBHOOK_TIMEOUT_MS } from './deliver-webhook.js';
import { createRunScheduler } from './run-scheduler.js';
import type { FaultHook } from '../fault-hook.js';
import type { MerchantEvent } from '../domain/merchant-event.js';
import type { ProxyMetrics } from '../telemetry/proxy-metrics.js';

/** While the webhook endpoint is disabled (it answered 410), its events are looked at again this often. */
export const DISABLED_ENDPOINT_RECHECK_MS = 60_000;

/** The reason stored with an endpoint that answered 410 Gone. */
export const GONE_REASON = '410 Gone';

/**
 * How long a claim holds an event: two full delivery timeouts and 5 s of slack, so a claim
 * outlives its delivery and only a crashed worker's events are taken again.
 */
export function outboxLeaseMs(timeoutMs: number = DEFAULT_WEBHOOK_TIMEOUT_MS): number {
  return 2 * timeoutMs + 5_000;
}

type LogFn = (msg: string, fields?: Record<string, unknown>) => void;

/** Where the worker writes: one line per settled event, never the secret or the payload. */
export interface OutboxLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export interface OutboxWorkerOptions {
  store: Pick<OrderStore, 'claimEvents' | 'settleEvent' | 'getEndpoint' | 'setEndpoint'>;
  /** The merchant's Standard Webhooks endpoint. */
  webhook?: { url: string; secret: string; timeoutMs?: number };
  /** An in-process destination; it may see an event more than once (dedupe on `event.id`). Throwing counts as a failed delivery. */
  onEvent?: (event: MerchantEvent) => void | Promise<void>;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** For the retry jitter. Default `Math.random`. */
  random?: () => number;
  /** Default: JSON lines on the console. */
  logger?: OutboxLogger;
  /** Events claimed per run. Default 20. */
  batchSize?: number;
  /** Deliveries in flight at once within a run. Default 4. */
  concurrency?: number;
  /** Testing only: awaited at `webhook:sent`. */
  faultHook?: FaultHook;
  /** Counts each settled delivery attempt by outcome. */
  metrics?: Pick<ProxyMetrics, 'webhookDelivery'>;
}

/** What one run did, counted per claimed event. */
export interface OutboxRunResult {
  claimed: number;
  delivered: number;
  retried: number;
  givenUp: number;
  /** Put back without counting an attempt: the endpoint is disabled (410 Gone). */
  released: number;
}

export interface OutboxWorker {
  /**
   * Claims the due events, delivers them and settles each one. Delivery failures are settled
   * and logged, never thrown; a store error rejects.
   */
  runOnce(): Promise<OutboxRunResult>;
  /**
   * Asks for a run soon (e.g. right after an order changed): at most one run is in flight, and
   * one more is queued when woken during a run. Never rejects: a failed run is logged and
   * resolves `undefined`.
   */
  wake(): Promise<OutboxRunResult | undefined>;
  /** Resolves once no run is in flight or queued (graceful shutdown, tests), or after a lease at most. */
  idle(): Promise<void>;
}

/**
 * The outbox worker: delivers the store's merchant events at least once, to the webhook and/or
 * the `onEvent` hook, with exponential backoff for 72 hours. It has no timers: the caller (an
 * interval on Node, a cron trigger on Workers, `wake()` after a change) decides when it runs.
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { store, webhook, onEvent } = options;
  if (webhook) {
    assertWebhookSecret(webhook.secret);
    assertHttpUrl(webhook.url);
  }
  if (!webhook && !onEvent) throw new TypeError('the outbox worker needs a webhook or onEvent');
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? createLogger();
  const batchSize = positiveInteger(options.batchSize ?? 20, 'batchSize');
  const concurrency = positiveInteger(options.concurrency ?? 4, 'concurrency');
  const timeoutMs = webhook?.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const leaseMs = outboxLeaseMs(timeoutMs);
  const destinations: Destinations = {
    ...(webhook ? { webhook } : {}),
    ...(onEvent ? { onEvent } : {}),
    timeoutMs,
    clock,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };

  async function runOnce(): Promise<OutboxRunResult> {
    const result: OutboxRunResult = {
      claimed: 0,
      delivered: 0,
      retried: 0,
      givenUp: 0,
      released: 0,
    };
    const events = await store.claimEvents({ now: clock(), limit: batchSize, leaseMs });
    result.claimed = events.length;
    if (events.length === 0) return result;

    let disabled = webhook ? (await store.getEndpoint(webhook.url))?.disabledAt != null : false;
    const queue = [...events];
    let broken = false;
    async function work(): Promise<void> {
      try {
        for (let event = queue.shift(); event && !broken; event = queue.shift()) {
          await deliverAndSettle(event);
        }
      } catch (error) {
        // A store error: stop taking events (their claims lapse) and let the run reject.
        broken = true;
        throw error;
      }
    }
    async function deliverAndSettle(event: ClaimedEvent): Promise<void> {
      if (disabled) return settle(event, release(), undefined, result);
      const attempt = await attemptDelivery(event, destinations);
      if (attempt.ok) {
        if (options.faultHook) await options.faultHook('webhook:sent');
        return settle(event, { outcome: 'delivered', at: clock() }, attempt.status, result);
      }
      if (attempt.gone) {
        if (!disabled) {
          disabled = true;
          await store.setEndpoint(attempt.url, { at: clock(), reason: GONE_REASON });
          logger.warn('webhook endpoint disabled', { reason: GONE_REASON });
        }
        return settle(event, release(), 410, result);
      }
      const at = clock();
      const { error } = attempt;
      const settlement: EventSettlement = isPastDeliveryWindow(event.createdAt, at)
        ? { outcome: 'given_up', at, error }
        : {
            outcome: 'retry',
            at,
            nextAttemptAt: at + nextAttemptDelay(Math.max(event.attempts, 1), random),
            error,
          };
      return settle(event, settlement, attempt.status, result);
    }
    const workers = Array.from({ length: Math.min(concurrency, events.length) }, work);
    const outcomes = await Promise.allSettled(workers);
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    return result;
  }

  function release(): EventSettlement {
    return { outcome: 'released', nextAttemptAt: clock() + DISABLED_ENDPOINT_RECHECK_MS };
  }

  async function settle(
    event: ClaimedEvent,
    settlement: EventSettlement,
    status: number | undefined,
    result: OutboxRunResult,
  ): Promise<void> {
    const settled = await store.settleEvent(event.eventId, event.claim, settlement);
    const fields = {
      eventId: event.eventId,
      type: event.type,
      outcome: settlement.outcome,
      status: status ?? null,
      // The claim counted this attempt; a release gives it back.
      attempts: settlement.outcome === 'released' ? event.attempts - 1 : event.attempts,
      ...('error' in settlement ? { error: settlement.error } : {}),
      ...('nextAttemptAt' in settlement
        ? { nextAttemptAt: new Date(settlement.nextAttemptAt).toISOString() }
        : {}),
    };
    if (!settled) {
      // The lease passed and another worker took the event: its settlement stands, not ours.
      logger.warn('outbox claim lost', fields);
      return;
    }
    options.metrics?.webhookDelivery(settlement.outcome);
    switch (settlement.outcome) {
      case 'delivered':
        result.delivered += 1;
        logger.info('merchant event delivered', fields);
        break;
      case 'retry':
        result.retried += 1;
        logger.warn('merchant event delivery failed', fields);
        break;
      case 'given_up':
        result.givenUp += 1;
        logger.error('merchant event given up', fields);
        break;
      case 'released':
        result.released += 1;
        logger.warn('merchant event waiting for a disabled endpoint', fields);
        break;
    }
  }

  return createRunScheduler({ run: runOnce, leaseMs, clock, logger });
}

function assertHttpUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('the webhook url is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError('the webhook url must be http: or https:');
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer`);
  return value;
}
