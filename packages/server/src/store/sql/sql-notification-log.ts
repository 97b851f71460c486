import type { NotificationOutcome } from '../../domain/notification.js';
import type { NotificationLog } from '../notification-log.js';
import { newId } from './new-id.js';
import { toNotification } from './row-mappers.js';
import { toNumber, type SqlStatement, type SqlValue } from './sql-driver.js';
import type { SqlRunner } from './sql-runner.js';
import { returnedResult, transitionResult, transitionStatements } from './transition-statements.js';

/** Notifications on SQL: each written in the same unit as the transition it carries. */
export function sqlNotificationLog(db: SqlRunner): NotificationLog {
  return {
    async recordNotification(input) {
      const statements: SqlStatement[] = [];
      const values: SqlValue[] = [
        input.orderId,
        input.dedupeKey,
        input.rawBody,
        input.verified ? 1 : 0,
      ];
      let id: string | undefined;
      let returning = false;
      if (input.transition) {
        const { orderId, input: change } = input.transition;
        id = change.event?.eventId ?? newId();
        // A transition that carries its event is expected to apply (its caller saw the order
        // in a state it can leave): the update returns the row. One without is a report the
        // order already reflects (a duplicate): the row is read back in the same unit.
        returning = change.event !== undefined;
        statements.push(...transitionStatements(orderId, change, id, undefined, returning));
        // The outcome is decided in SQL, from what the transition just did.
        statements.push({
          sql: `INSERT INTO notifications (order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
                SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER),
                  CASE
                    WHEN EXISTS (SELECT 1 FROM orders WHERE order_id = ? AND transition_id = ?) THEN 'applied'
                    WHEN NOT EXISTS (SELECT 1 FROM orders WHERE order_id = ?) THEN 'unknown_order'
                    WHEN EXISTS (SELECT 1 FROM orders WHERE order_id = ? AND status = ?) THEN 'duplicate'
                    ELSE 'ignored'
                  END,
                  CAST(? AS TEXT), CAST(? AS BIGINT)
                RETURNING id, outcome`,
          params: [
            ...values,
            orderId,
            id,
            orderId,
            orderId,
            change.to,
            input.reason,
            input.receivedAt,
          ],
        });
      } else {
        statements.push({
          sql: `INSERT INTO notifications (order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id, outcome`,
          params: [...values, input.outcome, input.reason, input.receivedAt],
        });
      }
      const results = await db.run(statements);
      const inserted = results.at(-1)![0]!;
      const result =
        input.transition === undefined || id === undefined
          ? { applied: false, order: undefined }
          : returning
            ? await returnedResult(db, input.transition.orderId, results[0]!)
            : transitionResult(results.at(-2)!, id);
      return {
        ...result,
        id: toNumber(inserted.id),
        outcome: inserted.outcome as NotificationOutcome,
      };
    },

    async recordRejectedNotification(input) {
      // Rejected rows are the ones with neither order nor dedupe key (a verified notification
      // always has one): found through the order_id index, and both columns come before the
      // body, so SQLite never reads a kept body's overflow pages to decide.
      const rejected = 'order_id IS NULL AND dedupe_key IS NULL';
      const [inserted, pruned] = await db.run([
        {
          sql: `INSERT INTO notifications (order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
                VALUES (NULL, NULL, ?, 0, 'rejected', ?, ?) RETURNING id`,
          params: [input.rawBody, input.reason, input.receivedAt],
        },
        {
          sql: `DELETE FROM notifications WHERE ${rejected} AND id <= (
                  SELECT id FROM notifications WHERE ${rejected} ORDER BY id DESC LIMIT 1 OFFSET ?)
                RETURNING id`,
          params: [input.keep],
        },
      ]);
      return { id: toNumber(inserted![0]!.id), pruned: pruned!.length };
    },

    async listNotifications(orderId) {
      const rows =
        orderId === undefined
          ? await db.one('SELECT * FROM notifications ORDER BY id')
          : await db.one('SELECT * FROM notifications WHERE order_id = ? ORDER BY id', [orderId]);
      return rows.map(toNotification);
    },
  };
}
