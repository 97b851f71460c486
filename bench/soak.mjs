/* global AbortSignal */
// `pnpm soak` / `node bench/soak.mjs [--minutes 30] [--store sqlite|postgres] [--out FILE]`:
// a long run of mixed traffic with chaos on, against the real sandbox and the real proxy CLI
// (each its own process, on 127.0.0.1), sampling the proxy's RSS, heap after GC, file
// descriptors, active resources, and its database's size and row counts over time; then,
// traffic stopped and chaos off, it lets the proxy reconcile and compares every order with the
// gateway. Ends with the verdict "no growth without bound" (thresholds in soak/verdict.mjs,
// printed in the report); a mismatch, an unexpected answer or a failed check exits 1.
// Not part of `pnpm test`. See bench/README.md, "Soak".
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './lib/paths.mjs';
import { freePort, onExit, start, stopAll, waitHttp } from './lib/procs.mjs';
import { conductChaos } from './soak/chaos.mjs';
import { compare, gatewayOrders, stillMoving } from './soak/check.mjs';
import { startReceiver } from './soak/receiver.mjs';
import { writeReports, sampleRow, SAMPLE_HEADER } from './soak/report.mjs';
import { postgresDb, probe, procStats, sqliteDb } from './soak/sample.mjs';
import { ITEMS, Tally, createTraffic, makeRng } from './soak/traffic.mjs';
import { describeThresholds, judge } from './soak/verdict.mjs';

const USAGE = `usage: node bench/soak.mjs [--minutes 30] [--store sqlite|postgres] [--out FILE.md]
       [--sample-seconds N] [--settle-minutes 4] [--order-timeout 1m] [--seed N] [--no-admin]
       [--forged-flood 1500]`;

