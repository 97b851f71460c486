import type { OrderStore } from '../order-store.js';
import type { SqlDriver } from './sql-driver.js';
import { sqlCheckQueue } from './sql-check-queue.js';
import { sqlEventOutbox } from './sql-event-outbox.js';
import { sqlNotificationLog } from './sql-notification-log.js';
import { sqlOrderRecords } from './sql-order-records.js';
import { sqlRateCounter } from './sql-rate-counter.js';
import { sqlRefundLedger } from './sql-refund-ledger.js';
import { sqlRetention } from './sql-retention.js';
import { sqlRunner } from './sql-runner.js';

export { FIRST_CHECK_AFTER_MS } from '../../domain/reconciliation.js';

/**
 * The order store on any SQL engine with a `SqlDriver`: SQLite, Postgres, D1. Each method is
 * one atomic unit of statements whose conditions are in the SQL (`INSERT … SELECT … WHERE`,
 * compare-and-set `UPDATE`s stamped with a fresh transition id), so the outcome never depends
 * on a read made in an earlier round trip: safe with several processes on one database.
 * One file per aggregate composes it.
 */
export function createSqlStore(driver: SqlDriver): OrderStore {
  const db = sqlRunner(driver);
  return {
    engine: driver.engine,
    ...sqlOrderRecords(db),
    ...sqlNotificationLog(db),
    ...sqlEventOutbox(db),
    ...sqlCheckQueue(db),
    ...sqlRefundLedger(db),
    ...sqlRateCounter(db),
    ...sqlRetention(db),
    async ping() {
      await db.one('SELECT 1 AS ok');
    },
    close: () => driver.close(),
  };
}
