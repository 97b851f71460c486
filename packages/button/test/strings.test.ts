import { expect } from '@open-wc/testing';
import { BUTTON_OFFLINE, BUTTON_PAY, LOCALES, pickLocale, RESULT_OFFLINE } from '../src/strings.js';

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

describe('the words the elements carry', () => {
  it('has each in every language, and the result never says no money was taken', () => {
    for (const table of [BUTTON_OFFLINE, BUTTON_PAY, RESULT_OFFLINE]) {
      expect(Object.keys(table)).to.deep.equal([...LOCALES]);
    }
    expect(BUTTON_OFFLINE.en).to.equal('Can’t reach the shop. No money was taken.');
    expect(BUTTON_PAY[pickLocale('zh-Hant-TW')]).to.equal('付款');
    expect(BUTTON_PAY[pickLocale('zh')]).to.equal('支付');
    expect(RESULT_OFFLINE.en).to.equal('Can’t reach the shop. Still trying…');
    for (const text of Object.values(RESULT_OFFLINE)) expect(text).not.to.match(/money|扣款/);
  });
});
