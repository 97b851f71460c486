import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Catalog } from '../catalog/parse-catalog.js';
import { DEFAULTS } from '../config/defaults.js';
import {
  ConfigError,
  parseCatalogJson,
  parseEnv,
  parseListenAddress,
  parseNodeLimits,
  parseSqliteSynchronous,
  type ProxyEnvironment,
} from '../config/parse-env.js';
import { ConfigProblems } from '../config/config-error.js';
import { parseDatabaseUrl } from '../config/parse-database-url.js';
import { parseTelemetryEnv } from '../config/parse-telemetry-env.js';
import type { StartProxyOptions } from './start-proxy.js';

export { ConfigError, type ProxyEnvironment };

export interface LoadConfigOptions {
  /** Resolves relative `CATALOG` and `DATABASE_URL` paths. Default `process.cwd()`. */
  cwd?: string;
}

/**
 * The Node entry's options plus what start-up needs, all from the environment. Exactly one of
 * `databasePath` (SQLite) and `postgresUrl` is set.
 */
export type ProxyConfig = StartProxyOptions & Required<Pick<StartProxyOptions, 'port' | 'host'>>;

/**
 * Reads the environment variables of DESIGN.md §5 (and a few more, see the README) into
 * options for `startProxy`: the platform-neutral ones through `parseEnv`, plus the catalog
 * file, the database and the listen address. Throws one `ConfigError` naming every missing or
 * invalid variable (a line each); never echoes a secret's value.
 */
export function loadConfig(env: ProxyEnvironment, options: LoadConfigOptions = {}): ProxyConfig {
  const cwd = options.cwd ?? process.cwd();
  const problems = new ConfigProblems();
  const listen = problems.read(() => parseListenAddress(env));
  // With PORT=0 the default is left to startProxy, which knows the port it got.
  const common = problems.read(() =>
    parseEnv(env, !listen?.port ? {} : { defaultPublicUrl: `http://localhost:${listen.port}` }),
  );
  const tokensEnabled = env.CHECKOUT_TOKEN_SECRET?.trim() ? true : false;
  const catalog = problems.read(() =>
    loadCatalog(env.CATALOG?.trim() || undefined, cwd, tokensEnabled),
  );
  const database = problems.read(() => parseDatabaseUrl(env));
  const synchronous = problems.read(() => parseSqliteSynchronous(env.SQLITE_SYNCHRONOUS));
  const limits = problems.read(() => parseNodeLimits(env));
  const telemetry = problems.read(() => parseTelemetryEnv(env));
  problems.check();
  // Every reader succeeded: none of these is undefined any more.
  const { port, host } = listen!;

  return {
    ...common!,
    ...(catalog ? { catalog } : {}),
    ...(database!.kind === 'postgres'
      ? { postgresUrl: database!.url }
      : { databasePath: sqlitePath(database!.path, cwd) }),
    ...(synchronous ? { sqliteSynchronous: synchronous } : {}),
    ...limits,
    ...telemetry,
    port,
    host,
  };
}

function loadCatalog(
  configured: string | undefined,
  cwd: string,
  tokensEnabled: boolean,
): Catalog | undefined {
  const path = resolve(cwd, configured ?? DEFAULTS.catalogPath);
  if (!existsSync(path)) {
    // Without a catalog only checkout tokens can price orders.
    if (configured === undefined && tokensEnabled) return undefined;
    throw new ConfigError('CATALOG', `${configured ?? DEFAULTS.catalogPath} does not exist`);
  }
  return parseCatalogJson(readFileSync(path, 'utf8'), path);
}

function sqlitePath(path: string, cwd: string): string {
  if (path === ':memory:') return path;
  return isAbsolute(path) ? path : resolve(cwd, path);
}
