// Figure 5: click to redirect in headless Chromium against the local stack (the demo's
// startStack when it exists, else sandbox + proxy + a one-line page of our own). Measured in the
// page: from the click event's timestamp to the button's `scanforpay-redirect` event, which it
// fires right before `location.assign(payUrl)`; each click is also checked to start the
// navigation request to the payUrl. Second figure: click → the sandbox's cashier page painted
// (its first contentful paint), both instants on the wall clock (each page's timeOrigin plus
// its own timestamp). The page is reloaded between clicks.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { remainingSeconds } from '../lib/budget.mjs';
import { ROOT } from '../lib/paths.mjs';
import { freePort, onExit } from '../lib/procs.mjs';
import { startNode, startProxy } from './server.mjs';

const CHROMIUM = CHROMIUM_PATH;
const WARMUP = Number(process.env.BENCH_CLICK_WARMUP ?? 5);
const CLICKS = Number(process.env.BENCH_CLICKS ?? 50);
const BUDGET_SECONDS = Number(process.env.BENCH_CLICK_BUDGET ?? 90);

function quantile(sorted, q) {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** The demo's own stack: sandbox + proxy + storefront. */
async function demoStack(dir) {
  const { startStack } = await import(
    pathToFileURL(path.join(ROOT, 'demo/scripts/stack.mjs')).href
  );
  const [demoPort, proxyPort, sandboxPort] = [await freePort(), await freePort(), await freePort()];
  const stack = await startStack({
    demoPort,
    proxyPort,
    sandboxPort,
    dataDir: dir,
    quiet: true,
    rateLimit: 1_000_000,
  });
  const removeHook = onExit(() => stack.stop());
  return {
    description:
      'the demo stack (`demo/scripts/stack.mjs`: sandbox, proxy with SQLite, Vite storefront), the storefront’s first `<scanforpay-button item="harbour-tee">`',
    page: `${stack.urls.storefront}/`,
    selector: 'scanforpay-button[item="harbour-tee"]',
    payOrigin: stack.urls.sandbox,
    async stop() {
      await stack.stop();
      removeHook();
    },
  };
}

/** Our own: sandbox + proxy (CLI) + a page with the script-tag bundle served by the proxy. */
async function ownStack(dir) {
  const sandbox = await startNode(
    new URL('../sandbox-process.mjs', import.meta.url).pathname,
    'sandbox',
    {},
  );
  const pagePort = await freePort();
  const pageUrl = `http://127.0.0.1:${pagePort}`;
  const proxy = await startProxy({
    gatewayUrl: sandbox.url,
    databaseUrl: `file:${path.join(dir, 'click.db')}`,
    dir,
    label: 'click',
    allowedOrigins: pageUrl,
  });
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
<script src="${proxy.url}/scanforpay-button.js"></script></head>
<body><scanforpay-button item="tee" wallet="AlipayHK"></scanforpay-button></body></html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(pagePort, '127.0.0.1', resolve));
  return {
    description:
      'sandbox + proxy (CLI, SQLite) + a page with `<script src="…/scanforpay-button.js">` and `<scanforpay-button item="tee">`',
    page: `${pageUrl}/`,
    selector: 'scanforpay-button[item="tee"]',
    payOrigin: sandbox.url,
    async stop() {
      server.close();
      server.closeAllConnections();
      await proxy.proc.stop();
      await sandbox.proc.stop();
    },
  };
}

