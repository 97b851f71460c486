import { randomHex, WALLETS, type Wallet } from '@scanforpay/protocol';
import { checkoutTokenSecretProblem } from '../config/checks.js';

/** What a merchant's backend vouches for: the price of one dynamic cart. */
export interface CheckoutTokenClaims {
  /** Unique token id; a token is accepted for one order only. */
  id: string;
  /** Minor units. */
  amount: number;
  currency: string;
  title: string;
  /** Optional catalog-free label stored as the order's item id. Default `checkout`. */
  item?: string;
  wallets?: readonly Wallet[];
  /** The merchant's own reference (cart id, invoice number), stored with the order. */
  reference?: string;
  /** Epoch seconds after which the token is refused. */
  expiresAt: number;
}

export interface CreateCheckoutTokenOptions {
  /** The shared secret (`CHECKOUT_TOKEN_SECRET`), at least 32 characters. */
  secret: string;
  amount: number;
  currency: string;
  title: string;
  item?: string;
  wallets?: readonly Wallet[];
  reference?: string;
  /** Seconds the token stays valid. Default 900 (15 minutes). */
  expiresIn?: number;
  /** Default: 16 random bytes, hex. */
  id?: string;
  /** Injected clock. */
  now?: () => Date;
}

export type CheckoutTokenErrorCode = 'invalid_token' | 'token_expired';

/** The token was refused; `code` says why. */
export class CheckoutTokenError extends Error {
  override readonly name = 'CheckoutTokenError';
  readonly code: CheckoutTokenErrorCode;

  constructor(code: CheckoutTokenErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const PREFIX = 'sfp1';
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/**
 * Signs a checkout token on the merchant's backend: `sfp1.<claims>.<HMAC-SHA256>`, both parts
 * base64url. Hand it to the page (`<scanforpay-button token="…">`); the proxy verifies it,
 * enforces expiry and accepts it for exactly one order.
 */
export async function createCheckoutToken(options: CreateCheckoutTokenOptions): Promise<string> {
  assertSecret(options.secret);
  if (!Number.isSafeInteger(options.amount) || options.amount < 1) {
    throw new TypeError('amount: a positive integer in minor units');
  }
  if (!/^[A-Z]{3}$/.test(options.currency)) throw new TypeError('currency: a code such as HKD');
  if (options.title === '' || options.title.length > 100) {
    throw new TypeError('title: 1 to 100 characters');
  }
  const now = options.now?.() ?? new Date();
  const claims: CheckoutTokenClaims = {
    id: options.id ?? randomId(),
    amount: options.amount,
    currency: options.currency,
    title: options.title,
    expiresAt: Math.floor(now.getTime() / 1000) + (options.expiresIn ?? 900),
  };
  if (options.item !== undefined) claims.item = options.item;
  if (options.wallets !== undefined) claims.wallets = options.wallets;
  if (options.reference !== undefined) claims.reference = options.reference;
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  const mac = await hmac(options.secret, `${PREFIX}.${payload}`);
  return `${PREFIX}.${payload}.${base64url(mac)}`;
}

/**
 * Verifies a checkout token's MAC (constant time) and expiry; returns its claims.
 * Single use is enforced by the store when the order is written, not here.
 */
export async function verifyCheckoutToken(
  token: string,
  secret: string,
  options: { now?: () => Date } = {},
): Promise<CheckoutTokenClaims> {
  assertSecret(secret);
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) {
    throw new CheckoutTokenError('invalid_token', 'not a checkout token');
  }
  const [, payload = '', mac = ''] = parts;
  const key = await importKey(secret);
  let macBytes: Uint8Array;
  try {
    macBytes = fromBase64url(mac);
  } catch {
    throw new CheckoutTokenError('invalid_token', 'the token signature is not base64url');
  }
  const valid = await crypto.subtle.verify(
    'HMAC',
    key,
    macBytes as Uint8Array<ArrayBuffer>,
    encoder.encode(`${PREFIX}.${payload}`),
  );
  if (!valid) {
    throw new CheckoutTokenError(
      'invalid_token',
      'the token signature does not match: is the secret right?',
    );
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(fromBase64url(payload)));
  } catch {
    throw new CheckoutTokenError('invalid_token', 'the token claims are not JSON');
  }
  if (!isClaims(claims))
    throw new CheckoutTokenError('invalid_token', 'the token claims are incomplete');
  const now = (options.now?.() ?? new Date()).getTime() / 1000;
  if (claims.expiresAt <= now)
    throw new CheckoutTokenError('token_expired', 'the token has expired');
  return claims;
}

function isClaims(value: unknown): value is CheckoutTokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.id === 'string' &&
    c.id.length > 0 &&
    c.id.length <= 64 &&
    typeof c.amount === 'number' &&
    Number.isSafeInteger(c.amount) &&
    c.amount >= 1 &&
    typeof c.currency === 'string' &&
    /^[A-Z]{3}$/.test(c.currency) &&
    typeof c.title === 'string' &&
    c.title.length > 0 &&
    c.title.length <= 100 &&
    typeof c.expiresAt === 'number' &&
    (c.item === undefined || (typeof c.item === 'string' && c.item.length <= 64)) &&
    (c.reference === undefined || (typeof c.reference === 'string' && c.reference.length <= 64)) &&
    (c.wallets === undefined ||
      (Array.isArray(c.wallets) &&
        c.wallets.length > 0 &&
        c.wallets.every((w) => (WALLETS as readonly unknown[]).includes(w))))
  );
}

function assertSecret(secret: string): void {
  const problem = typeof secret === 'string' ? checkoutTokenSecretProblem(secret) : 'a string';
  if (problem !== undefined) throw new TypeError(`the checkout token secret must be ${problem}`);
}

function importKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keys.set(secret, key);
  }
  return key;
}

async function hmac(secret: string, text: string): Promise<Uint8Array> {
  const key = await importKey(secret);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
}

function randomId(): string {
  return randomHex(16);
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
