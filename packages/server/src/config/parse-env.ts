import { PRODUCTION_API_URL } from '@scanforpay/protocol';
import { routesProblem, type RouteOverrides } from '../domain/checkout-context.js';
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
  retentionDays,
  timeoutRule,
  trustProxy,
  wholeNumber,
} from './env-values.js';
import { readEnvTable, type EnvTable, type ProxyEnvironment } from './read-env-table.js';

export { ConfigError, type ProxyEnvironment };
export { parseCatalogJson } from './parse-catalog-json.js';

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
  | 'routes'
  | 'merchantName'
  | 'retentionDays'
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
    doc: 'ScanForPay partner number, at most 15 characters',
    required: true,
    read: atMost(15),
  },
  SCANFORPAY_STORE_NO: {
    option: 'credentials.storeNo',
    doc: 'ScanForPay store number, at most 15 characters',
    required: true,
    read: atMost(15),
  },
  SCANFORPAY_SIGN_KEY: {
    option: 'credentials.signKey',
    doc: 'the SHA-256 signing key ScanForPay issued',
    required: true,
    read: checkedBy((key) => (key.length < 8 ? 'is too short to be a real sign key' : undefined)),
  },
  SCANFORPAY_API_URL: {
    option: 'gatewayUrl',
    doc: 'gateway base URL (the sandbox in development)',
    default: PRODUCTION_API_URL,
    read: httpUrl,
  },
  PUBLIC_URL: {
    option: 'publicUrl',
    doc: "the proxy's public base URL; notifyUrl and returnUrl hang off it",
    default: (context) => context.defaultPublicUrl,
    read: (raw) => {
      const url = httpUrl(raw).replace(/\/+$/, '');
      if (`${url}/notify`.length > 200) {
        throw new InvalidValue('too long for notifyUrl (200 characters)');
      }
      return url;
    },
  },
  RESULT_URL: {
    option: 'resultUrl',
    doc: "the shop's page a buyer returns to, with ?order=<id>",
    required: true,
    read: httpUrl,
  },
  ALLOWED_ORIGINS: {
    option: 'allowedOrigins',
    doc: 'comma-separated storefront origins',
    required: 'in production',
    read: origins,
  },
  CHECKOUT_TOKEN_SECRET: {
    option: 'checkoutTokenSecret',
    doc: 'turns checkout tokens on: their HMAC secret, at least 32 characters',
    read: checkedBy(checkoutTokenSecretProblem),
  },
  MERCHANT_NAME: {
    option: 'merchantName',
    doc: 'the shop name the hosted pay page shows (/pay/<item>)',
    read: atMost(80),
  },
  RATE_LIMIT: {
    option: 'rateLimit',
    doc: 'order creations per minute per client; 0 disables',
    default: String(DEFAULTS.rateLimit),
    read: wholeNumber(0, 1_000_000),
  },
  TRUST_PROXY: {
    option: 'trustProxy',
    doc: 'trust X-Forwarded-For: true (one hop) or the number of proxy hops',
    default: 'false',
    read: trustProxy,
  },
  ORDER_TIMEOUT: {
    option: 'orderTimeout',
    doc: 'timeoutRule of new orders: whole minutes, hours or days, up to 15d',
    default: DEFAULTS.orderTimeout,
    read: timeoutRule,
  },
  PAY_URL_HOSTS: {
    option: 'payUrlHosts',
    doc: 'comma-separated hosts a payUrl may point to',
    read: hosts,
  },
  LOG_LEVEL: {
    option: 'logLevel',
    doc: 'the least level logged',
    read: oneOf(LOG_LEVELS),
  },
  WEBHOOK_TIMEOUT_MS: {
    option: 'webhook.timeoutMs',
    doc: 'time one webhook delivery may take, in ms',
    default: String(DEFAULTS.webhookTimeoutMs),
    read: wholeNumber(1000, 60_000),
  },
  MERCHANT_WEBHOOK_URL: {
    option: 'webhook.url',
    doc: 'the merchant endpoint receiving signed events (https in production)',
    required: { with: 'MERCHANT_WEBHOOK_SECRET' },
    read: (raw, { production }) => {
      const url = httpUrl(raw);
      if (production && new URL(url).protocol !== 'https:') {
        throw new InvalidValue('must be https when NODE_ENV=production');
      }
      return url;
    },
  },
  MERCHANT_WEBHOOK_SECRET: {
    option: 'webhook.secret',
    doc: 'its Standard Webhooks secret, whsec_ + base64 of 24 to 64 bytes',
    required: { with: 'MERCHANT_WEBHOOK_URL' },
    read: checkedBy((secret) => webhookSecretProblem(secret, 'scanforpay-proxy webhook-secret')),
  },
  ADMIN_TOKEN: {
    option: 'adminToken',
    doc: 'turns /admin on: its bearer token, at least 32 characters',
    read: checkedBy(adminTokenProblem),
  },
  RECONCILE_AFTER: {
    option: 'reconcileAfterMs',
    doc: "delay of a pending order's first payQuery, 10s to 1h",
    read: reconcileDelay,
  },
  RETENTION_DAYS: {
    option: 'retentionDays',
    doc: 'days delivered events, verified notifications and idempotency keys are kept; 0 or off keeps them',
    default: String(DEFAULTS.retentionDays),
    read: retentionDays,
  },
  ROUTES: {
    option: 'routes',
    doc: 'routing overrides, e.g. Wechat/wechat=qrcode,Alipay/desktop=qrcode (README "Routing")',
    read: (raw) => {
      const routes: Record<string, string> = {};
      for (const entry of raw.split(',')) {
        const [key = '', value = ''] = entry.split('=').map((part) => part.trim());
        routes[key] = value;
      }
      const problem = routesProblem(routes);
      if (problem) throw new InvalidValue(problem);
      return routes as RouteOverrides;
    },
  },
};

/**
 * Reads the platform-neutral variables (`PROXY_VARIABLES`) into proxy options. Throws
 * `ConfigError` with one line naming the variable; never echoes a secret's value. `CATALOG`,
 * `DATABASE_URL`, `PORT` and `HOST` mean different things per platform and have their own
 * parsers (below, and `parseDatabaseUrl`).
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
    doc: 'the port listened on; 0 picks a free one',
    default: String(DEFAULTS.port),
    read: wholeNumber(0, 65535),
  },
  HOST: {
    option: 'host',
    doc: 'the address listened on',
    default: DEFAULTS.host,
    read: String,
  },
  SQLITE_BUSY_TIMEOUT_MS: {
    option: 'sqliteBusyTimeoutMs',
    doc: "how long a SQLite call waits for another connection's lock, in ms",
    read: wholeNumber(0, 60_000),
  },
  MAX_CONNECTIONS: {
    option: 'maxConnections',
    doc: 'open connections accepted',
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
