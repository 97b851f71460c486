/**
 * Formats an integer amount in minor units (cents) of `currency` for `locale`. The number of
 * fraction digits comes from Intl, not from a table; the proxy's `RMB` is ISO 4217 `CNY`.
 */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency === 'RMB' ? 'CNY' : currency,
  });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}
