// Figures 1-3: order creation and notify ingestion through the proxy against a bare node:http
// baseline doing the same protocol work, the gateway measured directly, and SQLite vs Postgres.
// Every server is its own process, bound to 127.0.0.1; the load generator is another one.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeJson, formatTime, randomHex } from '../../packages/protocol/dist/index.js';
import createRequests from '../gen/create-requests.mjs';
import { DEADLINE_SECONDS, remainingSeconds } from '../lib/budget.mjs';
import { LOAD, runInterleaved, runLoad } from '../lib/load.mjs';
import { ROOT } from '../lib/paths.mjs';
import { freePort, onExit, start, waitHttp } from '../lib/procs.mjs';
import { spread } from '../lib/stats.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const STUB = here('../gateway-stub.mjs');
const BASELINE = here('../baseline-server.mjs');
const SANDBOX = here('../sandbox-process.mjs');
const CREATE_GEN = here('../gen/create-requests.mjs');
const NOTIFY_GEN = here('../gen/notify-sequence.mjs');
const SERVER_DIST = path.join(ROOT, 'packages/server/dist');
const PROXY_CLI = path.join(SERVER_DIST, 'cli.js');

export const CREDENTIALS = {
  partnerNo: '100000000000001',
  storeNo: '200000000000001',
  signKey: 'sandbox-demo-sign-key',
};
const ITEM = { id: 'tee', title: 'Red tee', amount: 19900, currency: 'HKD' };
const ORDER_BODY = JSON.stringify({ item: ITEM.id, wallet: 'AlipayHK' });
export const DUP_RATIO = 0.3;

export async function startNode(script, name, env, nodeArgs = []) {
  const port = await freePort();
  const proc = start(process.execPath, [...nodeArgs, script], {
    name,
    env: { ...env, PORT: String(port) },
  });
  await proc.waitFor(/listening (\d+)/);
  return { proc, port, url: `http://127.0.0.1:${port}` };
}

/**
 * Starts the proxy through its CLI in its own process, as in production.
 * @param {{gatewayUrl: string, databaseUrl: string, dir: string, label: string, cpuProf?: string, allowedOrigins?: string, env?: Record<string, string>}} o
 */
export async function startProxy(o) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const catalog = path.join(o.dir, 'catalog.json');
  writeFileSync(
    catalog,
    JSON.stringify({
      items: [{ ...ITEM, wallets: ['AlipayHK', 'Alipay', 'Wechat'] }],
    }),
  );
  // BENCH_PROXY_CLI: bench another build of the proxy (e.g. an experiment) under the same loads.
  const cli = process.env.BENCH_PROXY_CLI ?? PROXY_CLI;
  // BENCH_PROXY_NODE_ARGS: Node flags for the proxy's process (e.g. a V8 heap setting to try).
  const nodeArgs = (process.env.BENCH_PROXY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = o.cpuProf
    ? [...nodeArgs, '--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`, cli]
    : [...nodeArgs, cli];
  const proc = start(process.execPath, args, {
    name: `proxy ${o.label}`,
    env: {
      SCANFORPAY_PARTNER_NO: CREDENTIALS.partnerNo,
      SCANFORPAY_STORE_NO: CREDENTIALS.storeNo,
      SCANFORPAY_SIGN_KEY: CREDENTIALS.signKey,
      SCANFORPAY_API_URL: o.gatewayUrl,
      PUBLIC_URL: url,
      RESULT_URL: `${url}/result`,
      ALLOWED_ORIGINS: o.allowedOrigins ?? url,
      CATALOG: catalog,
      DATABASE_URL: o.databaseUrl,
      // Every middleware that ships on by default runs: the rate limiter (with a limit no
      // bench reaches: every request comes from 127.0.0.1) and a request line at `info`.
      RATE_LIMIT: '1000000',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'production',
      ...o.env,
    },
  });
  await waitHttp(`${url}/healthz`, 20_000, proc);
  return { proc, port, url };
}

/** The bare node:http baseline, calling the gateway at `gatewayUrl`. */
export function startBaseline(gatewayUrl, nodeArgs = [], env = {}) {
  return startNode(
    BASELINE,
    'baseline',
    {
      GATEWAY_URL: gatewayUrl,
      PARTNER_NO: CREDENTIALS.partnerNo,
      STORE_NO: CREDENTIALS.storeNo,
      SIGN_KEY: CREDENTIALS.signKey,
      ITEM_AMOUNT: String(ITEM.amount),
      ITEM_CURRENCY: ITEM.currency,
      ITEM_TITLE: ITEM.title,
      ...env,
    },
    nodeArgs,
  );
}

/** Does `@scanforpay/server/node` have a Postgres store? */
export async function postgresSupport() {
  const entry = path.join(SERVER_DIST, 'node.js');
  if (!existsSync(entry)) return { ok: false, reason: 'the proxy is not built' };
  const mod = await import(pathToFileURL(entry).href);
  const name = Object.keys(mod).find((k) => /postgres|pg/i.test(k) && /store/i.test(k));
  return name
    ? { ok: true, name }
    : { ok: false, reason: 'this build of @scanforpay/server/node has no Postgres store' };
}

export const createLoad = (url, extra = {}) => ({
  url,
  path: '/orders',
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: url },
  body: ORDER_BODY,
  ...extra,
});

