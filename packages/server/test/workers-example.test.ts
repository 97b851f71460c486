import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARTNER, startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { chromium, type Browser } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxy } from '@scanforpay/server';
import {
  bundledButtonVersion,
  buttonScriptLoader,
  createSqliteStore,
} from '@scanforpay/server/node';
import { d1MigrationFiles } from '@scanforpay/server/store';
import { splitStatements } from '../src/store/sql/migrations.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';
import { WORKER_BUILD, WORKERS_ENTRY } from './helpers/build-worker.js';
import { eventually } from './helpers/harness.js';
import { captureLine } from './helpers/traffic.js';

/**
 * examples/workers as shipped: its wrangler.jsonc (vars, D1 binding, compatibility date), its
 * src/index.ts bundled as Wrangler would, its D1 migrations applied as
 * `wrangler d1 migrations apply` would, in workerd with two isolates on one D1 database.
 */
const example = fileURLToPath(new URL('../examples/workers/', import.meta.url));
const config = ts.parseConfigFileTextToJson(
  'wrangler.jsonc',
  readFileSync(join(example, 'wrangler.jsonc'), 'utf8'),
).config as {
  main: string;
  compatibility_date: string;
  d1_databases: { binding: string; database_name: string; migrations_dir: string }[];
  vars: Record<string, string>;
};
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-example-'));
const LIMIT = 4;
let sandbox: RunningSandbox;
let mf: Miniflare;
let base: string;
let thanks: Server;
let resultUrl: string;
let browser: Browser | undefined;

beforeAll(async () => {
  const scriptPath = join(dir, 'worker.js');
  await build({
    ...WORKER_BUILD,
    entryPoints: [join(example, config.main)],
    alias: { '@scanforpay/server/workers': WORKERS_ENTRY },
    outfile: scriptPath,
    write: true,
  });
  sandbox = await startSandbox({ port: 0, control: true, log: captureLine });
  thanks = createServer((_request, response) => response.end('thanks'));
  await new Promise<void>((done) => thanks.listen(0, '127.0.0.1', done));
  resultUrl = `http://127.0.0.1:${(thanks.address() as AddressInfo).port}/thanks`;
  const port = await new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => done(free));
    });
  });
  base = `http://127.0.0.1:${port}`;
  const [db] = config.d1_databases;
  const bindings = {
    ...config.vars,
    // Where this test runs: the sandbox as gateway, its partner, this address, local pages.
    NODE_ENV: 'development',
    SCANFORPAY_API_URL: sandbox.url,
    SCANFORPAY_PARTNER_NO: DEFAULT_PARTNER.partnerNo,
    SCANFORPAY_STORE_NO: DEFAULT_PARTNER.storeNo,
    SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey,
    PUBLIC_URL: base,
    RESULT_URL: resultUrl,
    ALLOWED_ORIGINS: 'http://localhost:5173',
    RATE_LIMIT: String(LIMIT),
  };
  const worker = (name: string) => ({
    name,
    modules: true,
    modulesRoot: dir,
    scriptPath,
    compatibilityDate: config.compatibility_date,
    // Both isolates on the one database, as every isolate of a deployed Worker is.
    d1Databases: { [db!.binding]: db!.database_name },
    bindings,
  });
  mf = new Miniflare({ host: '127.0.0.1', port, workers: [worker('a'), worker('b')] });
  await mf.ready;
  // `wrangler d1 migrations apply`: each file of migrations_dir, in order, before any request.
  const d1 = await mf.getD1Database(db!.binding, 'a');
  const files = readdirSync(join(example, db!.migrations_dir)).sort();
  expect(files).toEqual(d1MigrationFiles().map((file) => file.name));
  for (const file of files) {
    const text = readFileSync(join(example, db!.migrations_dir, file), 'utf8');
    const statements = splitStatements(text.replace(/^--.*$/gm, ''));
    await d1.batch(statements.map((statement) => d1.prepare(statement)));
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await mf?.dispose();
  await sandbox?.close();
  await new Promise((done) => thanks?.close(done));
  rmSync(dir, { recursive: true, force: true });
});

