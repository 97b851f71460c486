/**
 * Money helpers over `Intl.NumberFormat`: amounts travel as integers in the currency's minor
 * unit (cents for HKD, fen for CNY, whole yen for JPY); the fraction digits come from Intl,
 * not from a hand-written table.
 */

/** ScanForPay and shoppers say RMB; ISO 4217 (and Intl) say CNY. */
export function isoCurrency(currency: string): string {
  const upper = currency.toUpperCase();
  return upper === 'RMB' ? 'CNY' : upper;
}

const digitsCache = new Map<string, number>();

/** Number of minor-unit digits of a currency: 2 for HKD, 0 for JPY. */
export function minorDigits(currency: string): number {
  const iso = isoCurrency(currency);
  let digits = digitsCache.get(iso);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency: iso }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digitsCache.set(iso, digits);
  }
  return digits;
}

/** 1999 HKD → 19.99 */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/** 19.99 HKD → 1999, rounded to the nearest minor unit (never truncated). */
export function toMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** minorDigits(currency));
}

/** Formats minor units for people, e.g. `formatMoney(1999, 'HKD', 'en-HK')` → `HK$19.99`. */
export function formatMoney(
  minor: number,
  currency: string,
  locale?: string | string[],
  options: Omit<Intl.NumberFormatOptions, 'style' | 'currency'> = {},
): string {
  const iso = isoCurrency(currency);
  return new Intl.NumberFormat(locale, { ...options, style: 'currency', currency: iso }).format(
    toMajor(minor, iso),
  );
}
