/** A log sink that gathers its lines and writes them in batches. */
export interface BatchedLog {
  write(line: string): void;
  /** Writes what is pending now (at close and at exit). */
  flush(): void;
  /** Flushes and stops listening for the process's exit. */
  close(): void;
}

export interface BatchedLogOptions {
  /** Longest time a line waits before it is written, in ms. Default 10. */
  delayMs?: number;
  /** Pending text that is written at once, without waiting, in characters. Default 32 KiB. */
  maxPending?: number;
  /** Starts the wait; for tests. Default an unref'd `setTimeout`. */
  setTimer?: (flush: () => void, ms: number) => void;
}

const DEFAULTS = { delayMs: 10, maxPending: 32 * 1024 } as const;

/**
 * Log lines to a stream (stdout) gathered for up to `delayMs` (10 ms) or `maxPending` characters
 * (32 KiB), whichever comes first, and written with one `write`: writes to a pipe or a file are
 * synchronous system calls on Linux, and one per request (or per event-loop turn, a request or
 * two under load) cost more CPU than the line itself, here and in the process reading the pipe.
 * Lines keep their order; whatever is pending is written on `flush`, `close` and the process's
 * `exit`, so a clean stop loses none (a SIGKILL loses at most the last `delayMs` of lines).
 */
export function batchedLog(
  stream: { write(text: string): unknown } = process.stdout,
  options: BatchedLogOptions = {},
): BatchedLog {
  const delayMs = options.delayMs ?? DEFAULTS.delayMs;
  const maxPending = options.maxPending ?? DEFAULTS.maxPending;
  const setTimer =
    options.setTimer ?? ((fn: () => void, ms: number) => void setTimeout(fn, ms).unref());
  let pending = '';
  let scheduled = false;
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  const onTimer = () => {
    scheduled = false;
    flush();
  };
  process.on('exit', flush);
  return {
    write(line) {
      pending += `${line}\n`;
      if (pending.length >= maxPending) flush();
      else if (!scheduled) {
        scheduled = true;
        setTimer(onTimer, delayMs);
      }
    },
    flush,
    close() {
      flush();
      process.off('exit', flush);
    },
  };
}
