import { currencyDigits, money } from '../domain/money.js';

export { currencyDigits, money };

/** Minor units written in major units without grouping: `1230` HKD → `12.30`. */
export function majorUnits(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * A typed amount in major units → minor units, exactly (no floating point): `12.3` HKD →
 * `1230`. Undefined when it is not a plain positive decimal with at most the currency's digits.
 */
export function parseMajorUnits(text: string, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const match = /^([0-9]{1,13})(?:[.]([0-9]*))?$/.exec(text.trim().replace(/,/g, ''));
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : undefined;
}

/** Epoch ms as `2026-12-02 01:03:12 UTC`: the same in every language, never ambiguous. */
export function when(at: number | null): string {
  if (at === null) return '—';
  return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A duration as `3 d 4 h`, `5 h 2 min`, `42 s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m] = [Math.floor(s / 86400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/** `YYYY-MM-DD` (a UTC day) → its first millisecond; undefined when not such a date. */
export function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== text ? undefined : at;
}
