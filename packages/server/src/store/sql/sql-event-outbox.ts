import type { ClaimedEvent, EventOutbox } from '../event-outbox.js';
import { newId } from './new-id.js';
import { toEndpoint, toEvent } from './row-mappers.js';
import { toNumberOrNull, type SqlStatement } from './sql-driver.js';
import type { SqlRunner } from './sql-runner.js';

/** The outbox and webhook endpoints on SQL: claims are leases, settlements are fenced by claim. */
export function sqlEventOutbox(db: SqlRunner): EventOutbox {
  return {
    async claimEvents({ now, limit, leaseMs }) {
      const claim = newId();
      const due = 'delivered_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= ?';
      const rows = await db.one(
        `WITH picked AS MATERIALIZED (
           SELECT id FROM outbox WHERE ${due} ORDER BY next_attempt_at LIMIT ?${db.skipLocked})
         UPDATE outbox SET next_attempt_at = ?, claim_id = ?, attempts = attempts + 1
         WHERE id IN (SELECT id FROM picked) AND ${due}
         RETURNING *`,
        [now, limit, now + leaseMs, claim, now],
      );
      return rows
        .map((row): ClaimedEvent => ({ ...toEvent(row), claim }))
        .sort((a, b) => a.createdAt - b.createdAt);
    },

    async settleEvent(eventId, claim, settlement) {
      const held =
        'WHERE event_id = ? AND claim_id = ? AND delivered_at IS NULL RETURNING event_id';
      let statement: SqlStatement;
      switch (settlement.outcome) {
        case 'delivered':
          statement = {
            sql: `UPDATE outbox SET delivered_at = ?, claim_id = NULL, last_error = NULL ${held}`,
            params: [settlement.at, eventId, claim],
          };
          break;
        case 'retry':
          statement = {
            sql: `UPDATE outbox SET next_attempt_at = ?, last_error = ?, claim_id = NULL ${held}`,
            params: [settlement.nextAttemptAt, settlement.error, eventId, claim],
          };
          break;
        case 'given_up':
          statement = {
            sql: `UPDATE outbox SET given_up_at = ?, last_error = ?, claim_id = NULL ${held}`,
            params: [settlement.at, settlement.error, eventId, claim],
          };
          break;
        case 'released':
          statement = {
            sql: `UPDATE outbox SET next_attempt_at = ?, attempts = attempts - 1, claim_id = NULL ${held}`,
            params: [settlement.nextAttemptAt, eventId, claim],
          };
          break;
      }
      return (await db.run([statement]))[0]!.length > 0;
    },

    async listEvents(orderId) {
      const rows =
        orderId === undefined
          ? await db.one('SELECT * FROM outbox ORDER BY id DESC LIMIT 1000')
          : await db.one('SELECT * FROM outbox WHERE order_id = ? ORDER BY id', [orderId]);
      return rows.map(toEvent);
    },

    async getEvent(eventId) {
      const row = (await db.one('SELECT * FROM outbox WHERE event_id = ?', [eventId]))[0];
      return row ? toEvent(row) : undefined;
    },

    async recentEvents(limit) {
      const rows = await db.one('SELECT * FROM outbox ORDER BY id DESC LIMIT ?', [limit]);
      return rows.map(toEvent);
    },

    async outboxBacklog() {
      const row = (
        await db.one(
          `SELECT
             SUM(CASE WHEN delivered_at IS NULL AND given_up_at IS NULL THEN 1 ELSE 0 END) AS waiting,
             MIN(CASE WHEN delivered_at IS NULL AND given_up_at IS NULL THEN created_at END) AS oldest,
             SUM(CASE WHEN given_up_at IS NOT NULL AND delivered_at IS NULL THEN 1 ELSE 0 END) AS given_up
           FROM outbox`,
        )
      )[0]!;
      return {
        waiting: toNumberOrNull(row.waiting) ?? 0,
        oldestCreatedAt: toNumberOrNull(row.oldest),
        givenUp: toNumberOrNull(row.given_up) ?? 0,
      };
    },

    async outboxWaiting() {
      // The WHERE is the partial index outbox_due's own: only waiting events are read.
      const row = (
        await db.one(
          `SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM outbox
           WHERE delivered_at IS NULL AND given_up_at IS NULL`,
        )
      )[0]!;
      return {
        waiting: toNumberOrNull(row.waiting) ?? 0,
        oldestCreatedAt: toNumberOrNull(row.oldest),
      };
    },

    async resendEvent(eventId, now) {
      const rows = await db.one(
        `UPDATE outbox SET delivered_at = NULL, given_up_at = NULL, last_error = NULL,
           next_attempt_at = ?
         WHERE event_id = ? AND claim_id IS NULL RETURNING event_id`,
        [now, eventId],
      );
      return rows.length > 0;
    },

    async retryEventsNow(now) {
      const rows = await db.one(
        `UPDATE outbox SET next_attempt_at = ?
         WHERE delivered_at IS NULL AND given_up_at IS NULL AND claim_id IS NULL
           AND next_attempt_at > ?
         RETURNING event_id`,
        [now, now],
      );
      return rows.length;
    },

    async getEndpoint(url) {
      const row = (await db.one('SELECT * FROM webhook_endpoints WHERE url = ?', [url]))[0];
      return row ? toEndpoint(row) : undefined;
    },

    async setEndpoint(url, disabled) {
      await db.one(
        `INSERT INTO webhook_endpoints (url, disabled_at, reason) VALUES (?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET disabled_at = excluded.disabled_at, reason = excluded.reason`,
        [url, disabled?.at ?? null, disabled?.reason ?? null],
      );
    },
  };
}