export async function measureClicks() {
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM}` };
  for (const pkg of ['sandbox', 'server']) {
    if (!existsSync(path.join(ROOT, `packages/${pkg}/dist`))) {
      return { skipped: `@scanforpay/${pkg} is not built; run pnpm build` };
    }
  }
  const require = createRequire(path.join(ROOT, 'package.json'));
  const { chromium } = require('playwright-core');

  const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-click-'));
  const useDemo = existsSync(path.join(ROOT, 'demo/scripts/stack.mjs'));
  let stack;
  let browser;
  try {
    stack = useDemo ? await demoStack(dir) : await ownStack(dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const closeBrowser = onExit(() => browser?.process()?.kill('SIGKILL'));
    const page = await browser.newPage();
    /** @type {((v: {ms: number, payUrl: string}) => void) | null} */
    let onRedirect = null;
    await page.exposeFunction('__benchRedirect', (ms, payUrl, clickEpoch) =>
      onRedirect?.({ ms, payUrl, clickEpoch }),
    );
    await page.addInitScript(() => {
      window.addEventListener('click', (e) => (globalThis.__benchClick = e.timeStamp), true);
      window.addEventListener(
        'scanforpay-redirect',
        (e) =>
          globalThis.__benchRedirect(
            performance.now() - globalThis.__benchClick,
            e.detail.payUrl,
            performance.timeOrigin + globalThis.__benchClick,
          ),
        true,
      );
    });

    const samples = [];
    const painted = [];
    const started = performance.now();
    // Bounded: at most BENCH_CLICK_BUDGET s, and never past the run's deadline.
    const BUDGET_MS = Math.max(5, Math.min(BUDGET_SECONDS, remainingSeconds() - 20)) * 1000;
    for (let i = 0; i < WARMUP + CLICKS; i++) {
      if (performance.now() - started > BUDGET_MS) break;
      await page.goto(stack.page, { waitUntil: 'load', timeout: 15_000 });
      await page.waitForFunction(
        (sel) =>
          document
            .querySelector(sel)
            ?.shadowRoot?.querySelector('button[part=button]:not([disabled])'),
        stack.selector,
        { timeout: 15_000 },
      );
      // A computer gets the "pay on your phone" dialog, which does not navigate: this figure is
      // the redirect path (a phone's, or a computer's with dialog="off").
      await page.$eval(stack.selector, (el) => el.setAttribute('dialog', 'off'));
      const redirected = new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('no scanforpay-redirect within 10 s')),
          10_000,
        );
        onRedirect = (v) => {
          clearTimeout(timer);
          resolve(v);
        };
      });
      const navigation = page.waitForRequest(
        (r) => r.isNavigationRequest() && r.url().startsWith(stack.payOrigin),
        { timeout: 10_000 },
      );
      await page.locator(`${stack.selector} button[part=button]`).click({ timeout: 10_000 });
      const [{ ms, payUrl, clickEpoch }, request] = await Promise.all([redirected, navigation]);
      if (request.url() !== payUrl) {
        throw new Error(`navigated to ${request.url()}, expected the payUrl ${payUrl}`);
      }
      // The cashier's first contentful paint, on the wall clock like the click.
      await page.waitForURL((url) => url.href.startsWith(stack.payOrigin), { timeout: 10_000 });
      const paintEpoch = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const at = (entry) => resolve(performance.timeOrigin + entry.startTime);
            const seen = performance.getEntriesByName('first-contentful-paint')[0];
            if (seen) return at(seen);
            new globalThis.PerformanceObserver((list) => {
              const entry = list.getEntriesByName('first-contentful-paint')[0];
              if (entry) at(entry);
            }).observe({ type: 'paint', buffered: true });
            setTimeout(() => resolve(null), 5000);
          }),
      );
      if (typeof paintEpoch !== 'number') throw new Error('the cashier page was not painted');
      if (i >= WARMUP) {
        samples.push(ms);
        painted.push(paintEpoch - clickEpoch);
      }
    }
    closeBrowser();
    if (samples.length === 0) return { skipped: 'no click completed within the time budget' };
    const sorted = [...samples].sort((a, b) => a - b);
    const paint = [...painted].sort((a, b) => a - b);
    return {
      n: samples.length,
      median: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      min: sorted[0],
      max: sorted[sorted.length - 1],
      painted: {
        median: quantile(paint, 0.5),
        p95: quantile(paint, 0.95),
        min: paint[0],
        max: paint[paint.length - 1],
      },
      method:
        `Stack: ${stack.description}. Chromium ${browser.version()} headless; ${WARMUP} warm-up clicks, then ${samples.length} measured, the page reloaded before each. ` +
        'Time: from the click event’s timestamp to the button’s `scanforpay-redirect` event (fired right before `location.assign(payUrl)`), on the page’s clock; every click was checked to start the navigation request to the returned payUrl. It covers the `POST /orders` round trip (proxy → sandbox → proxy) and the element’s own work. ' +
        'Cashier painted: from the same click to the first contentful paint of the sandbox’s cashier page (`performance.timeOrigin` + the paint entry’s `startTime`, against `timeOrigin` + the click’s `timeStamp` in the storefront page: both on the wall clock of this one machine); it adds the navigation, the cashier’s HTML and its first paint.',
    };
  } finally {
    await browser?.close().catch(() => {});
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
