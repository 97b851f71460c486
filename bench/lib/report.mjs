// Turns the figures into BENCHMARKS.md and the one-line verdicts.
import { fixed, int, intSpread, msSpread } from './stats.mjs';

export const GOALS = {
  gatewayFactor: 2,
  proxyRatio: 0.8,
  proxySqliteRatio: 0.9,
  notifyPerSecond: 4000,
  notifyPostgresPerSecond: 2500,
  /** Both elements' own code above the Lit floor, script-tag bundle, gzip -9 bytes. */
  elementsAboveFloorGzip: 4000,
};

const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const skipped = (x) => x && typeof x.skipped === 'string';

/** Round-to-round spread above which a throughput is the machine's noise, not a figure. */
export const UNSETTLED_SPREAD = 1.5;
/** The loads among `xs` whose rounds differ by more than `UNSETTLED_SPREAD`, as text. */
function unsettled(xs) {
  const noisy = xs.filter(([, x]) => x?.rps && x.rps.max > UNSETTLED_SPREAD * x.rps.min);
  return noisy.length === 0
    ? ''
    : ` — ${noisy.map(([name, x]) => `the ${name}'s rounds ranged ${int(x.rps.min)}–${int(x.rps.max)} req/s`).join(', ')} (more than ${UNSETTLED_SPREAD}× apart: other work on the machine), so this ratio says nothing`;
}
/** MET / NOT MET, or UNSETTLED when the figures behind it are noise. */
const verdict = (ok, noise) => (noise ? 'UNSETTLED' : ok ? 'MET' : 'NOT MET');

/** One line per goal: met / not met with the ratio. */
export function verdicts(r) {
  const lines = [];
  const s = r.servers ?? {};
  const base = s.baselineCreate?.rps?.median;
  if (s.stub?.rps && base) {
    const f = s.stub.rps.median / base;
    lines.push(
      `${f >= GOALS.gatewayFactor ? 'MET' : 'NOT MET'}: gateway (stub) not the bottleneck — ${fixed(f)}× the baseline's throughput (goal ≥ ${GOALS.gatewayFactor}×)`,
    );
  } else lines.push(`SKIPPED: gateway ≥ 2× baseline — ${s.skipped ?? 'not measured'}`);
  if (s.proxyCreate?.rps && base) {
    const f = s.proxyCreate.rps.median / base;
    const noise = unsettled([
      ['baseline', s.baselineCreate],
      ['proxy', s.proxyCreate],
    ]);
    lines.push(
      `${verdict(f >= GOALS.proxyRatio, noise)}: order creation through the proxy — ${fixed(f)}× the baseline's throughput (goal ≥ ${GOALS.proxyRatio}×)${noise}`,
    );
  } else {
    lines.push(
      `SKIPPED: proxy ≥ 0.8× baseline — ${s.proxyCreate?.skipped ?? s.skipped ?? 'not measured'}`,
    );
  }
  const sqliteBase = s.baselineSqliteCreate?.rps?.median;
  if (s.proxyCreate?.rps && sqliteBase) {
    const f = s.proxyCreate.rps.median / sqliteBase;
    const noise = unsettled([
      ['SQLite baseline', s.baselineSqliteCreate],
      ['proxy', s.proxyCreate],
    ]);
    lines.push(
      `${verdict(f >= GOALS.proxySqliteRatio, noise)}: order creation through the proxy — ${fixed(f)}× the baseline storing the order in SQLite (goal ≥ ${GOALS.proxySqliteRatio}×)${noise}`,
    );
  }
  if (s.notifyProxy?.answered) {
    const n = s.notifyProxy.answered.median;
    const ok = n >= GOALS.notifyPerSecond && s.notifyProxy.badAnswers === 0;
    lines.push(
      `${ok ? 'MET' : 'NOT MET'}: notify ingestion on SQLite — ${int(n)} verified and committed notifications/s (30% duplicates; ${int(s.notifyProxy.committed.median)}/s first notifications), ${fixed(n / GOALS.notifyPerSecond)}× the goal of ${int(GOALS.notifyPerSecond)}/s, p99 ${fixed(s.notifyProxy.p99.median, 0)} ms` +
        (s.notifyProxy.badAnswers
          ? `; ${s.notifyProxy.badAnswers} answers were not "success"`
          : '') +
        (s.notifyProxyFull?.answered
          ? ` (with an fsync per commit, SQLITE_SYNCHRONOUS=FULL: ${int(s.notifyProxyFull.answered.median)}/s, p99 ${fixed(s.notifyProxyFull.p99.median, 0)} ms)`
          : ''),
    );
  } else {
    lines.push(
      `SKIPPED: notify ≥ ${int(GOALS.notifyPerSecond)}/s — ${s.proxyCreate?.skipped ?? s.skipped ?? 'not measured'}`,
    );
  }
  const pg = s.store?.notify;
  if (pg?.answered) {
    const n = pg.answered.median;
    const ok = n >= GOALS.notifyPostgresPerSecond && pg.badAnswers === 0;
    lines.push(
      `${ok ? 'MET' : 'NOT MET'}: notify ingestion on Postgres (fsync on) — ${int(n)} committed notifications/s (30% duplicates), ${fixed(n / GOALS.notifyPostgresPerSecond)}× the goal of ${int(GOALS.notifyPostgresPerSecond)}/s, p99 ${fixed(pg.p99.median, 0)} ms`,
    );
  } else {
    lines.push(
      `SKIPPED: notify on Postgres ≥ ${int(GOALS.notifyPostgresPerSecond)}/s — ${s.store?.skipped ?? 'not measured'}`,
    );
  }
  const b = r.bundle?.rows;
  if (b?.scriptTag?.gzip && b.floorIife?.gzip) {
    const above = b.scriptTag.gzip - b.floorIife.gzip;
    const goal = GOALS.elementsAboveFloorGzip;
    lines.push(
      `${above <= goal ? 'MET' : 'NOT MET'}: both elements' own code above the Lit floor — ${int(above)} B gzip in the script-tag bundle (${int(b.scriptTag.brotli - b.floorIife.brotli)} B brotli; goal ≤ ${int(goal)} B gzip)`,
    );
  } else {
    lines.push(
      `SKIPPED: both elements above the Lit floor — ${r.bundle?.skipped ?? 'not measured'}`,
    );
  }
  return lines;
}