function parseArgs(argv) {
  const o = {
    minutes: 30,
    store: 'sqlite',
    out: undefined,
    sampleSeconds: undefined,
    settleMinutes: 4,
    orderTimeout: '1m',
    seed: undefined,
    admin: true,
    forgedFlood: 1500,
  };
  for (let i = 0; i < argv.length; i++) {
    let [k, v] = argv[i].split('=', 2);
    const value = () => (v !== undefined ? v : argv[++i]);
    if (k === '--minutes') o.minutes = Number(value());
    else if (k === '--store') o.store = value();
    else if (k === '--out') o.out = value();
    else if (k === '--sample-seconds') o.sampleSeconds = Number(value());
    else if (k === '--settle-minutes') o.settleMinutes = Number(value());
    else if (k === '--order-timeout') o.orderTimeout = value();
    else if (k === '--seed') o.seed = Number(value());
    else if (k === '--no-admin') o.admin = false;
    else if (k === '--forged-flood') o.forgedFlood = Number(value());
    else if (k === '--help' || k === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (k === '--') continue;
    else {
      console.error(`soak: unknown argument ${argv[i]}\n${USAGE}`);
      process.exit(2);
    }
  }
  if (!(o.minutes > 0 && o.minutes <= 24 * 60))
    throw new Error('--minutes: a number of minutes > 0');
  if (!['sqlite', 'postgres'].includes(o.store)) throw new Error('--store: sqlite or postgres');
  if (!/^\d+m$/.test(o.orderTimeout)) throw new Error('--order-timeout: minutes, e.g. 1m');
  o.sampleSeconds ??= Math.max(5, Math.min(30, Math.round(o.minutes)));
  o.seed ??= Date.now() % 2 ** 31;
  return o;
}

const log = (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const out = path.resolve(
    opts.out ?? path.join(tmpdir(), `scanforpay-soak-${opts.store}-${stamp}.md`),
  );
  const outBase = out.replace(/\.md$/, '');
  const trafficMs = Math.round(opts.minutes * 60_000);
  const settleMs = Math.round(opts.settleMinutes * 60_000);
  // Watchdog: whatever happens, everything started here is stopped.
  const watchdog = setTimeout(
    () => {
      log('soak: watchdog: the run overran its budget; stopping every process');
      process.exit(3);
    },
    trafficMs + settleMs + 5 * 60_000,
  );
  watchdog.unref();

  const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-soak-'));
  onExit(() => rmSync(dir, { recursive: true, force: true }));
  const rng = makeRng(opts.seed);
  log(
    `soak: ${opts.minutes} min of traffic, store ${opts.store}, seed ${opts.seed}, sample every ${opts.sampleSeconds} s, report ${out}`,
  );

  // --- database ---
  let databaseUrl;
  let db;
  let cluster;
  if (opts.store === 'postgres') {
    const { startPostgres } = await import(
      pathToFileURL(path.join(ROOT, 'scripts/postgres-cluster.mjs')).href
    );
    cluster = await startPostgres({ durable: true });
    onExit(() => cluster.stop());
    databaseUrl = cluster.url;
    db = postgresDb(cluster.url);
  } else {
    const file = path.join(dir, 'soak.db');
    databaseUrl = `file:${file}`;
    db = sqliteDb(file);
  }

  // --- sandbox (the gateway), webhook receiver, proxy ---
  const sandboxPort = await freePort();
  const sandbox = start(process.execPath, [path.join(ROOT, 'bench/sandbox-process.mjs')], {
    name: 'sandbox',
    env: { PORT: String(sandboxPort) },
  });
  await sandbox.waitFor(/listening (\d+)/);
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const receiver = await startReceiver({
    secret,
    rng,
    firstGoneAt: Date.now() + trafficMs * 0.45,
    goneEveryMs: Math.max(180_000, trafficMs / 3),
  });

  const proxyPort = await freePort();
  const proxyUrl = `http://127.0.0.1:${proxyPort}`;
  const catalog = path.join(dir, 'catalog.json');
  writeFileSync(catalog, JSON.stringify({ items: ITEMS }));
  const adminToken = opts.admin ? randomBytes(32).toString('base64url') : undefined;
  const probeFile = path.join(dir, 'probe.json');
  const cli = process.env.SOAK_PROXY_CLI ?? path.join(ROOT, 'packages/server/dist/cli.js');
  const proxyEnv = {
    SCANFORPAY_PARTNER_NO: '100000000000001',
    SCANFORPAY_STORE_NO: '200000000000001',
    SCANFORPAY_SIGN_KEY: 'sandbox-demo-sign-key',
    SCANFORPAY_API_URL: sandboxUrl,
    PUBLIC_URL: proxyUrl,
    RESULT_URL: `${proxyUrl}/result`,
    ALLOWED_ORIGINS: proxyUrl,
    CATALOG: catalog,
    DATABASE_URL: databaseUrl,
    RATE_LIMIT: '30',
    TRUST_PROXY: '1',
    ORDER_TIMEOUT: opts.orderTimeout,
    RECONCILE_AFTER: '10s',
    MERCHANT_WEBHOOK_URL: receiver.url,
    MERCHANT_WEBHOOK_SECRET: secret,
    WEBHOOK_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(proxyPort),
    SOAK_PROBE_FILE: probeFile,
    NODE_ENV: 'development',
    ...(adminToken ? { ADMIN_TOKEN: adminToken } : {}),
  };
  const proxy = start(
    process.execPath,
    ['--expose-gc', '--import', pathToFileURL(path.join(ROOT, 'bench/soak/probe.mjs')).href, cli],
    { name: 'proxy', cwd: dir, env: proxyEnv },
  );
  // Warnings and errors the proxy logs: tallied by message, kept in a file next to the report.
  const logTally = {};
  const logFile = createWriteStream(`${outBase}.proxy.log`);
  let partial = '';
  proxy.child.stdout.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        const { level, msg } = JSON.parse(line);
        if (level === 'warn' || level === 'error') {
          logTally[`${level}: ${msg}`] = (logTally[`${level}: ${msg}`] ?? 0) + 1;
          logFile.write(`${line}\n`);
        }
      } catch {
        // not JSON
      }
    }
  });
  proxy.child.stderr.on('data', (chunk) => logFile.write(chunk));
  let proxyExited;
  proxy.exited.then(({ code, signal }) => {
    proxyExited = `exited (code ${code}, signal ${signal})`;
  });
  await waitHttp(`${proxyUrl}/healthz`, 30_000, proxy);
  const proxyPid = proxy.child.pid;
  log(
    `soak: sandbox ${sandboxUrl}, proxy ${proxyUrl} (pid ${proxyPid}), webhook receiver ${receiver.url}`,
  );

  // --- sampling ---
  const tally = new Tally();
  const samples = [];
  let phase = 'idle-before';
  let chaosName = () => 'off';
  let t0 = Date.now();
  async function takeSample() {
    const at = Date.now();
    const snapshot = await probe(proxyPid, probeFile);
    let dbSample;
    try {
      dbSample = await db.sample();
    } catch (error) {
      dbSample = { error: error.message };
    }
    const s = {
      t: Math.round((at - t0) / 100) / 10,
      at: new Date(at).toISOString(),
      phase,
      chaos: chaosName(),
      proxy: procStats(proxyPid),
      probe: snapshot
        ? {
            activeResources: snapshot.activeResources,
            resources: snapshot.resources,
            memory: snapshot.memory,
            gcMs: snapshot.gcMs,
          }
        : undefined,
      sandboxRssBytes: procStats(sandbox.child.pid).rssBytes,
      db: dbSample,
      traffic: {
        sent: tally.sent,
        forged: tally.counters['forged notifies sent'] ?? 0,
        created: tally.counters['orders created (201)'] ?? 0,
        unexpected: tally.unexpectedCount,
      },
      webhook: { requests: receiver.stats.requests, unique: receiver.stats.uniqueIds },
    };
    samples.push(s);
    log(sampleRow(s));
    return s;
  }

  log(SAMPLE_HEADER);
  await sleep(2000);
  await takeSample();

  // --- traffic with chaos ---
  t0 = Date.now();
  const deadline = t0 + trafficMs;
  phase = 'traffic';
  const chaos = conductChaos({
    sandboxUrl,
    phaseMs: Math.max(8_000, Math.min(60_000, trafficMs / 9)),
    deadline,
    log,
  });
  chaosName = chaos.current;
  const traffic = createTraffic({
    proxyUrl,
    sandboxUrl,
    resultUrl: `${proxyUrl}/result`,
    adminToken,
    orderTimeoutMs: Number(opts.orderTimeout.slice(0, -1)) * 60_000,
    deadline,
    rng,
    tally,
    forgedFlood: opts.forgedFlood,
  });
  let sampling = true;
  const sampler = (async () => {
    for (let n = 1; sampling && n < 100_000; n++) {
      const next = t0 + n * opts.sampleSeconds * 1000;
      while (sampling && Date.now() < next) await sleep(Math.min(250, next - Date.now()));
      if (!sampling) break;
      await takeSample();
    }
  })();
  const running = traffic.run();
  await Promise.race([running, sleep(trafficMs + 60_000)]);
  await chaos.done;
  log(
    `soak: traffic stopped: ${tally.sent} requests, ${traffic.orders.size} orders created, ${tally.unexpectedCount} unexpected answers; chaos off`,
  );

  // --- settle: chaos off, receiver well-behaved, webhook enabled, refunds retried ---
  phase = 'settle';
  receiver.calm();
  await traffic.ensureWebhookEnabled();
  const settleDeadline = Date.now() + settleMs;
  let consistency;
  for (let round = 0; round < 10_000; round++) {
    if (adminToken) await retryPendingRefunds();
    const [gateway, rows, refunds] = await Promise.all([
      gatewayOrders(sandboxUrl),
      db.orders(),
      db.refunds(),
    ]);
    consistency = compare(gateway, rows, refunds);
    const moving = consistency.mismatches.filter(stillMoving).length;
    if (round % 3 === 0 || consistency.mismatches.length === 0) {
      log(
        `soak: settling: ${consistency.mismatches.length} mismatches (${moving} may still move) of ${consistency.checked} orders`,
      );
    }
    if (consistency.mismatches.length === 0 || moving === 0 || Date.now() >= settleDeadline) break;
    await sleep(5000);
  }
  phase = 'idle-after';
  // Idle means the keep-alive pools have drained too: the proxy's sockets to the gateway and
  // to the webhook receiver close on their peers' keep-alive timeouts (5 s), so the sample is
  // taken again, up to 30 s, while it still holds more descriptors than before the traffic.
  const before = samples.find((s) => s.phase === 'idle-before');
  const idleDeadline = Date.now() + 30_000;
  await sleep(7000);
  await takeSample();
  while (
    before &&
    samples.at(-1).proxy.fds > before.proxy.fds + 10 + (opts.store === 'postgres' ? 10 : 0) &&
    Date.now() < idleDeadline
  ) {
    await sleep(3000);
    await takeSample();
  }
  sampling = false;
  await sampler;

  async function retryPendingRefunds() {
    const pending = ((await db.refunds()) ?? []).filter((r) => r.status === 'pending');
    for (const r of pending.slice(0, 200)) {
      await fetch(`${proxyUrl}/admin/orders/${r.order_id}/refunds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ refundNo: r.refund_no, amount: Number(r.amount) }),
        signal: AbortSignal.timeout(20_000),
      }).then(
        (res) => res.arrayBuffer(),
        () => undefined,
      );
    }
  }

  // --- stop: the proxy must shut down cleanly on SIGTERM ---
  const stopped = Date.now();
  await proxy.stop(15_000);
  const proxyStop = proxyExited ?? 'stopped';
  const { code: proxyCode } = await proxy.exited;
  const proxyStopMs = Date.now() - stopped;
  await db.close();
  await receiver.close();
  await sandbox.stop();
  cluster?.stop();
  await new Promise((resolve) => logFile.end(resolve));

  const verdict = judge(samples, {
    trafficMs,
    poolConnections: opts.store === 'postgres' ? 10 : 0,
    consistency,
    unexpected: tally.unexpectedCount,
    proxyExited: proxyCode === 0 ? undefined : `${proxyStop} after SIGTERM (${proxyStopMs} ms)`,
  });
  const report = {
    command: `node bench/soak.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    options: opts,
    startedAt: new Date(t0).toISOString(),
    proxyConfig: {
      ...proxyEnv,
      SCANFORPAY_SIGN_KEY: '(sandbox key)',
      MERCHANT_WEBHOOK_SECRET: '(random)',
      ADMIN_TOKEN: adminToken ? '(random)' : undefined,
      SOAK_PROBE_FILE: undefined,
    },
    thresholds: describeThresholds(),
    samples,
    traffic: {
      sent: tally.sent,
      routes: tally.routes,
      counters: tally.counters,
      unexpectedCount: tally.unexpectedCount,
      unexpected: tally.unexpected,
      ordersCreated: traffic.orders.size,
    },
    webhook: receiver.stats,
    chaos: chaos.timeline.map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
    consistency: {
      ...consistency,
      mismatches: consistency.mismatches.slice(0, 200),
      mismatchCount: consistency.mismatches.length,
    },
    proxyLog: logTally,
    proxyShutdown: { code: proxyCode, ms: proxyStopMs },
    verdict,
  };
  writeReports(out, report);
  log('');
  for (const c of verdict.checks)
    log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value} (limit ${c.limit})`);
  if (consistency.mismatches.length > 0) {
    log(`mismatches (${consistency.mismatches.length}):`);
    for (const m of consistency.mismatches.slice(0, 20))
      log(
        `  ${m.kind}: ${m.orderId} ${JSON.stringify(m.proxy ?? m)} ${JSON.stringify(m.gateway ?? '')}`,
      );
  }
  for (const u of tally.unexpected.slice(0, 20)) log(`unexpected: ${u.at} ${u.route}: ${u.detail}`);
  log(
    `\nsoak: ${verdict.pass ? 'PASS: no growth without bound, gateway and proxy agree' : 'FAIL'}; report ${out} and ${outBase}.json; proxy warnings ${outBase}.proxy.log`,
  );
  return verdict.pass ? 0 : 1;
}

main().then(
  async (code) => {
    await stopAll();
    process.exit(code);
  },
  async (error) => {
    console.error(`soak: ${error.stack ?? error.message}`);
    await stopAll();
    process.exit(2);
  },
);
