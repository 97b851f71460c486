import { minorDigits } from '@scanforpay/protocol';
import { UsageError } from './cli-errors.js';

/** `12.50` HKD → 1250: exact decimal arithmetic, refusing more decimals than the currency has. */
export function toMinorUnits(text: string, currency: string): number {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!match) throw new UsageError(`amount "${text}": a positive amount like 12.50`);
  const digits = minorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    throw new UsageError(
      `amount "${text}": ${currency} has ${digits === 0 ? 'no' : digits} decimal place${digits === 1 ? '' : 's'}`,
    );
  }
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new UsageError(`amount "${text}": too large`);
  if (minor < 1) throw new UsageError(`amount "${text}": more than zero`);
  return minor;
}
