import { RESULT_CODES } from './result-codes.js';

/**
 * The one error type of the sandbox. `code` is the gateway result code sent in a signed
 * answer on `/api/*`; `status` is the HTTP status used on the control API and the cashier.
 */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  readonly code: number;
  readonly status: number;

  constructor(code: number, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** An order the caller named does not exist. */
export function unknownOrder(what: string): SandboxError {
  return new SandboxError(RESULT_CODES.unknownOrder, `order not found: ${what}`, 404);
}

/** A field of a gateway request is missing or wrong. */
export function invalidField(message: string): SandboxError {
  return new SandboxError(RESULT_CODES.invalidField, message);
}

/** The request names a store the partner does not have. */
export function unknownStore(storeNo: string): SandboxError {
  return new SandboxError(RESULT_CODES.unknownStore, `unknown storeNo ${storeNo} for this partner`);
}
