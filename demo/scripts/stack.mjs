// Starts the whole demo: the local ScanForPay sandbox, the signing proxy and the Vite storefront,
// each as a child process, and waits until each one answers. `pnpm demo` (run-demo.mjs) and the
// end-to-end tests both start the stack through startStack(), so the tests run what people run.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = join(ROOT, 'demo');
const SANDBOX_CLI = join(ROOT, 'packages/sandbox/dist/cli.js');
const PROXY_CLI = join(ROOT, 'packages/server/dist/cli.js');
const VITE_CLI = join(
  dirname(createRequire(join(DEMO, 'package.json')).resolve('vite/package.json')),
  'bin/vite.js',
);

/** The sandbox's built-in partner; the proxy signs with these in the demo. */
export const SANDBOX_CREDENTIALS = Object.freeze({
  partnerNo: '100000000000001',
  storeNo: '200000000000001',
  signKey: 'sandbox-demo-sign-key',
});

export const DEFAULT_PORTS = Object.freeze({ demoPort: 5173, proxyPort: 8787, sandboxPort: 8788 });

const HEALTH_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_LINES_KEPT = 60;

/** A problem that stops the stack from starting, with a message meant for the person running it. */
export class StackError extends Error {
  /** @param {string} message @param {{ name?: string, log?: string }} [details] */
  constructor(message, details = {}) {
    super(
      details.log ? `${message}\n--- last output of ${details.name} ---\n${details.log}` : message,
    );
    this.name = 'StackError';
  }
}

/**
 * @typedef {object} StackOptions
 * @property {number} [demoPort] storefront port (DEMO_PORT), default 5173
 * @property {number} [proxyPort] proxy port (PROXY_PORT), default 8787
 * @property {number} [sandboxPort] sandbox port (SANDBOX_PORT), default 8788
 * @property {string} [dataDir] where the proxy's SQLite file lives, default demo/.data
 * @property {boolean} [quiet] keep the children's output to error messages only
 * @property {string} [logFile] also append every line the children print to this file
 * @property {string} [notifySchedule] the sandbox's notify delays in ms, e.g. "0,200,500"
 * @property {number} [rateLimit] the proxy's order creations per minute per client
 *
 * @typedef {object} StackUrls
 * @property {string} storefront the shop, http://localhost:<demoPort>
 * @property {string} proxy the signing proxy, http://localhost:<proxyPort>
 * @property {string} sandbox the local ScanForPay, http://127.0.0.1:<sandboxPort>
 *
 * @typedef {object} ChildExit
 * @property {string} name sandbox, proxy or storefront
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 *
 * @typedef {object} Stack
 * @property {StackUrls} urls
 * @property {string} databaseUrl the proxy's DATABASE_URL
 * @property {Promise<ChildExit>} exited settles when a child exits before stop() was called
 * @property {() => Promise<void>} stop stops the three children and waits for them to exit
 */

/**
 * Fails with a clear message when `port` is taken on the loopback addresses the demo uses.
 * @param {number} port @param {string} variable the environment variable that sets it
 */
export async function assertPortFree(port, variable) {
  for (const host of ['127.0.0.1', '::1']) {
    const problem = await tryListen(port, host);
    if (problem === 'EADDRINUSE' || problem === 'EACCES') {
      throw new StackError(
        problem === 'EADDRINUSE'
          ? `port ${port} (${variable}) is already in use; stop what uses it or set ${variable} to another port`
          : `port ${port} (${variable}) cannot be opened by this user; set ${variable} to another port`,
      );
    }
  }
}

/** @param {number} port @param {string} host @returns {Promise<string | undefined>} */
function tryListen(port, host) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', (/** @type {NodeJS.ErrnoException} */ error) => done(error.code));
    server.listen({ port, host, exclusive: true }, () => server.close(() => done(undefined)));
  });
}

