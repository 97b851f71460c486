/** Formats an amount in minor units, e.g. 19900 HKD → "HK$199.00". */
export function formatMoney(minor: number, currency: string, lang: string): string {
  return new Intl.NumberFormat(lang || 'en', { style: 'currency', currency }).format(minor / 100);
}

/** Parses what a shopper typed ("100", "99.5") into minor units; NaN when it is not a number. */
export function toMinor(value: string): number {
  const trimmed = value.trim();
  if (!/^\d+(\.\d{0,2})?$/.test(trimmed)) return Number.NaN;
  return Math.round(Number(trimmed) * 100);
}
