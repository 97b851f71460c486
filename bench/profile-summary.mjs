// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): where the time goes, by package and by
// function (self and inclusive), as percentages of the samples.
//   node bench/profile-summary.mjs <file.cpuprofile> [top=25] [requests served]
import { readdirSync, readFileSync } from 'node:fs';

/** Which code a frame belongs to, from its script URL. */
export function category(url) {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:internal/deps/')) return `node:internal/deps/${url.split('/')[3]}`;
  if (url.startsWith('node:internal/'))
    return `node:internal/${url.split('/')[1].replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) return url;
  const pnpm = /node_modules\/\.pnpm\/([^/]+)\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[2];
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const pkg = /packages\/([^/]+)\//.exec(url);
  if (pkg) return `@scanforpay/${pkg[1]}`;
  return url;
}

/**
 * @param {any} profile a parsed .cpuprofile
 * @param {number} [top]
 * @param {number} [requests] requests served while profiling: adds CPU µs per request
 */
/** The Postgres client's layer: its own frames, and the socket I/O they start (see `layers`). */
const POSTGRES = 'Postgres store (postgres.js: protocol, socket I/O)';
/** Frames of the socket I/O a Postgres write or read goes through, below postgres.js. */
const SOCKET_IO = /^node:(net|internal\/streams\/.*|internal\/stream_base_commons|events)$/;

/**
 * Layers of the proxy's request path. Each sample goes to the layer of the innermost frame on
 * its stack that matches one (so a socket write counts for whoever wrote, a valibot call for
 * validation wherever it came from).
 * @type {Array<[string, (fn: string, url: string) => boolean]>}
 */
const LAYERS = [
  ['GC', (fn) => fn === '(garbage collector)'],
  [
    'SQLite store (better-sqlite3, synchronous)',
    (fn, url) => /better-sqlite3|store\/sqlite/.test(url),
  ],
  [POSTGRES, (fn, url) => /\/postgres\/src\/|store\/postgres/.test(url)],
  [
    'random bytes (crypto.getRandomValues / randomUUID)',
    (fn) => /^(getRandomValues|randomFillSync|randomUUID|secureBuffer)$/.test(fn),
  ],
  ['valibot validation', (fn, url) => url.includes('/valibot/')],
  [
    'protocol: sign / verify / JSON',
    (fn, url) =>
      /protocol\/dist\/(sign|open-signed|encode-json|json-scanner|hash|notification)\.js/.test(
        url,
      ) || fn === 'nodeSha256',
  ],
  [
    'gateway call (node:http client, keep-alive agent)',
    (fn, url) =>
      /protocol\/dist\/(node|client)\.js/.test(url) || /^node:_http_(client|agent)$/.test(url),
  ],
  [
    'request adapter: node-server → Web Request + body stream',
    (fn, url) =>
      url.includes('@hono/node-server') &&
      /Request|request|body|Body|pull|newHeaders|getRequestCache|readBody/.test(fn),
  ],
  [
    'response adapter: Web Response → node:http',
    (fn, url) =>
      url.includes('@hono/node-server') && /respon|Response|buildOutgoing|writeFrom/.test(fn),
  ],
  ['hono middleware: secureHeaders', (fn, url) => url.includes('secure-headers')],
  ['hono middleware: cors', (fn, url) => url.includes('middleware/cors')],
  ['hono middleware: requestId', (fn, url) => url.includes('request-id')],
  ['hono middleware: bodyLimit', (fn, url) => url.includes('body-limit')],
  [
    'proxy middleware (requestLog, originGuard, rateLimit)',
    (fn, url) => /server\/dist\/middleware\//.test(url),
  ],
  [
    'proxy routes and order logic',
    (fn, url) =>
      /server\/dist\/(routes|orders|catalog|proxy-runtime|problem|create-proxy)/.test(url),
  ],
  ['hono router / context', (fn, url) => url.includes('/hono/dist/')],
  ['@hono/node-server (other)', (fn, url) => url.includes('@hono/node-server')],
  [
    'node:http server (parse, socket I/O)',
    (fn, url) => /^node:(_http_server|_http_common|_http_incoming|_http_outgoing|net)$/.test(url),
  ],
];

/** Busy time per layer (see LAYERS), sorted. */
export function layers(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const pgMemo = new Map();
  /** Whether a frame runs inside the Postgres client, through socket I/O frames only. */
  const underPostgres = (id) => {
    if (pgMemo.has(id)) return pgMemo.get(id);
    const up = parent.get(id);
    let result = false;
    if (up !== undefined) {
      const { url } = byId.get(up).callFrame;
      result =
        /\/postgres\/src\//.test(url ?? '') || ((!url || SOCKET_IO.test(url)) && underPostgres(up));
    }
    pgMemo.set(id, result);
    return result;
  };
  const memo = new Map();
  const layerOf = (id) => {
    if (memo.has(id)) return memo.get(id);
    const { functionName: fn, url } = byId.get(id).callFrame;
    let layer = LAYERS.find(([, test]) => test(fn, url ?? ''))?.[0];
    // A socket write (or the read it answers) started by postgres.js is the store's, not HTTP's.
    if ((!layer || SOCKET_IO.test(url ?? '')) && underPostgres(id)) layer = POSTGRES;
    if (!layer) {
      const up = parent.get(id);
      layer = up === undefined ? 'other (event loop, microtasks, native)' : layerOf(up);
    }
    memo.set(id, layer);
    return layer;
  };
  const totals = new Map();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const fn = byId.get(id).callFrame.functionName;
    if (fn === '(idle)') return;
    const dt = profile.timeDeltas[i] ?? 0;
    busy += dt;
    const layer = layerOf(id);
    totals.set(layer, (totals.get(layer) ?? 0) + dt);
  });
  return { busy, layers: [...totals.entries()].sort((a, b) => b[1] - a[1]) };
}

export function summarize(profile, top = 25, requests = 0) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const inclusive = new Map();
  const cats = new Map();
  let total = 0;
  let idle = 0;
  const key = (n) => {
    const f = n.callFrame;
    const file = f.url
      ? f.url.replace(/^.*\/(node_modules\/\.pnpm\/[^/]+\/node_modules\/|packages\/)/, '')
      : '';
    return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
  };
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    total += dt;
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') {
      if (name === '(idle)') idle += dt;
    }
    const k = key(node);
    self.set(k, (self.get(k) ?? 0) + dt);
    const c = name === '(garbage collector)' ? '(garbage collector)' : category(node.callFrame.url);
    cats.set(c, (cats.get(c) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(byId.get(cur));
      if (seen.has(kk)) continue;
      seen.add(kk);
      inclusive.set(kk, (inclusive.get(kk) ?? 0) + dt);
    }
  });
  const busy = total - idle;
  const perRequest = (x) => (requests ? ` ${(x / requests).toFixed(1).padStart(6)} µs/req` : '');
  const pct = (x) => `${((100 * x) / busy).toFixed(1).padStart(5)}%${perRequest(x)}`;
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  const lines = [];
  lines.push(
    `busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled (idle excluded from the %)` +
      (requests
        ? `; ${requests} requests: ${(busy / requests).toFixed(1)} µs of CPU per request`
        : ''),
  );
  lines.push('\nby layer of the request path (innermost matching frame):');
  for (const [k, v] of layers(profile).layers) lines.push(`  ${pct(v).padStart(6)}  ${k}`);
  lines.push('\nby package (self time):');
  for (const [k, v] of sorted(cats).filter(([k]) => k !== '(native / V8)' || true)) {
    if (k === '(native / V8)' && v === idle) continue;
    lines.push(`  ${pct(k === '(native / V8)' ? v - idle : v).padStart(6)}  ${k}`);
  }
  lines.push('\ntop functions, self time:');
  for (const [k, v] of sorted(self)
    .filter(([k]) => !k.startsWith('(idle)'))
    .slice(0, top))
    lines.push(`  ${pct(v).padStart(6)}  ${k}`);
  lines.push('\ntop functions, inclusive time:');
  for (const [k, v] of sorted(inclusive)
    .filter(([k]) => !/^\((root|idle|program)\)/.test(k))
    .slice(0, top))
    lines.push(`  ${pct(v).padStart(6)}  ${k}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(
    summarize(
      JSON.parse(readFileSync(file, 'utf8')),
      Number(process.argv[3] ?? 25),
      Number(process.argv[4] ?? 0),
    ),
  );
}

/**
 * The `.cpuprofile` files `node --cpu-prof --cpu-prof-dir=dir` wrote, one a thread
 * (CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile): the main thread's (thread 0) and the others
 * (a SQLite checkpoint worker, …).
 */
export function threadProfiles(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => f.split('.').at(-3) === '0');
  return { main, others: files.filter((f) => f !== main) };
}

/** A profile's sampled time outside `(idle)`, in µs. */
export function busyMicros(profile) {
  const idle = new Set(
    profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id),
  );
  return profile.samples.reduce((t, id, i) => (idle.has(id) ? t : t + profile.timeDeltas[i]), 0);
}
