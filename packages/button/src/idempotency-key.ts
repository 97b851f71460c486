/**
 * A fresh `Idempotency-Key` for one order attempt: 128 random bits as four decimal numbers.
 * `crypto.getRandomValues` works on plain-http pages too, where `crypto.randomUUID` is missing.
 */
export function idempotencyKey(): string {
  return crypto.getRandomValues(new Uint32Array(4)).join('-');
}
