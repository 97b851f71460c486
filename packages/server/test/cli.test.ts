import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARTNER, startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from './helpers/catalog.js';
import { eventually } from './helpers/harness.js';
import { captureLine, captureResponse } from './helpers/traffic.js';
import { freePort } from './helpers/processes.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(packageDir, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-cli-'));
const children: ChildProcess[] = [];
let sandbox: RunningSandbox;

beforeAll(async () => {
  // The CLI and the exports map are tested as built.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDir });
  sandbox = await startSandbox({
    port: 0,
    control: true,
    notifySchedule: [0, 100, 200],
    log: captureLine,
  });
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(CATALOG));
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

function run(env: Record<string, string>, cwd = dir): Run {
  const child = spawn(process.execPath, [cli], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  children.push(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (into: string[]) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      into.push(line);
      captureLine(line);
    }
  };
  child.stdout!.on('data', collect(stdout));
  child.stderr!.on('data', collect(stderr));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout, stderr, exited };
}

const credentials = () => ({
  SCANFORPAY_PARTNER_NO: DEFAULT_PARTNER.partnerNo,
  SCANFORPAY_STORE_NO: DEFAULT_PARTNER.storeNo,
  SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey,
  SCANFORPAY_API_URL: sandbox.url,
  RESULT_URL: 'https://shop.example/thanks',
});

describe('scanforpay-proxy (CLI)', () => {
  it('stops with one line naming a missing variable', async () => {
    const { SCANFORPAY_SIGN_KEY: _, ...rest } = credentials();
    const result = run(rest);
    expect(await result.exited).toBe(1);
    expect(result.stderr).toEqual(['scanforpay-proxy: SCANFORPAY_SIGN_KEY: is required']);
  });

  it('names every missing variable in one message on the first start', async () => {
    const result = run({ CATALOG: 'none.json' });
    expect(await result.exited).toBe(1);
    expect(result.stderr).toEqual([
      'scanforpay-proxy: 5 settings need fixing:',
      '  SCANFORPAY_PARTNER_NO: is required',
      '  SCANFORPAY_STORE_NO: is required',
      '  SCANFORPAY_SIGN_KEY: is required',
      '  RESULT_URL: is required',
      '  CATALOG: none.json does not exist',
    ]);
  });

  it('stops with one line on a malformed catalog', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ items: [{ id: 'x', title: 'X', currency: 'HKD' }] }),
    );
    const result = run({ ...credentials(), CATALOG: 'bad.json' });
    expect(await result.exited).toBe(1);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(
      /^scanforpay-proxy: CATALOG: .*bad\.json: items\[0\]: needs "amount"/,
    );
  });

  it('serves the whole flow against the sandbox: item, order, pay, paid via notify and via return', async () => {
    const port = await freePort();
    const envDir = mkdtempSync(join(tmpdir(), 'scanforpay-cli-env-'));
    writeFileSync(join(envDir, 'catalog.json'), JSON.stringify(CATALOG));
    // Credentials from .env; the environment still names the port and database.
    writeFileSync(
      join(envDir, '.env'),
      Object.entries(credentials())
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    const proxy = run({ PORT: String(port), DATABASE_URL: 'file:./data/proxy.db' }, envDir);
    try {
      await eventually(
        async () => (proxy.stdout.some((l) => l.includes('"msg":"listening"')) ? true : undefined),
        10_000,
      );
      const base = `http://127.0.0.1:${port}`;
      const call = async (path: string, init?: RequestInit) =>
        captureResponse(await fetch(base + path, init));

      const item = await call('/items/tee-red');
      expect(await item.json()).toMatchObject({ id: 'tee-red', amount: 19900, currency: 'HKD' });

      const order = async () => {
        const response = await call('/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
          body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK' }),
        });
        expect(response.status).toBe(201);
        const body = (await response.json()) as { orderId: string; payUrl: string };
        expect(body.payUrl.startsWith(`${sandbox.url}/cashier/`)).toBe(true);
        return body.orderId;
      };
      const status = async (orderId: string) =>
        ((await (await call(`/orders/${orderId}`)).json()) as { status: string }).status;
      const control = (path: string, body: unknown = {}) =>
        fetch(`${sandbox.url}/__sandbox${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      // Via notify.
      const first = await order();
      expect(await status(first)).toBe('pending');
      await control(`/orders/${first}/pay`);
      await eventually(async () => ((await status(first)) === 'paid' ? true : undefined));

      // Via return, with every notification dropped.
      await control('/chaos', { dropFirst: 1000 });
      const second = await order();
      await control(`/orders/${second}/pay`);
      const back = await call('/return', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `partnerOrderNo=${second}`,
        redirect: 'manual',
      });
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe(`https://shop.example/thanks?order=${second}`);
      expect(await status(second)).toBe('paid');
      await control('/chaos', {});

      const health = await call('/healthz');
      expect(await health.json()).toEqual({ ok: true, store: 'ok' });
      expect(readdirSync(join(envDir, 'data'))).toContain('proxy.db');
      // One JSON line per request on stdout.
      for (const line of proxy.stdout) expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(proxy.stderr).toEqual([]);
    } finally {
      proxy.child.kill('SIGTERM');
      expect(await proxy.exited).toBe(0);
      rmSync(envDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the built package', () => {
  it('exposes its entry points through the exports map', () => {
    const script = `
      const root = await import('@scanforpay/server');
      const node = await import('@scanforpay/server/node');
      console.log(JSON.stringify({ root: Object.keys(root), node: Object.keys(node) }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
    }).toString();
    const { root, node } = JSON.parse(out) as { root: string[]; node: string[] };
    expect(root).toEqual(
      expect.arrayContaining([
        'createProxy',
        'createCheckoutToken',
        'verifyCheckoutToken',
        'parseCatalog',
        'PROBLEM_CODES',
        'ProblemError',
      ]),
    );
    expect(node).toEqual(
      expect.arrayContaining([
        'createSqliteStore',
        'startProxy',
        'loadConfig',
        'ConfigError',
        'createNodeTransport',
        'nodeSha256',
      ]),
    );
  });

  it('keeps the root entry Web-standard: no node: or Node-only module is reachable from it', () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(
        /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]/g,
      )) {
        const spec = match[1] ?? match[2]!;
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
        else bare.add(spec);
      }
    };
    visit(join(packageDir, 'dist', 'index.js'));
    expect([...bare].sort()).toEqual(expect.arrayContaining(['@scanforpay/protocol', 'hono']));
    for (const spec of bare) {
      expect(spec).not.toMatch(
        /^node:|^better-sqlite3$|^@hono\/node-server|^@scanforpay\/protocol\/node$/,
      );
    }
  });
});