const cpu = (x) =>
  x?.cpuPerRequest?.length
    ? x.cpuPerRequest.map((v) => (Number.isFinite(v) ? Math.round(v) : '–')).join(' / ')
    : '';

function loadRow(name, x, base) {
  if (!x || skipped(x)) return [name, `skipped: ${x?.skipped ?? 'not measured'}`, '', '', '', ''];
  return [
    name,
    intSpread(x.rps),
    msSpread(x.p50),
    msSpread(x.p99),
    base ? `${fixed(x.rps.median / base)}×` : '',
    cpu(x),
  ];
}

/** How much of one core the stub used while each server was loaded. */
function gatewayShare(s) {
  const share = (x) =>
    x?.cpuPerRequest?.[1] && x.rps
      ? `${Math.round((x.cpuPerRequest[1] * x.rps.median) / 1e4)}%`
      : null;
  const b = share(s.baselineCreate);
  const p = share(s.proxyCreate);
  return b || p
    ? `While loaded through the baseline the stub used ${b ?? '–'} of one core, through the proxy ${p ?? '–'}. `
    : '';
}

function serversSection(s, load) {
  if (!s || skipped(s)) return `Skipped: ${s?.skipped ?? 'not measured'}.\n`;
  const base = s.baselineCreate?.rps?.median;
  const out = [];
  out.push('## 1. Order creation (`POST /orders`, SQLite store)\n');
  out.push(
    table(
      [
        'server',
        'req/s, median (min–max)',
        'p50 ms',
        'p99 ms',
        'vs baseline',
        'CPU µs per request: server / gateway',
      ],
      [
        loadRow('gateway stub, direct (`POST /api/online/create`)', s.stub, base),
        loadRow('sandbox, direct (`POST /api/online/create`), for information', s.sandbox, base),
        loadRow('**baseline**: bare `node:http` + protocol, no store', s.baselineCreate, base),
        loadRow(
          '**baseline + SQLite**: the same + the order in SQLite (better-sqlite3, 2 commits)',
          s.baselineSqliteCreate,
          base,
        ),
        loadRow('**proxy** (`@scanforpay/server` CLI, SQLite)', s.proxyCreate, base),
      ],
    ),
  );
  out.push(
    `\nBoth servers call the gateway stub (\`bench/gateway-stub.mjs\`): it checks each request's signature over the exact envelope and answers a signed create response (measured directly with one repeated pre-signed request). ` +
      gatewayShare(s) +
      (s.sandbox?.rps && base
        ? `The sandbox reached ${fixed(s.sandbox.rps.median / base)}× the baseline, ${s.sandbox.rps.median / base >= GOALS.gatewayFactor ? 'enough to be the gateway, but the stub is used throughout so that figure 2 sees exactly the orders it created' : 'below 2×, so it would be the bottleneck: the stub stands in for it'}.`
        : ''),
  );

  const pc = s.proxyCreate?.cpuPerRequest?.[0];
  const bc = s.baselineCreate?.cpuPerRequest?.[0];
  if (pc && bc && s.proxyCreate.rps) {
    const cores = (pc * s.proxyCreate.rps.median) / 1e6;
    out.push(
      `\nEach server is one Node process, so its throughput is about one core divided by its CPU time per request: the proxy used ${Math.round(pc)} µs per order (${fixed(cores, 2)} cores at its median rate), the baseline ${Math.round(bc)} µs, a ratio of ${fixed(bc / pc)}. \`node bench/profile-proxy.mjs\` profiles both under these loads and shows where the time goes. The baseline, the baseline + SQLite and the proxy were loaded round by round (one round each, then the next), so a change of the machine's speed during the run weighs on the three alike and their ratios are measured side by side.`,
    );
  }

  const sb = s.baselineSqliteCreate;
  if (sb?.rps && s.proxyCreate?.rps) {
    out.push(
      `\nThe **baseline + SQLite** does the durable part of creation as the proxy does it and nothing else: better-sqlite3 on the proxy's own schema (its migrations: the same indexes), WAL with \`synchronous=NORMAL\`, the pending order inserted and committed before the gateway call and its payUrl written and committed before the answer, with the proxy's two statements prepared once (one commit per statement, no group commit). Against it the proxy reached ${fixed(s.proxyCreate.rps.median / sb.rps.median)}× (goal ≥ ${GOALS.proxySqliteRatio}×); the store alone took the bare baseline to ${fixed(sb.rps.median / base)}×.`,
    );
  }

  out.push('\n## 2. Notify ingestion (`POST /notify`, 30% exact duplicates)\n');
  const n = (name, x, store) =>
    !x || skipped(x)
      ? [name, `skipped: ${x?.skipped ?? 'not measured'}`, '', '', '', '', '']
      : [
          name,
          intSpread(x.answered),
          store ? intSpread(x.committed) : 'n/a (no store)',
          store ? intSpread(x.duplicates) : 'n/a',
          msSpread(x.p50),
          msSpread(x.p99),
          cpu(x),
        ];
  out.push(
    table(
      [
        'server',
        'notifications answered `success`/s (all)',
        'of which first notifications/s',
        'duplicates answered/s',
        'p50 ms',
        'p99 ms',
        'CPU µs per request',
      ],
      [
        n('**baseline**: verification only, no store', s.notifyBaseline, false),
        n('**proxy** (SQLite, committed before `success`)', s.notifyProxy, true),
        n(
          'proxy, `SQLITE_SYNCHRONOUS=FULL` (fsync per commit), for information',
          s.notifyProxyFull,
          true,
        ),
      ],
    ),
  );
  if (s.notifyProxy && !skipped(s.notifyProxy)) {
    out.push(
      `\nThe proxy verifies every notification and commits a record of it (and, for a first one, the order's transition to paid) before it answers \`success\`; the first column is the goal's figure. Its default \`synchronous=NORMAL\` (WAL) commit survives a crash of the process; the \`FULL\` row, run on orders not notified before, fsyncs every commit and so survives a power loss too. Notifications were signed in advance for ${int(s.notifyOrders)} orders created through the proxy in figure 1. ` +
        `Answers other than exactly \`success\`: proxy ${int(s.notifyProxy.badAnswers)}, baseline ${int(s.notifyBaseline.badAnswers)}. ` +
        (s.notifyProxy.reused
          ? `The fresh orders ran out: ${int(s.notifyProxy.reused)} notifications were resends counted as duplicates.`
          : 'Every first notification was for a distinct, unpaid order.'),
    );
  }

  out.push('\n## 3. Store throughput: SQLite vs Postgres\n');
  if (!s.store || skipped(s.store)) {
    out.push(`Skipped: ${s.store?.skipped ?? 'not measured'}.`);
  } else {
    out.push(
      table(
        [
          'store',
          'create req/s',
          'create p99 ms',
          'notifications committed/s (all)',
          'notify p99 ms',
        ],
        [
          [
            'SQLite (figures 1-2)',
            intSpread(s.proxyCreate?.rps),
            msSpread(s.proxyCreate?.p99),
            intSpread(s.notifyProxy?.answered),
            msSpread(s.notifyProxy?.p99),
          ],
          [
            'Postgres 15 (fsync on, loopback TCP)',
            intSpread(s.store.create?.rps),
            msSpread(s.store.create?.p99),
            intSpread(s.store.notify?.answered),
            msSpread(s.store.notify?.p99),
          ],
        ],
      ),
    );
  }
  out.push(
    `\nLoad: autocannon in its own process, ${load.connections} connections, pipelining 1, ${load.warmupSeconds} s warm-up, then ${load.rounds} rounds × ${load.roundSeconds} s; median of the rounds with (min–max). Throughput counts 2xx answers only. CPU µs per request: user + system time of the process (from /proc) over warm-up and rounds, divided by the requests answered. The proxy runs through its CLI with every middleware that ships on by default (secure headers, CORS, origin guard, the rate limiter with \`RATE_LIMIT=1000000\` so that it counts every request but never refuses one from the single loopback client, a request line per request at \`LOG_LEVEL=info\` to stdout, read by the bench) and its default SQLite settings (WAL, \`synchronous=NORMAL\`: a commit survives a crash of the process; the last ones may be lost on power loss).`,
  );
  return out.join('\n') + '\n';
}

