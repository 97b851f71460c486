import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { PRODUCTION_API_URL } from '@scanforpay/protocol';
import { CatalogError, parseCatalog, type Catalog } from '../catalog/parse-catalog.js';
import type { LogLevel } from '../logging/create-logger.js';
import { parseTimeoutRule } from '../proxy-runtime.js';
import type { StartProxyOptions } from './start-proxy.js';

/** Bad or missing configuration; the message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.variable = variable;
  }
}

export interface LoadConfigOptions {
  /** Resolves relative `CATALOG` and `DATABASE_URL` paths. Default `process.cwd()`. */
  cwd?: string;
}

export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

/** The Node entry's options plus what start-up needs, all from the environment. */
export type ProxyConfig = StartProxyOptions &
  Required<Pick<StartProxyOptions, 'port' | 'host' | 'databasePath'>>;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Reads the environment variables of DESIGN.md §5 (and a few more, see the README) into
 * options for `startProxy`. Throws `ConfigError` with one line naming the variable; never
 * echoes a secret's value.
 */
export function loadConfig(env: ProxyEnvironment, options: LoadConfigOptions = {}): ProxyConfig {
  const cwd = options.cwd ?? process.cwd();
  const production = env.NODE_ENV === 'production';
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };
  const required = (name: string): string => {
    const raw = value(name);
    if (raw === undefined) throw new ConfigError(name, 'is required');
    return raw;
  };

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
  const port = integer('PORT', value('PORT') ?? '8787', 0, 65535);
  const host = value('HOST') ?? '127.0.0.1';
  // With PORT=0 the default is left to startProxy, which knows the port it got.
  const configuredPublicUrl =
    value('PUBLIC_URL') ?? (port === 0 ? undefined : `http://localhost:${port}`);
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
  const catalog = loadCatalog(value('CATALOG'), cwd, checkoutTokenSecret !== undefined);
  const databasePath = sqlitePath(value('DATABASE_URL') ?? 'file:./scanforpay.db', cwd);
  const rateLimit = integer('RATE_LIMIT', value('RATE_LIMIT') ?? '60', 0, 1_000_000);
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
  const synchronous = value('SQLITE_SYNCHRONOUS')?.toUpperCase();
  if (synchronous !== undefined && synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new ConfigError('SQLITE_SYNCHRONOUS', 'NORMAL or FULL');
  }

  return {
    credentials: { partnerNo, storeNo, signKey },
    gatewayUrl,
    ...(publicUrl ? { publicUrl } : {}),
    resultUrl,
    ...(allowedOrigins ? { allowedOrigins } : {}),
    ...(catalog ? { catalog } : {}),
    ...(checkoutTokenSecret ? { checkoutTokenSecret } : {}),
    ...(payUrlHosts?.length ? { payUrlHosts } : {}),
    ...(logLevel ? { logLevel: logLevel as LogLevel } : {}),
    ...(synchronous ? { sqliteSynchronous: synchronous } : {}),
    orderTimeout,
    rateLimit,
    trustProxy,
    databasePath,
    port,
    host,
  };
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

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

function parseTrustProxy(raw: string | undefined): boolean | number {
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  return integer('TRUST_PROXY', raw, 0, 10);
}

function loadCatalog(
  configured: string | undefined,
  cwd: string,
  tokensEnabled: boolean,
): Catalog | undefined {
  const path = resolve(cwd, configured ?? './catalog.json');
  if (!existsSync(path)) {
    // Without a catalog only checkout tokens can price orders.
    if (configured === undefined && tokensEnabled) return undefined;
    throw new ConfigError('CATALOG', `${configured ?? './catalog.json'} does not exist`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('CATALOG', `${path} is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseCatalog(json);
  } catch (error) {
    if (error instanceof CatalogError)
      throw new ConfigError('CATALOG', `${path}: ${error.message}`);
    throw error;
  }
}

function sqlitePath(raw: string, cwd: string): string {
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    throw new ConfigError(
      'DATABASE_URL',
      'Postgres is not supported by this release yet; use file:./scanforpay.db',
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw))
    throw new ConfigError('DATABASE_URL', 'use file:PATH for SQLite');
  const path = raw.startsWith('file:') ? raw.slice('file:'.length) : raw;
  if (path === '') throw new ConfigError('DATABASE_URL', 'file: needs a path');
  if (path === ':memory:') return path;
  return isAbsolute(path) ? path : resolve(cwd, path);
}