/** A port that is free right now on 127.0.0.1, for tests. @returns {Promise<number>} */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * Starts sandbox, proxy and storefront, in that order, each after the previous one is healthy.
 * @param {StackOptions} [options]
 * @returns {Promise<Stack>}
 */
export async function startStack(options = {}) {
  const {
    demoPort = DEFAULT_PORTS.demoPort,
    proxyPort = DEFAULT_PORTS.proxyPort,
    sandboxPort = DEFAULT_PORTS.sandboxPort,
    dataDir = join(DEMO, '.data'),
    quiet = false,
    logFile,
  } = options;
  /** @type {[number, string][]} */
  const ports = [
    [demoPort, 'DEMO_PORT'],
    [proxyPort, 'PROXY_PORT'],
    [sandboxPort, 'SANDBOX_PORT'],
  ];
  for (const [port, variable] of ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new StackError(`${variable} must be a port number from 1 to 65535, got "${port}"`);
    }
  }
  if (new Set([demoPort, proxyPort, sandboxPort]).size !== 3) {
    throw new StackError('DEMO_PORT, PROXY_PORT and SANDBOX_PORT must be three different ports');
  }
  for (const [cli, name] of [
    [SANDBOX_CLI, '@scanforpay/sandbox'],
    [PROXY_CLI, '@scanforpay/server'],
  ]) {
    if (!existsSync(cli)) {
      throw new StackError(`${name} is not built (${cli} is missing); run \`pnpm build\` first`);
    }
  }
  for (const [port, variable] of ports) await assertPortFree(port, variable);

  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const databaseUrl = `file:${join(dir, 'scanforpay.db')}`;
  const urls = {
    storefront: `http://localhost:${demoPort}`,
    proxy: `http://localhost:${proxyPort}`,
    sandbox: `http://127.0.0.1:${sandboxPort}`,
  };

  const children = new ChildSet(quiet, logFile);
  try {
    const sandbox = children.start('sandbox', SANDBOX_CLI, [], {
      HOST: '127.0.0.1',
      PORT: String(sandboxPort),
      PUBLIC_URL: urls.sandbox,
      SANDBOX_PARTNER_NO: SANDBOX_CREDENTIALS.partnerNo,
      SANDBOX_STORE_NO: SANDBOX_CREDENTIALS.storeNo,
      SANDBOX_SIGN_KEY: SANDBOX_CREDENTIALS.signKey,
      SANDBOX_MERCHANT_NAME: 'Harbour Goods',
      ...(options.notifySchedule ? { SANDBOX_NOTIFY_SCHEDULE: options.notifySchedule } : {}),
    });
    await children.waitHealthy(sandbox, `http://127.0.0.1:${sandboxPort}/healthz`, isOkJson);

    const proxy = children.start('proxy', PROXY_CLI, [], {
      SCANFORPAY_PARTNER_NO: SANDBOX_CREDENTIALS.partnerNo,
      SCANFORPAY_STORE_NO: SANDBOX_CREDENTIALS.storeNo,
      SCANFORPAY_SIGN_KEY: SANDBOX_CREDENTIALS.signKey,
      SCANFORPAY_API_URL: urls.sandbox,
      PUBLIC_URL: urls.proxy,
      RESULT_URL: `${urls.storefront}/result.html`,
      // The hosted pay page ("Try again" after a cancel) shows the shop's name, not the proxy's host.
      MERCHANT_NAME: 'Harbour Goods',
      ALLOWED_ORIGINS: `http://localhost:${demoPort},http://127.0.0.1:${demoPort}`,
      CATALOG: join(DEMO, 'catalog.json'),
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(proxyPort),
      ...(options.rateLimit ? { RATE_LIMIT: String(options.rateLimit) } : {}),
    });
    await children.waitHealthy(proxy, `http://127.0.0.1:${proxyPort}/healthz`, isOkJson);

    const storefront = children.start(
      'storefront',
      VITE_CLI,
      ['--port', String(demoPort), '--strictPort', '--host', '127.0.0.1', '--clearScreen', 'false'],
      { PROXY_PORT: String(proxyPort), DEMO_PORT: String(demoPort) },
    );
    await children.waitHealthy(storefront, `http://127.0.0.1:${demoPort}/`, async (response) =>
      (await response.text()).includes('<scanforpay-button'),
    );
  } catch (error) {
    await children.stopAll();
    throw error;
  }
  return { urls, databaseUrl, exited: children.exited, stop: () => children.stopAll() };
}