function bundleSection(b) {
  const out = ['## 4. Bundle sizes\n'];
  if (!b || skipped(b)) return out.concat(`Skipped: ${b?.skipped ?? 'not measured'}.\n`).join('\n');
  const r = b.rows;
  const line = (name, x, floor) => [
    name,
    int(x.raw),
    int(x.gzip),
    int(x.brotli),
    // Issue 18's goal is in gzip (4,000 B); brotli is what current browsers get.
    floor ? `+${int(x.gzip - floor.gzip)} B gzip, +${int(x.brotli - floor.brotli)} B brotli` : '',
  ];
  out.push(
    table(
      ['artifact', 'raw B', 'gzip -9 B', 'brotli B', 'above the Lit floor'],
      [
        line('Lit runtime alone + trivial element, IIFE (floor)', r.floorIife),
        line('`scanforpay-button.js` (script tag, IIFE, Lit inside)', r.scriptTag, r.floorIife),
        line('Lit runtime alone + trivial element, ESM (floor)', r.floorEsm),
        line('element-only ESM, minified (`define.js` bundled, Lit external)', r.elementMin),
        line(
          `element-only ESM as shipped in dist/ (${b.shippedFiles.map((f) => `\`${f}\``).join(' + ')}, not minified)`,
          r.elementShipped,
        ),
      ],
    ),
  );
  if (Array.isArray(b.wire)) {
    out.push(
      '\nOn the wire — what a shopper downloads: `GET /scanforpay-button.js` from the proxy (its CLI, as built), by `Accept-Encoding`:\n',
      table(
        ['Accept-Encoding', 'Content-Encoding', 'headers B', 'body B', 'total B'],
        b.wire.map((w) => [
          `\`${w.accept}\``,
          w.encoding,
          int(w.head),
          int(w.body),
          int(w.head + w.body),
        ]),
      ),
    );
  } else if (b.wire?.skipped) out.push(`\nOn the wire: skipped, ${b.wire.skipped}.`);
  out.push(
    `\nLit ${b.litVersion}. The floors are built like the script-tag bundle (vite, es2022, minified, same format). The element-only ESM rows have Lit external, so a page using them also ships the ESM floor (or its own Lit).`,
  );
  return out.join('\n') + '\n';
}

