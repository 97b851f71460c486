// The load generator, run in its own process: autocannon at a fixed concurrency, a warm-up, then
// rounds. Reads its config from the JSON file named by argv[2]; prints one JSON line per round.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/**
 * @typedef {object} LoadConfig
 * @property {string} url               origin, e.g. http://127.0.0.1:1234
 * @property {string} path
 * @property {string} [method]
 * @property {Record<string,string>} [headers]
 * @property {string} [body]            a fixed body
 * @property {{module: string, options?: unknown}} [gen]  a body generator: default export
 *   `(options) => () => ({body, kind})`, called once per request, in order
 * @property {string} [expect]          an answer counts as good only if its body is exactly this
 * @property {string} [expectIncludes]  ... or includes this
 * @property {number} connections
 * @property {number} warmupSeconds
 * @property {number} rounds
 * @property {number} roundSeconds
 */

/** @type {LoadConfig} */
const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

let next = null;
if (config.gen) {
  const mod = await import(config.gen.module);
  next = await mod.default(config.gen.options);
}

/** @type {Record<string, {good: number, bad: number}>} */
let counts = {};
const checkBodies = config.expect !== undefined || config.expectIncludes !== undefined;

function count(kind, good) {
  const c = (counts[kind] ??= { good: 0, bad: 0 });
  if (good) c.good++;
  else c.bad++;
}

/** @type {Record<string, unknown>} */
const request = {
  method: config.method ?? 'GET',
  path: config.path,
  headers: config.headers ?? {},
};
if (config.body !== undefined) request.body = config.body;
if (next) {
  request.setupRequest = (req, context) => {
    const { body, kind } = next();
    context.kind = kind;
    return { ...req, body };
  };
}
if (checkBodies) {
  request.onResponse = (status, body, context) => {
    const good =
      status >= 200 &&
      status < 300 &&
      (config.expect !== undefined
        ? body === config.expect
        : String(body).includes(config.expectIncludes));
    count(context.kind ?? 'all', good);
  };
}

async function round(seconds) {
  counts = {};
  const t0 = performance.now();
  const result = await autocannon({
    url: config.url,
    connections: config.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [request],
  });
  const elapsed = (performance.now() - t0) / 1000;
  const ok = result['2xx'];
  return {
    seconds: elapsed,
    ok,
    rps: ok / elapsed,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
    counts: checkBodies ? counts : undefined,
  };
}

if (config.warmupSeconds > 0) {
  const warm = await round(config.warmupSeconds);
  process.stdout.write(JSON.stringify({ warmup: true, ...warm }) + '\n');
}
for (let i = 0; i < config.rounds; i++) {
  const r = await round(config.roundSeconds);
  process.stdout.write(JSON.stringify({ round: i + 1, ...r }) + '\n');
}
