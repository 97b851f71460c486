import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface BackgroundCheckpointOptions {
  /** The database file (WAL mode). */
  path: string;
  /** Time between checkpoints, in ms. Default 250. */
  intervalMs?: number;
  /** Called if the worker stops on its own (it could not open the file, …). */
  onExit?: (error: Error | undefined) => void;
}

export interface BackgroundCheckpoint {
  /** Stops the worker and closes its connection. */
  stop(): Promise<void>;
}

/**
 * The worker: its own connection to the file, a PASSIVE checkpoint every `intervalMs` (which
 * never waits for the request thread's readers or writer: it copies what it can, the rest next
 * time). Plain CommonJS, evaluated by `new Worker(…, { eval: true })`, so it needs no file of
 * its own next to the compiled code.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // SQLITE_BUSY: another checkpoint (another process) is running; the next tick tries again.
    if (!/^SQLITE_(BUSY|LOCKED)/.test(String(error && error.code))) throw error;
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Runs SQLite's WAL checkpoints on a worker thread instead of inside the request thread's
 * commits. With `wal_autocheckpoint` on (SQLite's default, every 1000 pages), the commit that
 * crosses the mark copies the WAL into the database file and, at `synchronous=NORMAL`, fsyncs
 * it, with the event loop blocked all along: under load that was more than half of the cost
 * of a commit. Give the request thread's connection `wal_autocheckpoint = 0` while this runs,
 * and turn it back on if `onExit` reports the worker gone. Checkpoints never change what a
 * commit guarantees: a committed transaction is in the WAL before its caller is answered.
 */
export function startBackgroundCheckpoint(
  options: BackgroundCheckpointOptions,
): BackgroundCheckpoint {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { module, path: options.path, intervalMs: options.intervalMs ?? 250 },
  });
  // The worker never keeps the process alive on its own.
  worker.unref();
  let stopping = false;
  let failure: Error | undefined;
  worker.on('error', (error) => {
    failure = error;
  });
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (!stopping) options.onExit?.(failure ?? new Error('the checkpoint worker stopped'));
      resolve();
    });
  });
  return {
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}
