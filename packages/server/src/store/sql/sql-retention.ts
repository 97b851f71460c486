import type { RetainedRecords, Retention } from '../retention.js';
import type { SqlRunner } from './sql-runner.js';

/**
 * Each kind's old rows, oldest first, from the partial index on its age column (migration 6):
 * a batch reads only the rows it deletes, however many newer rows there are.
 */
const OLD_ROWS: Record<RetainedRecords, { table: string; key: string; old: string; age: string }> =
  {
    events: {
      table: 'outbox',
      key: 'id',
      old: 'delivered_at IS NOT NULL AND delivered_at < ?',
      age: 'delivered_at',
    },
    notifications: {
      table: 'notifications',
      key: 'id',
      old: 'verified = 1 AND received_at < ?',
      age: 'received_at',
    },
    idempotencyKeys: {
      table: 'idempotency_keys',
      key: 'key',
      old: 'created_at < ?',
      age: 'created_at',
    },
  };

/** The retention deletes on SQL. On Postgres, rows another process is deleting are skipped. */
export function sqlRetention(db: SqlRunner): Retention {
  return {
    async pruneBefore(records, before, limit) {
      const { table, key, old, age } = OLD_ROWS[records];
      const rows = await db.one(
        `DELETE FROM ${table} WHERE ${key} IN (
           SELECT ${key} FROM ${table} WHERE ${old} ORDER BY ${age} LIMIT ?${db.skipLocked})
         RETURNING ${key}`,
        [before, limit],
      );
      return rows.length;
    },
  };
}
