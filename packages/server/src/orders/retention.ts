import type { Logger } from '../logging/create-logger.js';
import { RETAINED_RECORDS, type OrderStore, type RetainedRecords } from '../store/order-store.js';

const DAY_MS = 24 * 60 * 60_000;

/** Rows one retention statement deletes at most. */
export const RETENTION_BATCH = 500;
/** Statements per kind of record in one pass; what is left goes in the next pass. */
export const RETENTION_BATCHES_PER_PASS = 10;
/** After a pass that left nothing old behind, the next one waits this long. */
export const RETENTION_INTERVAL_MS = 10 * 60_000;

/** Rows deleted by one retention pass, per kind; `more` when a kind still has old rows. */
export type RetentionReport = Record<RetainedRecords, number> & { more: boolean };

export interface RetentionDeps {
  store: Partial<Pick<OrderStore, 'pruneBefore'>>;
  clock: () => number;
  logger: Logger;
  /** Lets requests run between two batches (SQLite deletes on the request thread). */
  pause?: () => Promise<void>;
}

export interface RetentionLimits {
  /** Records older than this many days go; 0 keeps everything. */
  days: number;
  batch?: number;
  batchesPerPass?: number;
}

/**
 * One retention pass: delivered events, verified notifications and idempotency keys older than
 * `days` are deleted, oldest first, `batch` rows per statement and at most `batchesPerPass`
 * statements per kind, pausing between statements so requests interleave. Orders are kept.
 * Undefined when retention is off or the store cannot prune.
 */
export async function pruneOldRecords(
  deps: RetentionDeps,
  limits: RetentionLimits,
): Promise<RetentionReport | undefined> {
  const { pruneBefore } = deps.store;
  if (limits.days <= 0 || !pruneBefore) return undefined;
  const batch = limits.batch ?? RETENTION_BATCH;
  const batches = limits.batchesPerPass ?? RETENTION_BATCHES_PER_PASS;
  const pause = deps.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const before = deps.clock() - limits.days * DAY_MS;
  const report: RetentionReport = { events: 0, notifications: 0, idempotencyKeys: 0, more: false };
  for (const records of RETAINED_RECORDS) {
    for (let i = 0; ; i++) {
      const deleted = await pruneBefore.call(deps.store, records, before, batch);
      report[records] += deleted;
      if (deleted < batch) break;
      if (i + 1 >= batches) {
        report.more = true;
        break;
      }
      await pause();
    }
  }
  const total = report.events + report.notifications + report.idempotencyKeys;
  if (total > 0) {
    deps.logger.info('old records pruned', { ...report, olderThanDays: limits.days });
  }
  return report;
}

/**
 * Retention inside the background pass, which runs every second on Node: a pass runs when due,
 * then again at once while old rows remain, else after `RETENTION_INTERVAL_MS`.
 */
export function retentionSchedule(
  deps: RetentionDeps,
  limits: RetentionLimits,
): () => Promise<RetentionReport | undefined> {
  if (!Number.isSafeInteger(limits.days) || limits.days < 0 || limits.days > 36_500) {
    throw new TypeError('retentionDays: a whole number of days from 0 (keep everything) to 36500');
  }
  let dueAt = 0;
  return async () => {
    const now = deps.clock();
    if (now < dueAt) return undefined;
    dueAt = Number.POSITIVE_INFINITY; // one pass at a time
    try {
      const report = await pruneOldRecords(deps, limits);
      dueAt = report?.more ? now : now + RETENTION_INTERVAL_MS;
      return report;
    } catch (error) {
      dueAt = now + RETENTION_INTERVAL_MS;
      throw error;
    }
  };
}
