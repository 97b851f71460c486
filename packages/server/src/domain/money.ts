/** Decimal places of a currency's major unit (HKD 2, JPY 0), as Intl knows them. */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', {
        style: 'currency',
        currency: isoCurrency(currency),
      }).resolvedOptions().maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** Minor units as money in a language (the operator's or the shopper's), e.g. `HK$12.30`. */
export function money(locale: string, minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: isoCurrency(currency),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** The gateway writes the renminbi `RMB`; Intl knows it as `CNY`. */
function isoCurrency(currency: string): string {
  return currency === 'RMB' ? 'CNY' : currency;
}
