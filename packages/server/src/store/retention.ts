/** The records kept only for a while: everything but the orders themselves. */
export const RETAINED_RECORDS = ['events', 'notifications', 'idempotencyKeys'] as const;
export type RetainedRecords = (typeof RETAINED_RECORDS)[number];

/**
 * Deletes old records in bounded batches. What "old" means per kind: an event delivered before
 * `before` (waiting and given-up events are kept, to be resent), a verified notification
 * received before it (refused ones have their own bound), an idempotency key created before it.
 * Orders, refunds and checkout-token claims are never deleted.
 */
export interface Retention {
  /** Deletes at most `limit` of the oldest such rows in one statement; returns how many. */
  pruneBefore(records: RetainedRecords, before: number, limit: number): Promise<number>;
}