function clickSection(c) {
  const out = ['## 5. Click to redirect and to the cashier painted (headless Chromium)\n'];
  if (!c || skipped(c)) return out.concat(`Skipped: ${c?.skipped ?? 'not measured'}.\n`).join('\n');
  out.push(
    table(
      ['measure', 'median ms', 'p95 ms', 'min ms', 'max ms', 'clicks'],
      [
        [
          'click → navigation to `payUrl` starts',
          fixed(c.median, 1),
          fixed(c.p95, 1),
          fixed(c.min, 1),
          fixed(c.max, 1),
          String(c.n),
        ],
        ...(c.painted
          ? [
              [
                'click → cashier page painted (first contentful paint)',
                fixed(c.painted.median, 1),
                fixed(c.painted.p95, 1),
                fixed(c.painted.min, 1),
                fixed(c.painted.max, 1),
                String(c.n),
              ],
            ]
          : []),
      ],
    ),
  );
  out.push(`\n${c.method}`);
  return out.join('\n') + '\n';
}

export function renderReport(r) {
  const m = r.machine;
  const busy = m.loadavg[0] > 0.5 * m.cores;
  return `# Benchmarks

Written by \`pnpm bench\` (\`node bench/run.mjs\`, source in [bench/](bench/)) on ${r.date}; the run took ${Math.round(r.seconds)} s.

| machine | |
| --- | --- |
| CPU | ${m.cpu} |
| cores | ${m.cores} |
| memory | ${fixed(m.memoryGiB, 1)} GiB |
| Node | ${m.node} |
| OS | ${m.os} |
| load average at start (1/5/15 min) | ${m.loadavg.map((x) => fixed(x)).join(' / ')}${busy ? ' — the machine was busy with other work, so figures are noisy' : ''} |
| load average at the end, this run included | ${m.loadavgEnd ? m.loadavgEnd.map((x) => fixed(x)).join(' / ') : '–'} |

Everything runs on this one machine: load generator, proxy or baseline, and gateway are separate processes sharing its ${m.cores} cores, all bound to 127.0.0.1.

## Verdicts

${verdicts(r)
  .map((l) => `- ${l}`)
  .join('\n')}

${serversSection(r.servers, r.load)}
${bundleSection(r.bundle)}
${clickSection(r.click)}`;
}
