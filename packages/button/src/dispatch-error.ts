import { ApiError } from './api-error.js';
import { ScanForPayErrorEvent } from './events/scanforpay-error-event.js';
import type { SharedStrings } from './strings.js';

const warned = new Set<string>();

/** A line for the merchant in the console, once per page for the same words. */
export function warn(host: HTMLElement, text: string): void {
  const line = `<${host.localName}> ${text}`;
  if (!warned.has(line)) console.warn(line);
  warned.add(line);
}

/**
 * Reports a failure: the merchant's line in the console (the code, what was asked and the fix)
 * and `scanforpay-error` with the shopper's message: the proxy's words when it answered, else
 * `offline` (without the proxy's words, the shop could not be reached as far as the shopper can
 * tell); the merchant's `strings` come first. Returns it as an ApiError whose `say` is that
 * message.
 */
export function dispatchError(
  host: HTMLElement & { strings?: SharedStrings },
  error: unknown,
  offline: string,
): ApiError {
  const failure = error instanceof ApiError ? error : new ApiError('error');
  const { code, status, detail } = failure;
  const mine = host.strings;
  const message = (failure.say = mine?.errors?.[code] ?? (failure.say || mine?.offline || offline));
  warn(host, code + (detail ? ': ' + detail : ''));
  host.dispatchEvent(
    new ScanForPayErrorEvent(status ? { code, message, status } : { code, message }),
  );
  return failure;
}
