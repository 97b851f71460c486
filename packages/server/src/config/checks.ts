/**
 * Every check that both `createProxy` and the env parser make, once. Each returns what is wrong
 * as a phrase to follow the name of the option or the variable (`adminToken: …`,
 * `ADMIN_TOKEN: …`), or `undefined`; the phrase never repeats a secret. No imports: the
 * `@scanforpay/server/webhook` entry bundles this file. (`timeoutRule`'s check is the protocol's
 * `parseTimeoutRule`.)
 */

/** Shortest admin token and checkout token secret. */
export const MIN_SECRET_LENGTH = 32;

/** Every Standard Webhooks secret starts with this; base64 of the key bytes follows. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** Key bytes a webhook secret holds. */
export const WEBHOOK_SECRET_BYTES = { min: 24, max: 64 } as const;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The admin routes' bearer token (`adminToken`, `ADMIN_TOKEN`). */
export function adminTokenProblem(token: string): string | undefined {
  return secretLengthProblem(token);
}

/** The checkout tokens' HMAC secret (`checkoutTokenSecret`, `CHECKOUT_TOKEN_SECRET`). */
export function checkoutTokenSecretProblem(secret: string): string | undefined {
  return secretLengthProblem(secret);
}

/**
 * A Standard Webhooks secret: `whsec_` + standard base64 of 24 to 64 bytes. `make` names how
 * to get one, for the message when the prefix is missing.
 */
export function webhookSecretProblem(
  secret: unknown,
  make = 'createWebhookSecret()',
): string | undefined {
  if (typeof secret !== 'string') return 'must be a string';
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    return `must start with ${WEBHOOK_SECRET_PREFIX} (make one with ${make})`;
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    return `must be ${WEBHOOK_SECRET_PREFIX} followed by standard base64`;
  }
  const bytes = (encoded.length / 4) * 3 - (encoded.length - encoded.replace(/=+$/, '').length);
  const { min, max } = WEBHOOK_SECRET_BYTES;
  return bytes < min || bytes > max
    ? `must hold ${min} to ${max} bytes, it holds ${bytes}`
    : undefined;
}

function secretLengthProblem(secret: string): string | undefined {
  return secret.length < MIN_SECRET_LENGTH ? `at least ${MIN_SECRET_LENGTH} characters` : undefined;
}

/** Throws `TypeError('<option>: <problem>')` when a check found one (a `createProxy` option). */
export function assertOption(option: string, problem: string | undefined): void {
  if (problem !== undefined) throw new TypeError(`${option}: ${problem}`);
}
