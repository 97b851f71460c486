import { DEFAULTS } from '../../config/defaults.js';
import type { ProblemBody } from '../../problem.js';
import { CliError, UsageError } from './cli-errors.js';
import type { Flags } from './parse-flags.js';

/** Where the admin commands read their settings and write their output. */
export interface AdminCliIo {
  /** `ADMIN_TOKEN`, `PROXY_URL`, `PORT` (the process environment, `.env` already merged in). */
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** How long one call to the proxy may take. Default 60 s (a refund waits for the gateway). */
  timeoutMs?: number;
  /** Waits between two looks while a command follows a delivery. Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ProxyConnection {
  /** The answer's status and JSON body; a problem answer throws a `CliError` with its detail. */
  request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

/** The running proxy's admin API, at `--url`, `PROXY_URL` or the local port, with the token. */
export function connect(io: AdminCliIo, token: string | undefined, flags: Flags): ProxyConnection {
  const base = baseUrl(io.env, flags);
  if (token === undefined) {
    throw new CliError(
      'ADMIN_TOKEN is not set: put the proxy’s admin token in the environment or ./.env',
    );
  }
  const fetchFn = io.fetch ?? fetch;
  const timeoutMs = io.timeoutMs ?? 60_000;
  const connection: ProxyConnection = {
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      return (await connection.request<T>(method, path, body)).body;
    },
    async request<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
      let response: Response;
      try {
        response = await fetchFn(base + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new CliError(`cannot reach the proxy at ${base}: ${networkReason(error, timeoutMs)}`);
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new CliError(
          `the proxy at ${base} answered HTTP ${response.status} without JSON (is the URL right?)`,
        );
      }
      if (response.ok) return { status: response.status, body: json as T };
      throw new CliError(problemMessage(response.status, json as Partial<ProblemBody>, base));
    },
  };
  return connection;
}

/** The proxy: `--url`, `PROXY_URL`, else the local port. */
export function baseUrl(env: AdminCliIo['env'], flags: Flags): string {
  const configured =
    (typeof flags.url === 'string' ? flags.url : undefined) ?? (env.PROXY_URL?.trim() || undefined);
  const raw = configured ?? `http://${DEFAULTS.host}:${env.PORT?.trim() || DEFAULTS.port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`proxy URL "${raw}": an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`proxy URL "${raw}": an absolute http(s) URL`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError('proxy URL: no credentials, query or fragment');
  }
  return url.href.replace(/\/+$/, '');
}

function problemMessage(status: number, problem: Partial<ProblemBody>, base: string): string {
  if (status === 401) {
    return `the proxy refused the admin token (HTTP 401): check ADMIN_TOKEN`;
  }
  if (status === 404 && problem.code === 'not_found') {
    return `the proxy at ${base} has no admin routes: is ADMIN_TOKEN set on the proxy, and the URL right?`;
  }
  if (typeof problem.detail === 'string' && problem.detail !== '') return problem.detail;
  return `the proxy answered HTTP ${status}`;
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string')
    return `${cause.code} (is it running? set --url or PROXY_URL)`;
  return error instanceof Error ? error.message : String(error);
}
