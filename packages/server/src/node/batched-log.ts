/** A log sink that writes its lines once per event-loop turn. */
export interface BatchedLog {
  write(line: string): void;
  /** Writes what is pending now (at close and at exit). */
  flush(): void;
  /** Flushes and stops listening for the process's exit. */
  close(): void;
}

/**
 * Log lines to a stream (stdout) gathered per turn of the event loop and written with one
 * `write`: writes to a pipe or file are synchronous on Linux, so a request line each would be a
 * system call per request. Lines keep their order; whatever is pending is written on `flush`,
 * `close` and the process's `exit`, so a clean stop loses none (a SIGKILL loses at most the
 * lines of the turn it interrupts).
 */
export function batchedLog(stream: { write(text: string): unknown } = process.stdout): BatchedLog {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    stream.write(text);
  };
  process.on('exit', flush);
  return {
    write(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    close() {
      flush();
      process.off('exit', flush);
    },
  };
}
