import { ApiError } from './api-error.js';
import { ScanForPayErrorEvent } from './events/scanforpay-error-event.js';
import { resolveLang } from './resolve-lang.js';
import { errorMessage, strings } from './strings.js';

/** Fires `scanforpay-error` on `host` with the localized message; returns the error as an ApiError. */
export function dispatchError(host: HTMLElement, error: unknown): ApiError {
  const failure = error instanceof ApiError ? error : new ApiError('error');
  const { code, status } = failure;
  const message = errorMessage(strings(resolveLang(host)), code);
  host.dispatchEvent(
    new ScanForPayErrorEvent(status ? { code, message, status } : { code, message }),
  );
  return failure;
}
