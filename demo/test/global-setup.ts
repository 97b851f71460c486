import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startStack } from '../scripts/stack.mjs';
import type { StackInfo } from './stack-info.js';

/** Three different free ports (two calls may hand out the same one once it is closed again). */
async function freePorts(): Promise<[number, number, number]> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [a, b, c] = [...ports];
  return [a!, b!, c!];
}

/**
 * Starts sandbox + proxy + storefront once for the whole run, exactly as `pnpm demo` does, on free
 * ports and with a throw-away database; a fast notify schedule keeps the run short.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scanforpay-demo-e2e-'));
  const [demoPort, proxyPort, sandboxPort] = await freePorts();
  const stack = await startStack({
    demoPort,
    proxyPort,
    sandboxPort,
    dataDir,
    quiet: true,
    notifySchedule: '0,250,1000',
    // The suite creates a few dozen orders from one address within a minute.
    rateLimit: 1000,
    // Read back by a test that fails, so its message carries what the servers said.
    logFile: join(dataDir, 'stack.log'),
  });
  void stack.exited.then(({ name, code, signal }) => {
    console.error(`e2e: ${name} exited during the run (${signal ?? `code ${code}`})`);
  });
  const info: StackInfo = {
    ...stack.urls,
    databasePath: join(dataDir, 'scanforpay.db'),
    logPath: join(dataDir, 'stack.log'),
  };
  project.provide('stack', info);
  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
