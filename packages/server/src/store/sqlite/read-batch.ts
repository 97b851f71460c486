import type Database from 'better-sqlite3';
import type { SqlRow, SqlStatement } from '../sql/sql-driver.js';
import type { GroupCommitOptions } from './group-commit.js';
import { isLockError, settleBatch, type BatchOutcome } from './retry-while-busy.js';

interface QueuedRead {
  statement: SqlStatement;
  resolve: (rows: SqlRow[]) => void;
  reject: (error: unknown) => void;
}

type ReadOutcome = BatchOutcome<SqlRow[]>;

/** As a group commit's: `execute` runs one statement, `schedule` when the batch runs. */
export type ReadBatchOptions = GroupCommitOptions;

/**
 * The lone reads queued during one turn of the event loop, run together in ONE read
 * transaction. Under WAL every transaction takes and releases a read lock on the `-shm` file,
 * two system calls, which cost a read of an order about as much as the read itself (14–17 µs a
 * read alone, 8–10 µs sixteen to a transaction, measured in-process): under load a turn holds
 * many reads. Every read of a batch starts after every request of its turn arrived, so it sees
 * every commit answered before it (a read never waits for the writes of its own turn, which are
 * not answered yet either). A read that fails fails alone; a lock error (a checkpoint or
 * recovery in another process) runs the batch again after an asynchronous wait.
 */
export function readBatch(db: Database.Database, options: ReadBatchOptions) {
  const { execute } = options;
  const schedule = options.schedule ?? ((flush: () => void) => void setImmediate(flush));
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  let queue: QueuedRead[] = [];

  function one(read: QueuedRead): ReadOutcome {
    try {
      return { rows: execute(read.statement) };
    } catch (error) {
      if (isLockError(error)) throw error;
      return { error };
    }
  }

  /** Every read of the batch in one transaction; throws (nothing read) on a lock error. */
  function readAll(batch: readonly QueuedRead[]): ReadOutcome[] {
    if (batch.length === 1) return [one(batch[0]!)];
    begin.run();
    try {
      return batch.map(one);
    } finally {
      if (db.inTransaction) commit.run();
    }
  }

  async function flush(): Promise<void> {
    const batch = queue;
    queue = [];
    await settleBatch(batch, () => readAll(batch), options);
  }

  return {
    /** Queues a read; resolves with its rows once its turn's reads have run. */
    read(statement: SqlStatement): Promise<SqlRow[]> {
      return new Promise((resolve, reject) => {
        queue.push({ statement, resolve, reject });
        if (queue.length === 1) schedule(() => void flush());
      });
    },
  };
}
