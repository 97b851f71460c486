import { describe, expect, it } from 'vitest';
import { formatMoney, isoCurrency, minorDigits, toMajor, toMinor } from '@scanforpay/protocol';

describe('money helpers', () => {
  it('formats minor units with Intl', () => {
    expect(formatMoney(1999, 'HKD', 'en-HK')).toBe('HK$19.99');
    expect(formatMoney(2100, 'HKD', 'en-US')).toBe('HK$21.00');
    expect(formatMoney(100, 'JPY', 'ja-JP')).toBe('￥100');
    expect(formatMoney(1999, 'HKD', 'en-HK', { currencyDisplay: 'code' })).toBe('HKD\u00a019.99');
  });

  it('shows RMB as CNY', () => {
    expect(isoCurrency('rmb')).toBe('CNY');
    expect(isoCurrency('hkd')).toBe('HKD');
    expect(formatMoney(12345, 'RMB', 'zh-CN')).toBe('¥123.45');
    expect(formatMoney(12345, 'RMB', 'en-US', { currencyDisplay: 'code' })).toBe('CNY\u00a0123.45');
  });

  it('takes the minor-unit digits from Intl', () => {
    expect(minorDigits('HKD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('RMB')).toBe(2);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('converts between major and minor units without truncating', () => {
    expect(toMinor(19.99, 'HKD')).toBe(1999);
    expect(toMinor(1.005, 'HKD')).toBe(100);
    expect(toMinor(0.29, 'HKD')).toBe(29);
    expect(toMinor(100, 'JPY')).toBe(100);
    expect(toMajor(1999, 'HKD')).toBe(19.99);
    expect(toMajor(1999, 'JPY')).toBe(1999);
  });
});
