/* global AbortSignal */
// Child processes the bench starts: every one is tracked and stopped on exit, error or signal.
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** @type {Array<() => void>} synchronous last-resort cleanups (e.g. `pg_ctl stop`) */
const syncCleanups = [];

/** Registers a synchronous cleanup that runs when the bench exits, however it exits. */
export function onExit(fn) {
  syncCleanups.push(fn);
  return () => {
    const i = syncCleanups.indexOf(fn);
    if (i >= 0) syncCleanups.splice(i, 1);
  };
}

function killAllSync() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  for (const fn of syncCleanups.splice(0)) {
    try {
      fn();
    } catch {
      // best effort
    }
  }
}

process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, stopping every process it started`);
    killAllSync();
    process.exit(130);
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a child process, tracked for cleanup. Its output is kept (last 64 KiB) for error
 * messages and, with `echo`, also shown.
 * @param {string} command
 * @param {string[]} args
 * @param {{env?: Record<string,string>, cwd?: string, name?: string, echo?: boolean}} [options]
 */
export function start(command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const name = options.name ?? command;
  // The last 64 KiB of output, in chunks: a proxy logging every request at `info` writes
  // thousands of lines a second, which must not cost this process a 64 KiB copy each.
  const chunks = [];
  let kept = 0;
  const keep = (chunk) => {
    chunks.push(chunk);
    kept += chunk.length;
    while (kept - chunks[0].length >= 65536) kept -= chunks.shift().length;
    if (options.echo) process.stderr.write(`[${name}] ${chunk}`);
  };
  const logText = () => Buffer.concat(chunks).toString().slice(-65536);
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    name,
    exited,
    log: logText,
    /** Waits for a line on stdout/stderr matching `re`; rejects on exit or timeout. */
    waitFor(re, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${name}: no ${re} within ${timeoutMs} ms\n${logText().slice(-2000)}`));
        }, timeoutMs);
        const check = () => {
          const m = re.exec(logText());
          if (m) {
            cleanup();
            resolve(m);
          }
        };
        const onExit = () => {
          cleanup();
          reject(new Error(`${name} exited before ${re}\n${logText().slice(-2000)}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.stderr.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        child.on('exit', onExit);
        check();
      });
    },
    /** SIGTERM, then SIGKILL after `graceMs`. */
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers any HTTP status (or `timeoutMs` passes). */
export async function waitHttp(url, timeoutMs = 20_000, proc) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited (${proc.child.exitCode})\n${proc.log().slice(-3000)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return res.status;
    } catch (error) {
      lastError = error;
      await sleep(100);
    }
  }
  throw new Error(
    `${url} did not answer within ${timeoutMs} ms: ${lastError}\n${proc ? proc.log().slice(-3000) : ''}`,
  );
}

/** Stops every tracked child now (SIGTERM then SIGKILL). */
export async function stopAll() {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  for (const fn of syncCleanups.splice(0)) {
    try {
      fn();
    } catch {
      // best effort
    }
  }
}

export { execFileSync };
