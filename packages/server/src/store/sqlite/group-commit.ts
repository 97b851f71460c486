import type Database from 'better-sqlite3';
import type { SqlRow, SqlStatement } from '../sql/sql-driver.js';
import {
  isLockError,
  settleBatch,
  type BatchOutcome,
  type RetryWhileBusyOptions,
} from './retry-while-busy.js';

/** One caller's unit: its statements, and how to answer it once its commit is done. */
interface QueuedUnit {
  statements: readonly SqlStatement[];
  resolve: (rows: SqlRow[][]) => void;
  reject: (error: unknown) => void;
}

/** A unit's outcome inside a group, decided before the group's commit. */
type UnitOutcome = BatchOutcome<SqlRow[][]>;

export interface GroupCommitOptions extends RetryWhileBusyOptions {
  /** Runs one statement (prepared once by the caller) and returns its rows. */
  execute: (statement: SqlStatement) => SqlRow[];
  /** When the queued units are written: default `setImmediate` (after this turn's I/O). */
  schedule?: (flush: () => void) => void;
}

/**
 * Group commit on one better-sqlite3 connection: the units that callers queue during one turn
 * of the event loop are written in ONE immediate transaction (a unit that fails is rolled back
 * alone and rejected, the others still commit: see `writeGroup`), and every
 * caller is answered only after that transaction's COMMIT returned. A commit costs the same
 * WAL write whether it holds one unit or fifty, so under load the cost per unit falls with the
 * batch; alone, a unit waits one `setImmediate`. Groups are written one after another, in the
 * order their units were queued; a group that finds the database locked by another connection
 * waits asynchronously (`retryWhileBusy`) and later units queue behind it.
 */
export function groupCommit(db: Database.Database, options: GroupCommitOptions) {
  const { execute } = options;
  const schedule = options.schedule ?? ((flush: () => void) => void setImmediate(flush));
  const control = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT unit'),
    release: db.prepare('RELEASE unit'),
    rollbackUnit: db.prepare('ROLLBACK TO unit'),
  };
  let queue: QueuedUnit[] = [];
  let scheduled = false;
  let writing: Promise<void> | undefined;

  /**
   * A unit's error: its own unless it was a lock error or SQLite ended the whole transaction
   * (an I/O error, a full disk); then the group stops and nothing of it is written.
   */
  function failed(error: unknown): UnitOutcome {
    if (isLockError(error) || !db.inTransaction) throw error;
    return { error };
  }

  /**
   * Every unit of the group in one transaction, first without savepoints (two statements fewer
   * a unit): if any statement fails, the whole transaction is rolled back and the group written
   * again with one savepoint a unit (`writeUnits`), so the outcome is the same either way.
   * Throws (nothing written) on a lock error.
   */
  function writeGroup(group: readonly QueuedUnit[]): UnitOutcome[] {
    if (group.length === 1) return writeUnits(group);
    control.begin.run();
    let outcomes: UnitOutcome[];
    try {
      outcomes = group.map((unit) => ({ rows: unit.statements.map(execute) }));
    } catch (error) {
      if (db.inTransaction) control.rollback.run();
      if (isLockError(error)) throw error;
      return writeUnits(group);
    }
    try {
      control.commit.run();
    } catch (error) {
      if (db.inTransaction) control.rollback.run();
      throw error;
    }
    return outcomes;
  }

  /** Every unit of the group in one transaction, each in its own savepoint. */
  function writeUnits(group: readonly QueuedUnit[]): UnitOutcome[] {
    control.begin.run();
    try {
      const outcomes = group.map((unit): UnitOutcome => {
        // A single statement is atomic on its own: no savepoint needed to undo it.
        if (unit.statements.length === 1) {
          try {
            return { rows: [execute(unit.statements[0]!)] };
          } catch (error) {
            return failed(error);
          }
        }
        control.savepoint.run();
        try {
          const rows = unit.statements.map(execute);
          control.release.run();
          return { rows };
        } catch (error) {
          const outcome = failed(error);
          control.rollbackUnit.run();
          control.release.run();
          return outcome;
        }
      });
      control.commit.run();
      return outcomes;
    } catch (error) {
      if (db.inTransaction) control.rollback.run();
      throw error;
    }
  }

  async function flush(): Promise<void> {
    scheduled = false;
    const group = queue;
    queue = [];
    // If the COMMIT itself failed, or the lock stayed taken, nothing of the group was written.
    await settleBatch(group, () => writeGroup(group), options);
  }

  function start(): void {
    if (scheduled || writing || queue.length === 0) return;
    scheduled = true;
    schedule(() => {
      writing = flush().finally(() => {
        writing = undefined;
        start();
      });
    });
  }

  return {
    /** Queues a unit; resolves with its rows once the transaction holding it has committed. */
    write(statements: readonly SqlStatement[]): Promise<SqlRow[][]> {
      return new Promise((resolve, reject) => {
        queue.push({ statements, resolve, reject });
        start();
      });
    },
    /** Resolves once every unit queued so far has been answered. */
    async drained(): Promise<void> {
      while (writing || queue.length > 0) {
        await (writing ?? new Promise<void>((r) => setImmediate(r)));
      }
    },
  };
}
