// The README's install route, end to end, outside the workspace: the packages packed into
// tarballs, installed into a scratch app, the app type-checked and built with Vite, the proxy
// and sandbox started from the app's node_modules/.bin, and a purchase started in Chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, SANDBOX_CREDENTIALS } from '../scripts/stack.mjs';
import { scratchInstall } from '../../scripts/scratch-install.mjs';
import { launchChromium, newPage, reachCashier, readyButton } from './helpers.js';

const CATALOG = new URL('../catalog.json', import.meta.url).pathname;

const MAIN_TS = `import '@scanforpay/button/define';

// The element and event types come with the define import alone.
const button = document.querySelector('scanforpay-button');
if (button) {
  const item: string | undefined = button.item;
  button.addEventListener('scanforpay-order', (event) => {
    const orderId: string = event.detail.orderId;
    console.log('order', orderId, item);
  });
}
`;

/** Uses a member the element does not have: the types must catch it. */
const WRONG_TS = `import '@scanforpay/button/define';

document.querySelector('scanforpay-button')?.notAnAttribute;
`;

const TSCONFIG = (file: string) =>
  JSON.stringify({
    compilerOptions: {
      target: 'es2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      lib: ['es2022', 'dom'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    files: [file],
  });

function run(command: string, args: string[], cwd: string) {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
}

/** Starts a program from the app, resolving once `ready` matches what it prints. */
function start(
  app: string,
  bin: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<ChildProcess> {
  const child = spawn(join(app, 'node_modules/.bin', bin), args, {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${bin} exited (${code}):\n${output}`));
    });
  });
}

describe('installing from tarballs, outside the workspace', () => {
  let dir: string;
  let app: string;
  let browser: Browser | undefined;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scanforpay-install-'));
    app = scratchInstall(dir);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('types the element and its events from the define import alone', () => {
    writeFileSync(join(app, 'main.ts'), MAIN_TS);
    writeFileSync(join(app, 'wrong.ts'), WRONG_TS);
    writeFileSync(join(app, 'tsconfig.json'), TSCONFIG('main.ts'));
    writeFileSync(join(app, 'tsconfig.wrong.json'), TSCONFIG('wrong.ts'));
    const checked = run('node_modules/.bin/tsc', ['-p', 'tsconfig.json'], app);
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
    const wrong = run('node_modules/.bin/tsc', ['-p', 'tsconfig.wrong.json'], app);
    expect(wrong.status).toBe(2);
    expect(wrong.stdout).toContain(
      "Property 'notAnAttribute' does not exist on type 'ScanForPayButton'",
    );
  });

  it('builds with Vite and takes a shopper to the cashier through the installed proxy', async () => {
    const [sandboxPort, proxyPort, pagePort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    const pageUrl = `http://127.0.0.1:${pagePort}`;
    writeFileSync(
      join(app, 'index.html'),
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>Scratch shop</title>
<scanforpay-button item="harbour-tee" endpoint="${proxyUrl}"></scanforpay-button>
<script type="module" src="./main.ts"></script></html>\n`,
    );
    copyFileSync(CATALOG, join(app, 'catalog.json'));
    const built = run('node_modules/.bin/vite', ['build'], app);
    expect(built.status, built.stdout + built.stderr).toBe(0);

    children.push(
      await start(
        app,
        'scanforpay-sandbox',
        [],
        {
          PORT: String(sandboxPort),
          SANDBOX_PARTNER_NO: SANDBOX_CREDENTIALS.partnerNo,
          SANDBOX_STORE_NO: SANDBOX_CREDENTIALS.storeNo,
          SANDBOX_SIGN_KEY: SANDBOX_CREDENTIALS.signKey,
        },
        /listening on/,
      ),
    );
    children.push(
      await start(
        app,
        'scanforpay-proxy',
        [],
        {
          PORT: String(proxyPort),
          SCANFORPAY_PARTNER_NO: SANDBOX_CREDENTIALS.partnerNo,
          SCANFORPAY_STORE_NO: SANDBOX_CREDENTIALS.storeNo,
          SCANFORPAY_SIGN_KEY: SANDBOX_CREDENTIALS.signKey,
          SCANFORPAY_API_URL: sandboxUrl,
          PUBLIC_URL: proxyUrl,
          RESULT_URL: `${pageUrl}/result.html`,
          ALLOWED_ORIGINS: pageUrl,
          DATABASE_URL: 'file:shop.db',
        },
        /"msg":"listening"/,
      ),
    );
    children.push(
      await start(
        app,
        'vite',
        ['preview', '--port', String(pagePort), '--strictPort', '--host', '127.0.0.1'],
        {},
        new RegExp(`${pagePort}`),
      ),
    );

    browser = await launchChromium();
    const page = await newPage(browser);
    await page.goto(`${pageUrl}/`);
    const button = await readyButton(page, 'harbour-tee');
    expect((await button.textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      'Pay with AlipayHKHK$199.00',
    );
    await button.click();
    await reachCashier(page);
    expect(new URL(page.url()).origin).toBe(sandboxUrl);
  });
});
