/**
 * `@scanforpay/server/workers`: the proxy as a Cloudflare Worker. Configuration comes from the
 * Worker's vars and secrets (the same names as the Node CLI's environment variables), orders
 * live in the D1 database bound as `DB`, and a Cron Trigger runs the background work.
 * Web-standard only: Web Crypto for hashing, the global `fetch` to reach ScanForPay.
 */
import type { ExecutionContext } from 'hono';
import {
  source as buttonSource,
  version as buttonVersion,
} from '@scanforpay/button/scanforpay-button.source.js';
import { ConfigProblems } from './config/config-error.js';
import { ConfigError, parseCatalogJson, parseEnv } from './config/parse-env.js';
import { createProxy, type ScanForPayProxy } from './create-proxy.js';
import { createLogger } from './logging/create-logger.js';
import { PROBLEM_CONTENT_TYPE, ProblemError } from './problem.js';
import type { ProxyOptions } from './proxy-options.js';
import { createD1Store, type D1DatabaseLike } from './store/d1/create-d1-store.js';

export type { D1DatabaseLike } from './store/d1/create-d1-store.js';

/**
 * The Worker's bindings: string vars and secrets (`SCANFORPAY_PARTNER_NO`, `SCANFORPAY_SIGN_KEY`,
 * `PUBLIC_URL`, `RESULT_URL`, `CATALOG` as JSON text, …) and the D1 database `DB`.
 */
export interface WorkerEnv {
  DB?: D1DatabaseLike;
  [binding: string]: unknown;
}

/** The part of Cloudflare's `ScheduledController` the worker reads. */
export interface WorkerScheduledController {
  readonly cron: string;
  readonly scheduledTime: number;
}

/** Options that win over the bindings, for what only code can give (hooks, a custom store…). */
export type WorkerOverrides = Partial<ProxyOptions> | ((env: WorkerEnv) => Partial<ProxyOptions>);

/** A Workers module: `export default` it, or call its methods from your own handlers. */
export interface ScanForPayWorker {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response>;
  scheduled(controller: WorkerScheduledController, env: WorkerEnv, ctx: ExecutionContext): void;
}

type Proxy = ScanForPayProxy;
type Built = { proxy: Proxy } | { problem: string };

/** Bindings scrubbed from any start-up log line, whatever went wrong. */
const SECRET_BINDINGS = [
  'SCANFORPAY_SIGN_KEY',
  'CHECKOUT_TOKEN_SECRET',
  'MERCHANT_WEBHOOK_SECRET',
  'ADMIN_TOKEN',
];

/**
 * The Worker. The proxy is built on the first request of an isolate and reused while the
 * `env` object stays the same. Bad configuration answers every request with a 500 problem
 * whose `detail` is the one-line `ConfigError` message (never a secret), logged once.
 * `scheduled` (a Cron Trigger, e.g. every minute) delivers due merchant events and reconciles
 * pending orders.
 */
export function createWorker(overrides?: WorkerOverrides): ScanForPayWorker {
  let cached: { env: WorkerEnv; built: Built } | undefined;
  const proxyFor = (env: WorkerEnv): Built => {
    if (cached?.env !== env) cached = { env, built: build(env, overrides) };
    return cached.built;
  };

  return {
    fetch(request, env, ctx) {
      const built = proxyFor(env);
      if ('problem' in built) return configurationProblem(built.problem);
      return built.proxy.fetch(request, env, ctx);
    },
    scheduled(_controller, env, ctx) {
      const built = proxyFor(env);
      if ('problem' in built) return;
      ctx.waitUntil(built.proxy.runBackground());
    },
  };
}

function build(env: WorkerEnv, overrides: WorkerOverrides | undefined): Built {
  const bindings: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string') bindings[name] = value;
  }
  let extra: Partial<ProxyOptions> = {};
  try {
    extra = (typeof overrides === 'function' ? overrides(env) : overrides) ?? {};
    return { proxy: createProxy(workerOptions(bindings, env.DB, extra)) };
  } catch (error) {
    const logger = createLogger({
      write: extra.log ?? ((line) => console.error(line)),
      secrets: SECRET_BINDINGS.map((name) => bindings[name]),
    });
    if (error instanceof ConfigError) {
      logger.error('configuration error', { variable: error.variable, error: error.message });
      return { problem: error.message };
    }
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    logger.error('the proxy could not start', { error: `${name}: ${message}` });
    return { problem: 'the proxy could not start; see the worker logs' };
  }
}

function workerOptions(
  bindings: Readonly<Record<string, string>>,
  db: D1DatabaseLike | undefined,
  extra: Partial<ProxyOptions>,
): ProxyOptions {
  const problems = new ConfigProblems();
  const config = problems.read(() => parseEnv(bindings));
  const publicUrl = extra.publicUrl ?? config?.publicUrl;
  if (extra.publicUrl === undefined && !bindings.PUBLIC_URL?.trim()) {
    problems.add('PUBLIC_URL', "is required on Workers (this worker's public URL)");
  }
  const catalogText = bindings.CATALOG?.trim();
  const catalog =
    extra.catalog ?? (catalogText ? problems.read(() => parseCatalogJson(catalogText)) : undefined);
  const tokens = bindings.CHECKOUT_TOKEN_SECRET?.trim();
  if (catalog === undefined && !catalogText && !tokens && !extra.resolveOrder) {
    problems.add(
      'CATALOG',
      'is required on Workers: the catalog JSON itself (or set CHECKOUT_TOKEN_SECRET)',
    );
  }
  let store = extra.store;
  if (store === undefined) {
    if (!db || typeof db.prepare !== 'function') {
      problems.add('DB', 'bind a D1 database as DB (d1_databases in wrangler.jsonc)');
    } else {
      store = createD1Store(db);
    }
  }
  problems.check();
  return {
    ...config!,
    ...(catalog ? { catalog } : {}),
    // Cloudflare sets it at its edge; a client cannot forge it.
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
    // Cloudflare compresses responses at its edge (a body sent with Content-Encoding would be
    // encoded again without `encodeBody: 'manual'`): the button script leaves here as is.
    compress: () => Promise.resolve(undefined),
    // Every isolate counts the rate limit in the one D1 database, not in its own memory.
    sharedRateLimit: typeof store?.countHit === 'function',
    // The button's bundle travels inside the Worker: the same bytes as on Node.
    buttonScript: buttonSource,
    buttonVersion,
    // A Cron Trigger's payQuery checks and webhook deliveries share its subrequest limit.
    reconcileMaxPerPass: 500,
    ...extra,
    publicUrl: publicUrl!,
    store: store!,
  };
}

function configurationProblem(detail: string): Response {
  return new Response(JSON.stringify(new ProblemError('internal_error', detail).toBody()), {
    status: 500,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
  });
}

/** The Worker configured from its bindings alone: `export { default } from '@scanforpay/server/workers'`. */
export default createWorker();
