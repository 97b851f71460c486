import { randomHex } from '@scanforpay/protocol';

/** How long a session lasts from sign-in. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** A signed-in operator: the session id and when the session ends (epoch ms). */
export interface Session {
  id: string;
  expiresAt: number;
}

/**
 * Sessions and CSRF tokens signed with a key derived from `ADMIN_TOKEN` (HMAC-SHA-256, Web
 * Crypto, so the same code runs on Node and Workers). Nothing is stored: a cookie is valid
 * while its signature verifies and it has not expired, so rotating the token ends every
 * session at once. A CSRF token is the session id signed for another purpose: it is valid
 * only with the cookie of the session it was made for.
 */
export interface SessionKeys {
  /** A new session and its cookie value. */
  issue(now: number): Promise<{ session: Session; cookie: string }>;
  /** The session a cookie value stands for, or undefined when forged, altered or expired. */
  open(cookie: string | undefined, now: number): Promise<Session | undefined>;
  /** The CSRF token of a session. */
  csrfToken(session: Session): Promise<string>;
  /** Whether `token` is the CSRF token of `session` (compared by HMAC verification). */
  checkCsrf(session: Session, token: string | undefined): Promise<boolean>;
}

const COOKIE_SHAPE = /^v1\.([0-9a-f]{32})\.([0-9]{1,16})\.([A-Za-z0-9_-]{43})$/;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function sessionKeys(adminToken: string, ttlMs = SESSION_TTL_MS): SessionKeys {
  const encoder = new TextEncoder();
  const key = crypto.subtle.importKey(
    'raw',
    encoder.encode(`scanforpay-dashboard-v1:${adminToken}`),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  const sign = async (text: string) =>
    toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(text))));
  const verify = async (text: string, signature: string) => {
    if (!TOKEN_SHAPE.test(signature)) return false;
    const bytes = fromBase64Url(signature);
    // Only the canonical spelling: the last character's two spare bits must be zero.
    if (toBase64Url(bytes) !== signature) return false;
    return crypto.subtle.verify('HMAC', await key, bytes, encoder.encode(text));
  };

  return {
    async issue(now) {
      const session = { id: randomHex(16), expiresAt: now + ttlMs };
      const body = `v1.${session.id}.${session.expiresAt}`;
      return { session, cookie: `${body}.${await sign(`session.${body}`)}` };
    },
    async open(cookie, now) {
      const match = COOKIE_SHAPE.exec(cookie ?? '');
      if (!match) return undefined;
      const [, id, expires, signature] = match as unknown as [string, string, string, string];
      const body = `v1.${id}.${expires}`;
      if (!(await verify(`session.${body}`, signature))) return undefined;
      const expiresAt = Number(expires);
      return expiresAt > now ? { id, expiresAt } : undefined;
    },
    csrfToken: (session) => sign(`csrf.${session.id}`),
    checkCsrf: async (session, token) =>
      token !== undefined && (await verify(`csrf.${session.id}`, token)),
  };
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
