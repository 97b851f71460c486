import { PRODUCTION_API_URL } from '@scanforpay/protocol';
import { CatalogError, parseCatalog, type Catalog } from '../catalog/parse-catalog.js';
import type { LogLevel } from '../logging/create-logger.js';
import type { ProxyOptions } from '../proxy-options.js';
import { parseTimeoutRule } from '../proxy-runtime.js';

/** Bad or missing configuration; the message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.variable = variable;
  }
}

/** Environment variables, or a Worker's string bindings. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

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

/** Where orders are kept, as `DATABASE_URL` says. */
export type DatabaseLocation =
  | { kind: 'sqlite'; /** As written: relative paths are the caller's to resolve. */ path: string }
  | { kind: 'postgres'; url: string };

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * Reads the platform-neutral variables (credentials, URLs, origins, limits, webhook, admin
 * token, reconciliation) into proxy options. Throws `ConfigError` with one line naming the
 * variable; never echoes a secret's value. `CATALOG`, `DATABASE_URL`, `PORT` and `HOST` mean
 * different things per platform and have their own parsers below.
 */
export function parseEnv(env: ProxyEnvironment, options: ParseEnvOptions = {}): EnvProxyOptions {
  const { value, required } = envReader(env);
  const production = env.NODE_ENV === 'production';

  const partnerNo = required('SCANFORPAY_PARTNER_NO');
  if (partnerNo.length > 15)
    throw new ConfigError('SCANFORPAY_PARTNER_NO', 'at most 15 characters');
  const storeNo = required('SCANFORPAY_STORE_NO');
  if (storeNo.length > 15) throw new ConfigError('SCANFORPAY_STORE_NO', 'at most 15 characters');
  const signKey = required('SCANFORPAY_SIGN_KEY');
  if (signKey.length < 8)
    throw new ConfigError('SCANFORPAY_SIGN_KEY', 'is too short to be a real sign key');

  const gatewayUrl = httpUrl(
    'SCANFORPAY_API_URL',
    value('SCANFORPAY_API_URL') ?? PRODUCTION_API_URL,
  );
  const configuredPublicUrl = value('PUBLIC_URL') ?? options.defaultPublicUrl;
  const publicUrl =
    configuredPublicUrl && httpUrl('PUBLIC_URL', configuredPublicUrl).replace(/\/+$/, '');
  if (publicUrl && `${publicUrl}/notify`.length > 200)
    throw new ConfigError('PUBLIC_URL', 'too long for notifyUrl (200 characters)');
  const resultUrl = httpUrl('RESULT_URL', required('RESULT_URL'));

  const origins = value('ALLOWED_ORIGINS');
  if (origins === undefined && production) {
    throw new ConfigError(
      'ALLOWED_ORIGINS',
      'is required when NODE_ENV=production (comma-separated storefront origins)',
    );
  }
  const allowedOrigins = origins?.split(',').map((origin) => originOf(origin.trim()));

  const checkoutTokenSecret = value('CHECKOUT_TOKEN_SECRET');
  if (checkoutTokenSecret !== undefined && checkoutTokenSecret.length < 32) {
    throw new ConfigError('CHECKOUT_TOKEN_SECRET', 'at least 32 characters');
  }
  const rateLimit = parseInteger('RATE_LIMIT', value('RATE_LIMIT') ?? '60', 0, 1_000_000);
  const trustProxy = parseTrustProxy(value('TRUST_PROXY'));

  const orderTimeout = value('ORDER_TIMEOUT') ?? '30m';
  try {
    parseTimeoutRule(orderTimeout);
  } catch (error) {
    throw new ConfigError('ORDER_TIMEOUT', (error as Error).message.replace(/^orderTimeout /, ''));
  }
  const payUrlHosts = value('PAY_URL_HOSTS')
    ?.split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const logLevel = value('LOG_LEVEL');
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`);
  }

  const webhook = parseWebhook(env, production);
  const adminToken = value('ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 32) {
    throw new ConfigError('ADMIN_TOKEN', 'at least 32 characters');
  }
  const reconcileAfter = value('RECONCILE_AFTER');
  const reconcileAfterMs =
    reconcileAfter === undefined ? undefined : parseReconcileAfter(reconcileAfter);

  return {
    credentials: { partnerNo, storeNo, signKey },
    gatewayUrl,
    ...(publicUrl ? { publicUrl } : {}),
    resultUrl,
    ...(allowedOrigins ? { allowedOrigins } : {}),
    ...(checkoutTokenSecret ? { checkoutTokenSecret } : {}),
    ...(payUrlHosts?.length ? { payUrlHosts } : {}),
    ...(logLevel ? { logLevel: logLevel as LogLevel } : {}),
    ...(webhook ? { webhook } : {}),
    ...(adminToken ? { adminToken } : {}),
    ...(reconcileAfterMs !== undefined ? { reconcileAfterMs } : {}),
    orderTimeout,
    rateLimit,
    trustProxy,
  };
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

/**
 * `file:PATH` (or a bare path) is SQLite, `postgres://` / `postgresql://` is Postgres. A
 * Postgres URL must name a host and a database; the message never repeats the URL, which
 * may hold a password.
 */
export function parseDatabaseUrl(raw: string): DatabaseLocation {
  if (/^postgres(ql)?:\/\//i.test(raw)) return { kind: 'postgres', url: postgresUrl(raw) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError('DATABASE_URL', 'use file:PATH for SQLite or postgres://… for Postgres');
  }
  const path = raw.startsWith('file:') ? raw.slice('file:'.length) : raw;
  if (path === '') throw new ConfigError('DATABASE_URL', 'file: needs a path');
  return { kind: 'sqlite', path };
}

/** `PORT` (default 8787, 0 = any free port) and `HOST` (default `127.0.0.1`). */
export function parseListenAddress(env: ProxyEnvironment): { port: number; host: string } {
  const { value } = envReader(env);
  return {
    port: parseInteger('PORT', value('PORT') ?? '8787', 0, 65535),
    host: value('HOST') ?? '127.0.0.1',
  };
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

/** The Node entry's store wait and connection caps; unset ones keep `startProxy`'s defaults. */
export interface NodeLimits {
  sqliteBusyTimeoutMs?: number;
  maxConnections?: number;
  maxConnectionsPerAddress?: number;
}

/** `SQLITE_BUSY_TIMEOUT_MS`, `MAX_CONNECTIONS`, `MAX_CONNECTIONS_PER_ADDRESS` (0 = no cap). */
export function parseNodeLimits(env: ProxyEnvironment): NodeLimits {
  const { value } = envReader(env);
  const limits: NodeLimits = {};
  const busy = value('SQLITE_BUSY_TIMEOUT_MS');
  if (busy !== undefined) {
    limits.sqliteBusyTimeoutMs = parseInteger('SQLITE_BUSY_TIMEOUT_MS', busy, 0, 60_000);
  }
  const max = value('MAX_CONNECTIONS');
  if (max !== undefined) limits.maxConnections = parseInteger('MAX_CONNECTIONS', max, 1, 1_000_000);
  const perAddress = value('MAX_CONNECTIONS_PER_ADDRESS');
  if (perAddress !== undefined) {
    limits.maxConnectionsPerAddress = parseInteger(
      'MAX_CONNECTIONS_PER_ADDRESS',
      perAddress,
      0,
      1_000_000,
    );
  }
  return limits;
}

/** Trimmed values, with empty strings read as unset. */
export function envReader(env: ProxyEnvironment): {
  value(name: string): string | undefined;
  required(name: string): string;
} {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };
  return {
    value,
    required(name) {
      const raw = value(name);
      if (raw === undefined) throw new ConfigError(name, 'is required');
      return raw;
    },
  };
}

function parseWebhook(env: ProxyEnvironment, production: boolean): EnvProxyOptions['webhook'] {
  const { value } = envReader(env);
  const url = value('MERCHANT_WEBHOOK_URL');
  const secret = value('MERCHANT_WEBHOOK_SECRET');
  const timeout = value('WEBHOOK_TIMEOUT_MS');
  const timeoutMs = parseInteger('WEBHOOK_TIMEOUT_MS', timeout ?? '10000', 1000, 60_000);
  if (url === undefined) {
    if (secret !== undefined) {
      throw new ConfigError(
        'MERCHANT_WEBHOOK_URL',
        'is required when MERCHANT_WEBHOOK_SECRET is set',
      );
    }
    return undefined;
  }
  const { protocol } = new URL(httpUrl('MERCHANT_WEBHOOK_URL', url));
  if (production && protocol !== 'https:') {
    throw new ConfigError('MERCHANT_WEBHOOK_URL', 'must be https when NODE_ENV=production');
  }
  if (secret === undefined) {
    throw new ConfigError(
      'MERCHANT_WEBHOOK_SECRET',
      'is required when MERCHANT_WEBHOOK_URL is set',
    );
  }
  if (!isWebhookSecret(secret)) {
    throw new ConfigError(
      'MERCHANT_WEBHOOK_SECRET',
      'must be whsec_ followed by the base64 of 24 to 64 random bytes',
    );
  }
  return { url, secret, timeoutMs };
}

function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return false;
  const base64 = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return false;
  let bytes: number;
  try {
    bytes = atob(base64).length;
  } catch {
    return false;
  }
  return bytes >= 24 && bytes <= 64;
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

const RECONCILE_UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

function parseReconcileAfter(raw: string): number {
  const problem = 'from 10s to 1h, e.g. 60s or 2m';
  const match = /^([0-9]+)([smh])$/.exec(raw);
  if (!match) throw new ConfigError('RECONCILE_AFTER', `"${raw}": ${problem}`);
  const ms = Number(match[1]) * RECONCILE_UNIT_MS[match[2] as keyof typeof RECONCILE_UNIT_MS];
  if (ms < 10_000 || ms > 3_600_000) {
    throw new ConfigError('RECONCILE_AFTER', `"${raw}": ${problem}`);
  }
  return ms;
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, 'must be an absolute http(s) URL');
  }
  return raw;
}

function originOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('ALLOWED_ORIGINS', `"${raw}" is not an origin like https://shop.example`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.origin !== raw.replace(/\/$/, '')
  ) {
    throw new ConfigError(
      'ALLOWED_ORIGINS',
      `"${raw}" is not an origin like https://shop.example (no path)`,
    );
  }
  return url.origin;
}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

function parseTrustProxy(raw: string | undefined): boolean | number {
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  return parseInteger('TRUST_PROXY', raw, 0, 10);
}
