interface Queued<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface PostgresGroupCommitOptions<T, R> {
  /**
   * Writes the items in ONE transaction (or one statement) and resolves after its COMMIT with
   * each item's result, in order; rejects (and nothing was written) if any part fails.
   */
  runGroup: (items: readonly T[]) => Promise<R[]>;
  /** Writes one item on its own, as without group commit (with its retries). */
  runAlone: (item: T) => Promise<R>;
  /** Groups in flight at once (each holds one pool connection). */
  maxInFlight: number;
  /** Most items in one group. */
  maxUnits: number;
  /**
   * Whether `item` may join `group`; one that may not waits for a later group (which may run
   * at the same time: the database's row locks order the two). Default: always.
   */
  fits?: (group: readonly T[], item: T) => boolean;
}

/**
 * Group commit for Postgres: the items queued while earlier groups are in flight are written
 * together (one round trip, one WAL flush at COMMIT), and each caller is answered only after
 * that COMMIT. A group in which anything fails was rolled back as a whole, so its items are
 * then written again one by one, each with its own outcome, exactly as without grouping; an
 * error that leaves the outcome unknown (a lost connection) is passed to every item of the
 * group, as it would have been to a lone item.
 */
export function postgresGroupCommit<T, R>(options: PostgresGroupCommitOptions<T, R>) {
  let queue: Queued<T, R>[] = [];
  let inFlight = 0;
  let scheduled = false;
  const settled = new Set<Promise<void>>();

  async function flush(group: Queued<T, R>[]): Promise<void> {
    if (group.length === 1) {
      const [unit] = group as [Queued<T, R>];
      await options.runAlone(unit.item).then(unit.resolve, unit.reject);
      return;
    }
    let results: R[];
    try {
      results = await options.runGroup(group.map((unit) => unit.item));
    } catch (error) {
      if (!rolledBack(error)) {
        for (const unit of group) unit.reject(error);
        return;
      }
      await Promise.all(
        group.map((unit) => options.runAlone(unit.item).then(unit.resolve, unit.reject)),
      );
      return;
    }
    group.forEach((unit, i) => unit.resolve(results[i]!));
  }

  /** The next group: queued items in order, skipping those that do not fit (they stay queued). */
  function take(): Queued<T, R>[] {
    if (!options.fits) {
      const group = queue.slice(0, options.maxUnits);
      queue = queue.slice(group.length);
      return group;
    }
    const group: Queued<T, R>[] = [];
    const items: T[] = [];
    const rest: Queued<T, R>[] = [];
    let i = 0;
    for (; i < queue.length && group.length < options.maxUnits; i++) {
      const unit = queue[i]!;
      if (options.fits(items, unit.item)) {
        group.push(unit);
        items.push(unit.item);
      } else {
        rest.push(unit);
      }
    }
    queue = i < queue.length ? rest.concat(queue.slice(i)) : rest;
    return group;
  }

  function pump(): void {
    scheduled = false;
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const group = take();
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
    /** Queues an item; resolves with its result once the transaction holding it has committed. */
    write(item: T): Promise<R> {
      return new Promise((resolve, reject) => {
        queue.push({ item, resolve, reject });
        start();
      });
    },
    /** Resolves once every item queued so far has been answered. */
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
