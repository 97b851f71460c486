import { formatMoney, minorDigits } from '@scanforpay/protocol';

/** Decimal places of a currency's major unit (HKD 2, JPY 0), as Intl knows them; 2 if unknown. */
export function currencyDigits(currency: string): number {
  try {
    return minorDigits(currency);
  } catch {
    return 2;
  }
}

/**
 * Minor units as money in a language (the operator's or the shopper's), e.g. `HK$12.30`, always
 * with the currency's decimal places; `12.30 XYZ` for a code Intl refuses.
 */
export function money(locale: string, minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return formatMoney(minor, currency, locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}