describe('examples/workers in workerd', () => {
  it('ships migrations that are the store schema, and the Worker runs none of its own', async () => {
    for (const file of d1MigrationFiles()) {
      const shipped = readFileSync(join(example, 'migrations', file.name), 'utf8');
      expect(shipped, `${file.name}: run node scripts/d1-migrations.mjs`).toBe(file.sql);
    }
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, store: 'ok' });
    const d1 = await mf.getD1Database('DB', 'a');
    const applied = await d1.prepare('SELECT version, applied_at FROM schema_migrations').all();
    // applied_at 0: every version came from the files, none from the Worker's start-up.
    expect(applied.results).toEqual(
      d1MigrationFiles().map((_, i) => ({ version: i + 1, applied_at: 0 })),
    );
  });

  it('serves the same script, manifest and pay page as the proxy on Node', async () => {
    const node = createProxy({
      credentials: { ...DEFAULT_PARTNER },
      gatewayUrl: sandbox.url,
      publicUrl: base,
      resultUrl,
      catalog: JSON.parse(config.vars.CATALOG!) as { items: unknown[] },
      merchantName: config.vars.MERCHANT_NAME!,
      store: createSqliteStore({ path: ':memory:' }),
      buttonScript: buttonScriptLoader(),
      buttonVersion: bundledButtonVersion()!,
      log: () => {},
    });
    const manifestPath = createRequire(import.meta.url).resolve(
      '@scanforpay/button/scanforpay-button.json',
    );
    const { version, integrity } = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      version: string;
      integrity: string;
    };
    for (const path of [
      `/v/${version}/scanforpay-button.js`,
      '/scanforpay-button.json',
      '/pay/harbour-tee?quantity=2&lang=zh-HK',
      '/pay/harbour-tee.svg',
    ]) {
      const edge = await fetch(base + path);
      const here = await node.request(path);
      expect(edge.status, path).toBe(200);
      expect(Buffer.from(await edge.arrayBuffer()), path).toEqual(
        Buffer.from(await here.arrayBuffer()),
      );
      for (const header of ['content-type', 'cache-control', 'etag', 'content-security-policy']) {
        expect(edge.headers.get(header), `${path} ${header}`).toBe(here.headers.get(header));
      }
    }
    const manifest = (await (await fetch(`${base}/scanforpay-button.json`)).json()) as {
      integrity: string;
    };
    expect(manifest.integrity).toBe(integrity);
  });

  it('a shopper opens /pay/<item> in Chromium, pays through the sandbox and lands on the result', async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(`${base}/pay/harbour-tee`);
    const pay = page.locator('scanforpay-button').locator('button[part="button"]');
    await expect.poll(() => pay.isEnabled(), { timeout: 15_000 }).toBe(true);
    await pay.click();
    // On a computer the element offers "pay on your phone" first: continue on this one.
    const dialogLink = page.locator('scanforpay-button [part="dialog"] a');
    await Promise.race([
      page.waitForURL(/\/cashier\//, { timeout: 15_000 }),
      dialogLink.click({ timeout: 15_000 }),
    ]);
    await page.waitForURL(/\/cashier\//, { timeout: 15_000 });
    await page.locator('[data-action="pay"]').click();
    await page.waitForURL((url) => url.href.startsWith(`${resultUrl}?order=`), {
      timeout: 15_000,
    });
    const orderId = new URL(page.url()).searchParams.get('order')!;
    const status = async () =>
      ((await (await fetch(`${base}/orders/${orderId}`)).json()) as { status: string }).status;
    await eventually(async () => ((await status()) === 'paid' ? true : undefined), 10_000);
    expect(await page.textContent('body')).toBe('thanks');
  });

  it('with JavaScript off, the form on /pay pays and comes back to the proxy’s status page', async () => {
    const context = await browser!.newContext({ locale: 'en-US', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/pay/harbour-tee?wallet=AlipayHK`);
    await page.getByRole('button', { name: 'Pay with AlipayHK' }).click();
    await page.waitForURL(/\/cashier\//, { timeout: 15_000 });
    await page.locator('[data-action="pay"]').click();
    await page.locator('[data-action="return"]').click();
    await page.waitForURL(/\/orders\/[0-9A-Z]+\/status/, { timeout: 15_000 });
    const orderId = /\/orders\/([0-9A-Z]+)\/status/.exec(page.url())![1]!;
    const status = async () =>
      ((await (await fetch(`${base}/orders/${orderId}`)).json()) as { status: string }).status;
    await eventually(async () => ((await status()) === 'paid' ? true : undefined), 10_000);
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('Paid. Thank you!');
    await context.close();
  });

  it('two isolates share one rate limit of RATE_LIMIT per client', async () => {
    type Isolate = { fetch(url: string, init?: RequestInit): Promise<Response> };
    const isolates = [
      (await mf.getWorker('a')) as unknown as Isolate,
      (await mf.getWorker('b')) as unknown as Isolate,
    ];
    const windowOf = () => Math.floor(Date.now() / 60_000);
    const before = windowOf();
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) {
      // One client (Cloudflare's CF-Connecting-IP), its requests split between the isolates;
      // the item does not exist, so each is counted and creates nothing.
      const response = await isolates[i % 2]!.fetch(`${base}/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'http://localhost:5173',
          'cf-connecting-ip': '203.0.113.7',
        },
        body: JSON.stringify({ item: 'no-such-item', wallet: 'AlipayHK' }),
      });
      answers.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      } else {
        expect(response.status).toBe(404);
      }
    }
    const allowed = answers.filter((s) => s !== 429).length;
    if (windowOf() === before) expect(allowed).toBe(LIMIT);
    else expect(allowed).toBeLessThanOrEqual(2 * LIMIT); // a window edge fell inside the loop
    expect(answers.slice(-2)).toEqual([429, 429]); // both isolates refuse
    // Per isolate, each would have let LIMIT through: 2 × LIMIT in all.
  });
});
