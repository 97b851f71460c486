import type { SqlRow, SqlStatement } from '../sql/sql-driver.js';

interface QueuedUnit {
  statements: readonly SqlStatement[];
  resolve: (rows: SqlRow[][]) => void;
  reject: (error: unknown) => void;
}

export interface PostgresGroupCommitOptions {
  /**
   * Runs the units in ONE transaction, all statements pipelined, and resolves after its COMMIT
   * with each unit's rows; rejects (and the transaction is rolled back) if any statement fails.
   */
  runGroup: (units: readonly (readonly SqlStatement[])[]) => Promise<SqlRow[][][]>;
  /** Runs one unit on its own, as without group commit (with its retries). */
  runAlone: (statements: readonly SqlStatement[]) => Promise<SqlRow[][]>;
  /** Groups in flight at once (each holds one pool connection). */
  maxInFlight: number;
  /** Most units in one group. */
  maxUnits: number;
}

/**
 * Group commit for Postgres: the units queued while earlier groups are in flight are written
 * together in one transaction (one round trip, one WAL flush at COMMIT), and each caller is
 * answered only after that COMMIT. A group in which any statement fails was rolled back as a
 * whole, so its units are then run again one by one, each with its own outcome, exactly as
 * without grouping; an error that leaves the outcome unknown (a lost connection) is passed to
 * every unit of the group, as it would have been to a lone unit.
 */
export function postgresGroupCommit(options: PostgresGroupCommitOptions) {
  let queue: QueuedUnit[] = [];
  let inFlight = 0;
  let scheduled = false;
  const settled = new Set<Promise<void>>();

  async function flush(group: QueuedUnit[]): Promise<void> {
    if (group.length === 1) {
      const [unit] = group as [QueuedUnit];
      await options.runAlone(unit.statements).then(unit.resolve, unit.reject);
      return;
    }
    let results: SqlRow[][][];
    try {
      results = await options.runGroup(group.map((unit) => unit.statements));
    } catch (error) {
      if (!rolledBack(error)) {
        for (const unit of group) unit.reject(error);
        return;
      }
      await Promise.all(
        group.map((unit) => options.runAlone(unit.statements).then(unit.resolve, unit.reject)),
      );
      return;
    }
    group.forEach((unit, i) => unit.resolve(results[i]!));
  }

  function pump(): void {
    scheduled = false;
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const group = queue.slice(0, options.maxUnits);
      queue = queue.slice(group.length);
      inFlight++;
      const done: Promise<void> = flush(group).finally(() => {
        inFlight--;
        settled.delete(done);
        start();
      });
      settled.add(done);
    }
  }

  function start(): void {
    if (scheduled || queue.length === 0 || inFlight >= options.maxInFlight) return;
    scheduled = true;
    setImmediate(pump);
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
      while (queue.length > 0 || settled.size > 0) {
        await (settled.size > 0 ? Promise.all(settled) : new Promise<void>((r) => setImmediate(r)));
      }
    },
  };
}

/**
 * A server error (SQLSTATE) means the transaction was rolled back; anything else (a dropped
 * connection, a timeout on the client side) leaves the COMMIT's outcome unknown.
 */
function rolledBack(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown };
  return e?.name === 'PostgresError' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);
}
