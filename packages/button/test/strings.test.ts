import { expect } from '@open-wc/testing';
import { pickLocale, strings } from '../src/strings.js';

describe('pickLocale()', () => {
  describe('when the language is Chinese', () => {
    it('picks Traditional for HK, MO, TW and Hant, Simplified otherwise', () => {
      const picks = [
        'zh-HK',
        'zh-hk',
        'zh-MO',
        'zh-TW',
        'zh-Hant',
        'zh-Hant-CN',
        'zh',
        'zh-CN',
        'zh-SG',
        'zh-Hans-HK',
      ].map(pickLocale);
      expect(picks).to.deep.equal([
        'zh-HK',
        'zh-HK',
        'zh-HK',
        'zh-HK',
        'zh-HK',
        'zh-HK',
        'zh-CN',
        'zh-CN',
        'zh-CN',
        'zh-HK',
      ]);
    });
  });

  describe('when the language is anything else', () => {
    it('falls back to English', () => {
      expect(['', 'en-GB', 'fr', 'zha', 'ja'].map(pickLocale)).to.deep.equal([
        'en',
        'en',
        'en',
        'en',
        'en',
      ]);
    });
  });
});

describe('strings()', () => {
  describe('when asked for each locale', () => {
    it('has the three words needed without the proxy, in the language asked', () => {
      expect(strings('en')).to.deep.equal([
        'Can’t reach the shop. No money was taken.',
        'Can’t reach the shop. Still trying…',
        'Pay',
      ]);
      expect(strings('zh-HK')[2]).to.equal('付款');
      expect(strings('zh-Hant-TW')[0]).to.equal('無法連線到商店，未有扣款。');
      expect(strings('zh')[2]).to.equal('支付');
      expect(strings('fr')).to.equal(strings('en'));
    });
  });
});
