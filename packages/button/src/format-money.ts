/**
 * Formats an integer amount in minor units (cents) of `currency` for `locale`, with `digits`
 * decimal places (the proxy sends them with the item: HKD 2, JPY 0); the proxy's `RMB` is
 * ISO 4217 `CNY`.
 */
export function formatMoney(
  minor: number,
  currency: string,
  locale: string,
  digits: number,
): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency === 'RMB' ? 'CNY' : currency,
  }).format(minor / 10 ** digits);
}

/**
 * What a shopper typed, in major units, as minor units, exactly (no floating point): `12.3`
 * with 2 digits is 1230. NaN unless it is a plain decimal with at most `digits` decimal places.
 */
export function toMinor(text: string, digits: number): number {
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(text.trim());
  const fraction = match?.[2] ?? '';
  return match && fraction.length <= digits
    ? +match[1]! * 10 ** digits + +fraction.padEnd(digits, '0')
    : NaN;
}
