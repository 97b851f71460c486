import { ConfigError } from './config-error.js';
import { DEFAULTS } from './defaults.js';
import { envValue, type ProxyEnvironment } from './read-env-table.js';

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
