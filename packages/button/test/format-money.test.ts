import { expect } from '@open-wc/testing';
import { formatMoney } from '../src/format-money.js';

describe('formatMoney()', () => {
  describe('when the currency has 2, 0 or 3 fraction digits', () => {
    it('divides minor units by the currency exponent Intl reports', () => {
      expect(formatMoney(19900, 'HKD', 'en')).to.equal('HK$199.00');
      expect(formatMoney(500, 'JPY', 'en')).to.equal('¥500');
      expect(formatMoney(1234, 'KWD', 'en')).to.equal('KWD\u00a01.234');
    });
  });

  describe('when the currency is RMB', () => {
    it('formats it as CNY', () => {
      expect(formatMoney(12345, 'RMB', 'en')).to.equal('CN¥123.45');
      expect(formatMoney(12345, 'RMB', 'zh-CN')).to.equal('¥123.45');
    });
  });
});
