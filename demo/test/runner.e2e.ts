import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPortFree, freePort } from '../scripts/stack.mjs';

const RUN_DEMO = fileURLToPath(new URL('../scripts/run-demo.mjs', import.meta.url));

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs `pnpm demo`'s script with `env`; `whenReady` is called once it printed its URLs. */
function runDemo(
  env: Record<string, string>,
  whenReady?: (pid: number, stdout: string) => Promise<void>,
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [RUN_DEMO], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { stdout: '', stderr: '', code: null };
    let ready = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      run.stdout += chunk;
      if (!ready && run.stdout.includes('Press Ctrl-C to stop.') && whenReady) {
        ready = true;
        whenReady(child.pid!, run.stdout).catch((error: unknown) => {
          child.kill('SIGKILL');
          fail(error);
        });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    child.on('error', fail);
    child.on('exit', (code) => done({ ...run, code }));
  });
}

async function ports(): Promise<{ DEMO_PORT: string; PROXY_PORT: string; SANDBOX_PORT: string }> {
  const set = new Set<number>();
  while (set.size < 3) set.add(await freePort());
  const [demo, proxy, sandbox] = [...set].map(String);
  return { DEMO_PORT: demo!, PROXY_PORT: proxy!, SANDBOX_PORT: sandbox! };
}

describe('pnpm demo (scripts/run-demo.mjs)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'scanforpay-demo-runner-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports a port already in use in one line and starts nothing', async () => {
    const env = await ports();
    const taken: Server = createServer();
    await new Promise<void>((done) => taken.listen(Number(env.PROXY_PORT), '127.0.0.1', done));
    try {
      const run = await runDemo({ ...env, DEMO_DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `demo: port ${env.PROXY_PORT} (PROXY_PORT) is already in use; stop what uses it or set PROXY_PORT to another port\n`,
      );
      expect(run.stdout).toBe('');
      await assertPortFree(Number(env.SANDBOX_PORT), 'SANDBOX_PORT');
    } finally {
      await new Promise((done) => taken.close(done));
    }
  });

  it('refuses a port that is not a number', async () => {
    const run = await runDemo({ ...(await ports()), DEMO_PORT: 'abc', DEMO_DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('demo: DEMO_PORT must be a port number, got "abc"\n');
  });

  it('starts sandbox, proxy and storefront, prints their URLs, and stops all three on SIGINT', async () => {
    const env = await ports();
    const run = await runDemo({ ...env, DEMO_DATA_DIR: dataDir }, async (pid, stdout) => {
      expect(stdout).toContain(`Storefront  http://localhost:${env.DEMO_PORT}`);
      expect(stdout).toContain(`Proxy       http://localhost:${env.PROXY_PORT}`);
      expect(stdout).toContain(`Sandbox     http://127.0.0.1:${env.SANDBOX_PORT}`);
      expect(stdout).toContain('partnerNo 100000000000001, storeNo 200000000000001');
      expect(await (await fetch(`http://127.0.0.1:${env.SANDBOX_PORT}/healthz`)).json()).toEqual({
        ok: true,
      });
      expect(
        await (await fetch(`http://127.0.0.1:${env.PROXY_PORT}/healthz`)).json(),
      ).toMatchObject({ ok: true });
      expect((await fetch(`http://127.0.0.1:${env.DEMO_PORT}/`)).status).toBe(200);
      process.kill(pid, 'SIGINT');
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('SIGINT: stopping storefront, proxy and sandbox');
    expect(run.code).toBe(0);
    for (const [name, port] of Object.entries(env)) await assertPortFree(Number(port), name);
  });
});
