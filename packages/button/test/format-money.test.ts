import { expect } from '@open-wc/testing';
import { formatMoney, toMinor } from '../src/format-money.js';

describe('formatMoney()', () => {
  it('formats minor units with the digits the proxy sent, in the locale', () => {
    expect(formatMoney(19900, 'HKD', 'en', 2)).to.equal('HK$199.00');
    expect(formatMoney(19900, 'HKD', 'zh-HK', 2)).to.equal('HK$199.00');
    expect(formatMoney(500, 'JPY', 'en', 0)).to.equal('¥500');
  });

  it('reads the gateway’s RMB as CNY', () => {
    expect(formatMoney(12345, 'RMB', 'en', 2)).to.equal('CN¥123.45');
    expect(formatMoney(12345, 'RMB', 'zh-CN', 2)).to.equal('¥123.45');
  });
});

describe('toMinor()', () => {
  it('reads a typed amount exactly, without floating point', () => {
    expect(
      ['100', '12.3', '0.07', '19.99', '4999.99', '10.'].map((t) => toMinor(t, 2)),
    ).to.deep.equal([10000, 1230, 7, 1999, 499999, 1000]);
    expect(toMinor(' 500 ', 0)).to.equal(500);
  });

  it('refuses what is not a plain amount in the currency', () => {
    for (const text of ['', 'abc', '1,000', '-5', '1e3', '12.345', '.5', 'HK$10']) {
      expect(Number.isNaN(toMinor(text, 2)), text).to.equal(true);
    }
    expect(Number.isNaN(toMinor('5.5', 0))).to.equal(true);
  });
});
