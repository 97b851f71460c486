import type { RateCounter } from '../rate-counter.js';
import { toNumber } from './sql-driver.js';
import type { SqlRunner } from './sql-runner.js';

/** Rate-limit windows on SQL: one row per (key, window), incremented by an atomic upsert. */
export function sqlRateCounter(db: SqlRunner): RateCounter {
  return {
    async countHit(key, windowStart, forgetBefore) {
      const [, rows] = await db.run([
        { sql: 'DELETE FROM rate_counts WHERE window_start < ?', params: [forgetBefore] },
        {
          sql:
            'INSERT INTO rate_counts (key, window_start, hits) VALUES (?, ?, 1) ' +
            'ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counts.hits + 1 ' +
            'RETURNING hits',
          params: [key.slice(0, 200), windowStart],
        },
      ]);
      return toNumber(rows![0]!.hits);
    },
  };
}
