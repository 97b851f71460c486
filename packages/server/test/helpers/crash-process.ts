import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FaultStep } from '../../src/fault-hook.js';
import type { ProxyCredentials } from '../../src/proxy-options.js';
import { captureLine } from './traffic.js';

/** What the child prints when it reaches its fault step, before holding there. */
export const CRASH_MARKER = 'CRASH_AT';

/** The child's configuration, passed as JSON in `CRASH_PROXY`. */
export interface CrashProxyConfig {
  port: number;
  gatewayUrl: string;
  credentials: ProxyCredentials;
  catalog: { items: unknown[] };
  /** SQLite file; ignored with `postgresUrl`. */
  databasePath?: string;
  postgresUrl?: string;
  webhook: { url: string; secret: string; timeoutMs?: number };
  adminToken: string;
  /** Added to `Date.now()` for the proxy's clock: jumps a restarted proxy ahead. */
  clockOffsetMs?: number;
  reconcileAfterMs?: number;
  faultStep?: FaultStep;
  /** Hold at the `faultAt`-th time the step is reached. Default 1. */
  faultAt?: number;
}

const ENTRY = fileURLToPath(new URL('./crash-proxy.ts', import.meta.url));
/** Inside the package, so the bundle's bare imports resolve to its node_modules. */
const BUNDLE = fileURLToPath(
  new URL('../../node_modules/.cache/crash-matrix/crash-proxy.mjs', import.meta.url),
);

/** Bundles the child entry with the proxy's sources (dependencies stay external). */
export async function buildCrashProxy(): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
}

export interface CrashProxy {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<unknown>;
  /** Resolves once the child printed its marker (it is then held at its fault step). */
  reached(timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
}

/** Starts the bundled child and waits for it to listen. */
export async function startCrashProxy(config: CrashProxyConfig): Promise<CrashProxy> {
  const child = spawn(process.execPath, [BUNDLE], {
    env: { PATH: process.env.PATH ?? '', CRASH_PROXY: JSON.stringify(config) },
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      captureLine(line);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((done) => child.once('exit', done));
  const proxy: CrashProxy = {
    child,
    url: `http://127.0.0.1:${config.port}`,
    lines,
    exited,
    reached: (timeoutMs = 15_000) =>
      waitFor(
        `${CRASH_MARKER} ${config.faultStep}`,
        () => lines.some((line) => line === `${CRASH_MARKER} ${config.faultStep}`),
        timeoutMs,
      ),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await waitFor(
      'listening',
      () => lines.some((line) => line.includes('"listening"')),
      15_000,
      child,
    );
  } catch (error) {
    await proxy.kill();
    throw new Error(`${(error as Error).message}:\n${lines.join('\n')}`, { cause: error });
  }
  return proxy;
}

async function waitFor(
  what: string,
  done: () => boolean,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (child && child.exitCode !== null) throw new Error(`the proxy exited before ${what}`);
    if (Date.now() > deadline) throw new Error(`no "${what}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
