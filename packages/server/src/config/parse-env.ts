import { PRODUCTION_API_URL } from '@scanforpay/protocol';
import { CatalogError, parseCatalog, type Catalog } from '../catalog/parse-catalog.js';
import type { LogLevel } from '../logging/create-logger.js';
import type { ProxyOptions } from '../proxy-options.js';
import { adminTokenProblem, checkoutTokenSecretProblem, webhookSecretProblem } from './checks.js';
import { ConfigError } from './config-error.js';
import { DEFAULTS } from './defaults.js';
import {
  atMost,
  checkedBy,
  hosts,
  httpUrl,
  InvalidValue,
  oneOf,
  origins,
  reconcileDelay,
  timeoutRule,
  trustProxy,
  wholeNumber,
} from './env-values.js';
import { envValue, readEnvTable, type EnvTable, type ProxyEnvironment } from './read-env-table.js';

export { ConfigError, type ProxyEnvironment };

/** The proxy options that come from the environment on every platform. */
export type EnvProxyOptions = Pick<
  ProxyOptions,
  | 'credentials'
  | 'gatewayUrl'
  | 'resultUrl'
  | 'allowedOrigins'
  | 'checkoutTokenSecret'
  | 'payUrlHosts'
  | 'logLevel'
  | 'orderTimeout'
  | 'rateLimit'
  | 'trustProxy'
  | 'webhook'
  | 'adminToken'
  | 'reconcileAfterMs'
> &
  Required<Pick<ProxyOptions, 'gatewayUrl' | 'orderTimeout' | 'rateLimit' | 'trustProxy'>> & {
    /** Absent when `PUBLIC_URL` is unset and no default was given. */
    publicUrl?: string;
  };

export interface ParseEnvOptions {
  /** Used when `PUBLIC_URL` is unset (the Node entry: `http://localhost:$PORT`). */
  defaultPublicUrl?: string;
}

type ProxyOptionPath =
  | Exclude<keyof EnvProxyOptions, 'credentials' | 'webhook'>
  | `credentials.${keyof ProxyOptions['credentials']}`
  | `webhook.${'url' | 'secret' | 'timeoutMs'}`;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** The platform-neutral variables, in the order they are checked (the README lists them all). */
export const PROXY_VARIABLES: EnvTable<ProxyOptionPath> = {
  SCANFORPAY_PARTNER_NO: {
    option: 'credentials.partnerNo',
    doc: 'partner number',
    required: true,
    read: atMost(15),
  },
  SCANFORPAY_STORE_NO: {
    option: 'credentials.storeNo',
    doc: 'store number',
    required: true,
    read: atMost(15),
  },
  SCANFORPAY_SIGN_KEY: {
    option: 'credentials.signKey',
    doc: 'sign key',
    required: true,
    read: checkedBy((key) => (key.length < 8 ? 'is too short to be a real sign key' : undefined)),
  },
  SCANFORPAY_API_URL: {
    option: 'gatewayUrl',
    doc: 'gateway base URL',
    default: PRODUCTION_API_URL,
    read: httpUrl,
  },
  PUBLIC_URL: {
    option: 'publicUrl',
    doc: "the proxy's public URL",
    default: (context) => context.defaultPublicUrl,
    read: (raw) => {
      const url = httpUrl(raw).replace(/\/+$/, '');
      if (`${url}/notify`.length > 200) {
        throw new InvalidValue('too long for notifyUrl (200 characters)');
      }
      return url;
    },
  },
  RESULT_URL: { option: 'resultUrl', doc: 'the shop page', required: true, read: httpUrl },
  ALLOWED_ORIGINS: {
    option: 'allowedOrigins',
    doc: 'comma-separated storefront origins',
    required: 'in production',
    read: origins,
  },
  CHECKOUT_TOKEN_SECRET: {
    option: 'checkoutTokenSecret',
    doc: 'checkout tokens on',
    read: checkedBy(checkoutTokenSecretProblem),
  },
  RATE_LIMIT: {
    option: 'rateLimit',
    doc: 'orders per minute per client',
    default: String(DEFAULTS.rateLimit),
    read: wholeNumber(0, 1_000_000),
  },
  TRUST_PROXY: {
    option: 'trustProxy',
    doc: 'proxy hops',
    default: 'false',
    read: trustProxy,
  },
  ORDER_TIMEOUT: {
    option: 'orderTimeout',
    doc: 'timeoutRule of new orders',
    default: DEFAULTS.orderTimeout,
    read: timeoutRule,
  },
  PAY_URL_HOSTS: { option: 'payUrlHosts', doc: 'payUrl hosts', read: hosts },
  LOG_LEVEL: { option: 'logLevel', doc: 'least level logged', read: oneOf(LOG_LEVELS) },
  WEBHOOK_TIMEOUT_MS: {
    option: 'webhook.timeoutMs',
    doc: 'one webhook delivery',
    default: String(DEFAULTS.webhookTimeoutMs),
    read: wholeNumber(1000, 60_000),
  },
  MERCHANT_WEBHOOK_URL: {
    option: 'webhook.url',
    doc: 'merchant webhook endpoint',
    required: { with: 'MERCHANT_WEBHOOK_SECRET' },
    read: (raw, { production }) => {
      if (production && new URL(httpUrl(raw)).protocol !== 'https:') {
        throw new InvalidValue('must be https when NODE_ENV=production');
      }
      return httpUrl(raw);
    },
  },
  MERCHANT_WEBHOOK_SECRET: {
    option: 'webhook.secret',
    doc: 'Standard Webhooks secret',
    required: { with: 'MERCHANT_WEBHOOK_URL' },
    read: checkedBy((secret) => webhookSecretProblem(secret, 'scanforpay-proxy webhook-secret')),
  },
  ADMIN_TOKEN: { option: 'adminToken', doc: 'admin routes on', read: checkedBy(adminTokenProblem) },
  RECONCILE_AFTER: {
    option: 'reconcileAfterMs',
    doc: 'first payQuery of a pending order',
    read: reconcileDelay,
  },
};

