import type { HashFn } from '@scanforpay/protocol';
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problem.js';
import type { ProxyEnv } from './proxy-env.js';

export interface AdminAuthOptions {
  /** The configured bearer token; undefined turns the admin routes off (they answer 404). */
  token: string | undefined;
  /** SHA-256 to hex: both tokens are hashed before they are compared. */
  hash: HashFn;
  /** Who the token is for and its variable, in the 401's words. Default `admin`, `ADMIN_TOKEN`. */
  names?: { label: string; variable: string };
}

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Guards `/admin/*` with `Authorization: Bearer <token>`. The presented token and the
 * configured one are hashed and the digests compared in constant time, so neither the timing
 * nor an early exit tells how much of a guess was right. Every answer is `no-store`.
 */
export function adminAuth(options: AdminAuthOptions): MiddlewareHandler<ProxyEnv> {
  const { token, hash } = options;
  const { label, variable } = options.names ?? { label: 'admin', variable: 'ADMIN_TOKEN' };
  let expected: Promise<string> | undefined;

  return async function adminAuth(c, next) {
    // Off: indistinguishable from a route that does not exist.
    if (token === undefined) throw new ProblemError('not_found', 'no such route');
    const presented = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    expected ??= hash(token);
    const [want, got] = await Promise.all([expected, hash(presented ?? '')]);
    if (presented === undefined || !digestsEqual(want, got)) {
      throw new ProblemError(
        'unauthorized',
        presented === undefined
          ? `send the ${label} token as Authorization: Bearer <${variable}>`
          : `the ${label} token is not valid`,
        { headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    await next();
    c.header('cache-control', 'no-store');
  };
}

/** Compares two hex digests over every character, whatever their lengths: no early exit. */
export function digestsEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
