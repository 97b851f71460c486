/** Formats an amount in minor units, e.g. 19900 HKD → "HK$199.00". */
export function formatMoney(minor: number, currency: string, lang: string): string {
  return new Intl.NumberFormat(lang || 'en', { style: 'currency', currency }).format(minor / 100);
}