/**
 * Reads the platform-neutral variables (`PROXY_VARIABLES`) into proxy options. Throws
 * `ConfigError` with one line naming the variable; never echoes a secret's value. `CATALOG`,
 * `DATABASE_URL`, `PORT` and `HOST` mean different things per platform and have their own
 * parsers below.
 */
export function parseEnv(env: ProxyEnvironment, options: ParseEnvOptions = {}): EnvProxyOptions {
  const parsed = readEnvTable(env, PROXY_VARIABLES, {
    production: env.NODE_ENV === 'production',
    ...options,
  }) as EnvProxyOptions;
  // WEBHOOK_TIMEOUT_MS is checked either way; the webhook exists only with its URL.
  if (parsed.webhook?.url === undefined) delete parsed.webhook;
  return parsed;
}

/** The Node entry's variables (listen address, store, connection caps); unset ones keep `startProxy`'s defaults. */
export const NODE_VARIABLES = {
  PORT: {
    option: 'port',
    doc: '0 picks a free port',
    default: String(DEFAULTS.port),
    read: wholeNumber(0, 65535),
  },
  HOST: { option: 'host', doc: 'listen address', default: DEFAULTS.host, read: String },
  SQLITE_BUSY_TIMEOUT_MS: {
    option: 'sqliteBusyTimeoutMs',
    doc: 'SQLite lock wait',
    read: wholeNumber(0, 60_000),
  },
  MAX_CONNECTIONS: {
    option: 'maxConnections',
    doc: 'open connections',
    read: wholeNumber(1, 1_000_000),
  },
  MAX_CONNECTIONS_PER_ADDRESS: {
    option: 'maxConnectionsPerAddress',
    doc: 'open connections per client address, 0 = no cap',
    read: wholeNumber(0, 1_000_000),
  },
} satisfies EnvTable;

/** `PORT` (default 8787, 0 = any free port) and `HOST` (default `127.0.0.1`). */
export function parseListenAddress(env: ProxyEnvironment): { port: number; host: string } {
  const { PORT, HOST } = NODE_VARIABLES;
  return readEnvTable(env, { PORT, HOST }) as { port: number; host: string };
}

/** The Node entry's store wait and connection caps; unset ones keep `startProxy`'s defaults. */
export interface NodeLimits {
  sqliteBusyTimeoutMs?: number;
  maxConnections?: number;
  maxConnectionsPerAddress?: number;
}

/** `SQLITE_BUSY_TIMEOUT_MS`, `MAX_CONNECTIONS`, `MAX_CONNECTIONS_PER_ADDRESS` (0 = no cap). */
export function parseNodeLimits(env: ProxyEnvironment): NodeLimits {
  const { PORT: _port, HOST: _host, ...limits } = NODE_VARIABLES;
  return readEnvTable(env, limits) as NodeLimits;
}

/** `SQLITE_SYNCHRONOUS`: `NORMAL` or `FULL`, any case. */
export function parseSqliteSynchronous(raw: string | undefined): 'NORMAL' | 'FULL' | undefined {
  const synchronous = raw?.trim().toUpperCase();
  if (synchronous === undefined || synchronous === '') return undefined;
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new ConfigError('SQLITE_SYNCHRONOUS', 'NORMAL or FULL');
  }
  return synchronous;
}

/** Where orders are kept, as `DATABASE_URL` says. */
export type DatabaseLocation =
  | { kind: 'sqlite'; /** As written: relative paths are the caller's to resolve. */ path: string }
  | { kind: 'postgres'; url: string };

/**
 * `DATABASE_URL` (default `file:./scanforpay.db`): `file:PATH` (or a bare path) is SQLite,
 * `postgres://` / `postgresql://` is Postgres. A Postgres URL must name a host and a database;
 * the message never repeats the URL, which may hold a password.
 */
export function parseDatabaseUrl(env: ProxyEnvironment): DatabaseLocation {
  const raw = envValue(env, 'DATABASE_URL') ?? `file:${DEFAULTS.databasePath}`;
  if (/^postgres(ql)?:\/\//i.test(raw)) return { kind: 'postgres', url: postgresUrl(raw) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError('DATABASE_URL', 'use file:PATH for SQLite or postgres://… for Postgres');
  }
  const path = raw.startsWith('file:') ? raw.slice('file:'.length) : raw;
  if (path === '') throw new ConfigError('DATABASE_URL', 'file: needs a path');
  return { kind: 'sqlite', path };
}

function postgresUrl(raw: string): string {
  const example = 'e.g. postgres://user:password@host:5432/scanforpay';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', `is not a valid Postgres URL (${example})`);
  }
  if (url.hostname === '') throw new ConfigError('DATABASE_URL', `names no host (${example})`);
  const database = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  if (database === '' || database.includes('/')) {
    throw new ConfigError('DATABASE_URL', `names no database (${example})`);
  }
  return raw;
}

/**
 * The catalog from its JSON text (`source` names where it came from, e.g. the file path, and
 * prefixes the message). Throws `ConfigError('CATALOG', …)` naming the bad field.
 */
export function parseCatalogJson(text: string, source?: string): Catalog {
  const where = source === undefined ? '' : `${source} `;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('CATALOG', `${where}is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseCatalog(json);
  } catch (error) {
    if (error instanceof CatalogError) {
      throw new ConfigError(
        'CATALOG',
        source === undefined ? error.message : `${source}: ${error.message}`,
      );
    }
    throw error;
  }
}