/** Checks one order creation by hand before loading a server: it must answer a payUrl. */
async function checkCreate(url, name) {
  const res = await fetch(`${url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: ORDER_BODY,
  });
  const text = await res.text();
  if (!res.ok || !text.includes('payUrl')) {
    throw new Error(`${name}: POST /orders answered ${res.status} ${text.slice(0, 300)}`);
  }
  return JSON.parse(text);
}

/** Signed notifications for the orders the stub created, one each, written to a JSON file. */
export function writeNotifyBodies(orders, file) {
  const sha256 = (t) => createHash('sha256').update(t, 'utf8').digest('hex');
  const payTime = formatTime(new Date());
  const bodies = orders.map(([orderNo, partnerOrderNo, orderAmount, currency, wallet]) => {
    const text = encodeJson({
      header: {
        partnerNo: CREDENTIALS.partnerNo,
        respTime: payTime,
        signType: 'SHA256',
        version: '1.0',
        reqMsgId: randomHex(16),
      },
      body: {
        code: 1,
        msg: 'success',
        orderNo,
        partnerOrderNo,
        payTime,
        orderAmount,
        wallet,
        currency,
        status: 1,
      },
    });
    return `{"response":${text},"signature":"${sha256(text + CREDENTIALS.signKey)}"}`;
  });
  writeFileSync(file, JSON.stringify(bodies));
  return bodies.length;
}

export const notifyLoad = (url, file, seed, offset = 0) => ({
  url,
  path: '/notify',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  gen: { module: NOTIFY_GEN, options: { file, dupRatio: DUP_RATIO, seed, offset } },
  expect: 'success',
});

/** Per-round notify figures from the worker's answer counts. */
function notifyFigures(summary) {
  const perRound = summary.rounds.map((r) => {
    const c = r.counts ?? {};
    const get = (k) => c[k] ?? { good: 0, bad: 0 };
    const bad = Object.values(c).reduce((n, x) => n + x.bad, 0);
    return {
      committed: get('new').good / r.seconds,
      duplicates: (get('dup').good + get('reused').good) / r.seconds,
      answered: r.ok / r.seconds,
      reused: get('reused').good + get('reused').bad,
      bad,
    };
  });
  return {
    ...summary,
    committed: spread(perRound.map((x) => x.committed)),
    duplicates: spread(perRound.map((x) => x.duplicates)),
    answered: spread(perRound.map((x) => x.answered)),
    reused: perRound.reduce((n, x) => n + x.reused, 0),
    badAnswers: perRound.reduce((n, x) => n + x.bad, 0),
  };
}

function notifyOrdersWanted(createRps) {
  // A notification costs the proxy much less than a creation (no gateway call): plan for up to
  // 3x the creation rate, and at least 3,000/s.
  const seconds = LOAD.warmupSeconds + LOAD.rounds * LOAD.roundSeconds;
  return Math.ceil(Math.max(3 * createRps, 3000) * (1 - DUP_RATIO) * seconds);
}

/**
 * The orders the stub has created for the proxy, for its notifications: without the baselines'
 * (their order ids are 32 lowercase hex digits, a UUID's; the proxy's are 30 of its own
 * alphabet), which figure 1 creates in the same rounds.
 */
export async function stubCreated(stubUrl) {
  const res = await fetch(`${stubUrl}/__created`);
  const created = /** @type {Array<[string,string,number,string,string]>} */ (await res.json());
  return created.filter(([, partnerOrderNo]) => !/^[0-9a-f]{32}$/.test(partnerOrderNo));
}

/** Creates orders through `proxyUrl` until the stub has seen `target` (for at most 25–60 s). */
async function topUpOrders(proxyUrl, stubUrl, target, rate, label) {
  const have = (await stubCreated(stubUrl)).length;
  if (have >= target) return;
  // Up to 60 s (Postgres creates ~500 orders/s here and its notify run wants ~35,000), less
  // when the run's budget is short: 100 s stay for the notify load and the click figure.
  const cap = Math.max(25, Math.min(60, Math.floor(remainingSeconds() - 100)));
  const seconds = Math.min(cap, Math.ceil((target - have) / Math.max(rate, 300)) + 1);
  await runLoad(`${label}: creating more orders for the notify run (not measured)`, {
    ...createLoad(proxyUrl),
    warmupSeconds: 0,
    rounds: 1,
    roundSeconds: seconds,
  });
}

/**
 * Runs figures 1-3. Returns whatever it could measure; each part says why it was skipped.
 * @param {{profileDir?: string}} [options]
 */
/** Runs `fn`; on failure logs it and returns `{skipped: 'failed: …'}` so the rest goes on. */
async function attempt(name, fn) {
  try {
    return await fn();
  } catch (error) {
    console.error(`bench: ${name} failed: ${error?.stack ?? error}`);
    return { skipped: `failed: ${String(error?.message ?? error).split('\n')[0]}` };
  }
}

export async function measureServers(options = {}) {
  const out = /** @type {Record<string, any>} */ ({});
  const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-bench-'));
  const removeDir = onExit(() => rmSync(dir, { recursive: true, force: true }));
  const stopping = [];
  try {
    // The gateway stub, measured directly.
    const stub = await startNode(STUB, 'gateway stub', {
      SIGN_KEY: CREDENTIALS.signKey,
      PARTNER_NO: CREDENTIALS.partnerNo,
    });
    stopping.push(stub.proc);
    const createGen = { module: CREATE_GEN, options: CREDENTIALS };
    const gatewayLoad = (url) => ({
      url,
      path: '/api/online/create',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      gen: createGen,
    });
    // The stub does not mind a repeated partnerOrderNo: one signed body spares the load generator
    // the signing (the sandbox below gets a fresh one per request).
    const oneBody = createRequests(CREDENTIALS)().body;
    out.stub = await runLoad(
      'gateway stub POST /api/online/create',
      { ...gatewayLoad(stub.url), gen: undefined, body: oneBody },
      { pids: [stub.proc.child.pid] },
    );

    // The real sandbox, measured directly, for information.
    out.sandbox = existsSync(path.join(ROOT, 'packages/sandbox/dist/index.js'))
      ? await attempt('sandbox', async () => {
          const sandbox = await startNode(SANDBOX, 'sandbox', {});
          try {
            return await runLoad('sandbox POST /api/online/create', gatewayLoad(sandbox.url), {
              pids: [sandbox.proc.child.pid],
            });
          } finally {
            await sandbox.proc.stop();
          }
        })
      : { skipped: 'the sandbox is not built (packages/sandbox/dist missing)' };
    await fetch(`${stub.url}/__reset`, { method: 'POST' });

    // Figure 1: the baseline, the baseline + SQLite and the proxy, all started first, then
    // loaded round by round (runInterleaved), so that their ratios are measured side by side.
    const baseline = await startBaseline(stub.url);
    stopping.push(baseline.proc);
    await checkCreate(baseline.url, 'baseline');
    // The second baseline: the same, storing each order durably in SQLite as the proxy does
    // (insert before the gateway call, payUrl after, a commit each), nothing else.
    let withStore;
    out.baselineSqliteCreate = existsSync(path.join(SERVER_DIST, 'store/sql/migrations.js'))
      ? await attempt('baseline + SQLite', async () => {
          withStore = await startBaseline(stub.url, [], {
            BASELINE_SQLITE: path.join(dir, 'baseline.db'),
          });
          stopping.push(withStore.proc);
          await checkCreate(withStore.url, 'baseline + SQLite');
          return undefined;
        })
      : { skipped: 'the server is not built (packages/server/dist missing)' };

    const skipAll = (reason) => {
      for (const k of ['proxyCreate', 'notifyBaseline', 'notifyProxy', 'store']) {
        out[k] ??= { skipped: reason };
      }
      return out;
    };
    /** @type {any} */
    let proxy;
    let proxySkipped;
    if (!existsSync(PROXY_CLI)) {
      proxySkipped = 'the proxy is not built yet (packages/server/dist/cli.js missing)';
    } else {
      try {
        proxy = await startProxy({
          gatewayUrl: stub.url,
          databaseUrl: `file:${path.join(dir, 'orders.db')}`,
          dir,
          label: 'sqlite',
          cpuProf: options.profileDir,
        });
        stopping.push(proxy.proc);
        await checkCreate(proxy.url, 'proxy');
      } catch (error) {
        console.error(`bench: the proxy did not start: ${error?.stack ?? error}`);
        proxySkipped = `the proxy did not start: ${String(error?.message).split('\n')[0]}`;
        proxy = undefined;
      }
    }

    const loads = [
      {
        key: 'baselineCreate',
        label: 'baseline POST /orders',
        config: createLoad(baseline.url),
        watch: { pids: [baseline.proc.child.pid, stub.proc.child.pid] },
      },
      withStore && {
        key: 'baselineSqliteCreate',
        label: 'baseline + SQLite POST /orders',
        config: createLoad(withStore.url),
        watch: { pids: [withStore.proc.child.pid, stub.proc.child.pid] },
      },
      proxy && {
        key: 'proxyCreate',
        label: 'proxy (SQLite) POST /orders',
        config: createLoad(proxy.url),
        watch: { pids: [proxy.proc.child.pid, stub.proc.child.pid] },
      },
    ].filter(Boolean);
    const results = await runInterleaved(loads);
    loads.forEach((load, i) => (out[load.key] = results[i]));
    await withStore?.proc.stop();
    if (!proxy) return skipAll(proxySkipped);

    // Figure 2: enough fresh orders for warm-up + rounds (the worker reports any shortfall as
    // `reused`), then the same sequence of signed notifications to both servers.
    await attempt('notify', async () => {
      const rate = out.proxyCreate.rps ?? { max: 1000, median: 1000 };
      // + enough for the synchronous=FULL run that follows (fsync per commit: slower).
      const seconds = LOAD.warmupSeconds + LOAD.rounds * LOAD.roundSeconds;
      const wanted = notifyOrdersWanted(rate.max) + Math.ceil(1500 * (1 - DUP_RATIO) * seconds);
      await topUpOrders(proxy.url, stub.url, wanted, rate.median, 'proxy (SQLite)');
      const orders = await stubCreated(stub.url);
      const file = path.join(dir, 'notify-sqlite.json');
      writeNotifyBodies(orders, file);
      out.notifyOrders = orders.length;
      out.notifyBaseline = await attempt('baseline POST /notify', async () =>
        notifyFigures(
          await runLoad('baseline POST /notify', notifyLoad(baseline.url, file, 7), {
            pids: [baseline.proc.child.pid],
          }),
        ),
      );
      out.notifyProxy = await attempt('proxy POST /notify', async () =>
        notifyFigures(
          await runLoad('proxy (SQLite) POST /notify', notifyLoad(proxy.url, file, 7), {
            pids: [proxy.proc.child.pid],
          }),
        ),
      );
      // The same on SQLITE_SYNCHRONOUS=FULL (an fsync per commit), for orders not notified yet.
      await proxy.proc.stop();
      const used = (out.notifyProxy.rounds ?? [])
        .concat(out.notifyProxy.warmup ?? [])
        .reduce((n, r) => n + (r.counts?.new?.good ?? 0) + (r.counts?.new?.bad ?? 0), 0);
      out.notifyProxyFull = await attempt('proxy POST /notify, synchronous=FULL', async () => {
        const full = await startProxy({
          gatewayUrl: stub.url,
          databaseUrl: `file:${path.join(dir, 'orders.db')}`,
          dir,
          label: 'sqlite-full',
          env: { SQLITE_SYNCHRONOUS: 'FULL' },
        });
        try {
          return notifyFigures(
            await runLoad(
              'proxy (SQLite, synchronous=FULL) POST /notify',
              notifyLoad(full.url, file, 8, used + 100),
              { pids: [full.proc.child.pid] },
            ),
          );
        } finally {
          await full.proc.stop();
        }
      });
    });
    await proxy.proc.stop();
    await baseline.proc.stop();

    // Figure 3: the same two loads on Postgres.
    // Postgres needs two loads, a top-up (25–60 s) and a cluster; keep 60 s for figure 5.
    const pg = await postgresSupport();
    const needed = 2 * (LOAD.warmupSeconds + LOAD.rounds * LOAD.roundSeconds) + 45 + 60;
    if (pg.ok && remainingSeconds() < needed) {
      pg.ok = false;
      pg.reason = `skipped to stay within the ${DEADLINE_SECONDS} s budget (${Math.round(remainingSeconds())} s left, ~${needed} s needed)`;
    }
    out.store = pg.ok
      ? await attempt('Postgres figure', () => measurePostgres({ stub, dir }))
      : { skipped: pg.reason };
    return skipAll('not measured');
  } finally {
    for (const p of stopping.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
    removeDir();
  }
}

export async function measurePostgres({ stub, dir }) {
  const { startPostgres } = await import(
    pathToFileURL(path.join(ROOT, 'scripts/postgres-cluster.mjs')).href
  );
  let cluster;
  try {
    cluster = await startPostgres({ durable: true });
  } catch (error) {
    return { skipped: `no PostgreSQL cluster could be started: ${error.message}` };
  }
  const stopCluster = onExit(() => cluster.stop());
  try {
    await fetch(`${stub.url}/__reset`, { method: 'POST' });
    let proxy;
    try {
      proxy = await startProxy({
        gatewayUrl: stub.url,
        databaseUrl: cluster.url,
        dir,
        label: 'postgres',
      });
    } catch (error) {
      const lines = String(error.message).split('\n');
      const line =
        lines.find((l) => l.startsWith('scanforpay-proxy:')) ??
        lines.find((l) => l.includes('DATABASE_URL'));
      return { skipped: `the proxy did not start on Postgres: ${line ?? error.message}` };
    }
    try {
      await checkCreate(proxy.url, 'proxy (Postgres)');
      const create = await runLoad('proxy (Postgres) POST /orders', createLoad(proxy.url), {
        pids: [proxy.proc.child.pid, stub.proc.child.pid],
      });
      const wanted = notifyOrdersWanted(create.rps.max);
      await topUpOrders(proxy.url, stub.url, wanted, create.rps.median, 'proxy (Postgres)');
      const file = path.join(dir, 'notify-postgres.json');
      writeNotifyBodies(await stubCreated(stub.url), file);
      const notify = notifyFigures(
        await runLoad('proxy (Postgres) POST /notify', notifyLoad(proxy.url, file, 7), {
          pids: [proxy.proc.child.pid],
        }),
      );
      return { create, notify };
    } finally {
      await proxy.proc.stop();
    }
  } finally {
    cluster.stop();
    stopCluster();
  }
}