/** @param {Response} response */
async function isOkJson(response) {
  const body = /** @type {{ ok?: unknown } | null} */ (await response.json().catch(() => null));
  return body?.ok === true;
}

/**
 * @typedef {object} Child
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} process
 * @property {string[]} log the last lines of its output
 * @property {ChildExit | undefined} exit
 */

/** The running children: start, health-wait, stop, and notice when one dies. */
class ChildSet {
  /** @type {Child[]} */
  children = [];
  stopping = false;
  /** @type {(exit: ChildExit) => void} */
  #died = () => {};
  /** @type {Promise<ChildExit>} */
  exited = new Promise((done) => (this.#died = done));

  /** @param {boolean} quiet @param {string} [logFile] */
  constructor(quiet, logFile) {
    this.quiet = quiet;
    this.logFile = logFile;
    this.killOnExit = () => {
      for (const child of this.children) if (!child.exit) child.process.kill('SIGKILL');
    };
    process.on('exit', this.killOnExit);
  }

  /**
   * @param {string} name @param {string} script @param {string[]} args
   * @param {Record<string, string>} env
   * @returns {Child}
   */
  start(name, script, args, env) {
    /** @type {Child} */
    const child = {
      name,
      log: [],
      exit: undefined,
      process: spawn(process.execPath, [script, ...args], {
        cwd: DEMO,
        env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    };
    for (const stream of [child.process.stdout, child.process.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (/** @type {string} */ chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.#print(child, line);
      });
    }
    child.process.on('exit', (code, signal) => {
      child.exit = { name, code, signal };
      if (!this.stopping) this.#died(child.exit);
    });
    child.process.on('error', (error) => {
      this.#print(child, `could not start: ${error.message}`);
      child.exit = { name, code: null, signal: null };
      if (!this.stopping) this.#died(child.exit);
    });
    this.children.push(child);
    return child;
  }

  /** @param {Child} child @param {string} line */
  #print(child, line) {
    child.log.push(line);
    if (child.log.length > LOG_LINES_KEPT) child.log.shift();
    if (!this.quiet && line.trim()) console.log(`[${child.name}] ${line}`);
    if (this.logFile && line.trim()) appendFileSync(this.logFile, `[${child.name}] ${line}\n`);
  }

  /**
   * Polls `url` until `healthy(response)` holds; fails when the child dies or time runs out.
   * @param {Child} child @param {string} url
   * @param {(response: Response) => Promise<boolean>} healthy
   */
  async waitHealthy(child, url, healthy) {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      if (child.exit) {
        const { code, signal } = child.exit;
        throw new StackError(`${child.name} exited during start-up (${signal ?? `code ${code}`})`, {
          name: child.name,
          log: child.log.join('\n'),
        });
      }
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (response.ok && (await healthy(response))) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) {
        throw new StackError(`${child.name} did not become healthy at ${url} within 30 s`, {
          name: child.name,
          log: child.log.join('\n'),
        });
      }
      await new Promise((done) => setTimeout(done, 150));
    }
  }

  /** Stops the children, last started first: SIGTERM, then SIGKILL after 5 s. */
  async stopAll() {
    this.stopping = true;
    for (const child of [...this.children].reverse()) await stopChild(child);
    process.off('exit', this.killOnExit);
  }
}

/** @param {Child} child */
async function stopChild(child) {
  if (child.exit) return;
  const exited = new Promise((done) => child.process.once('exit', done));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
