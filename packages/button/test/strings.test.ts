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
    it('has the same keys in every language', () => {
      const shape = (lang: string) => {
        const s = strings(lang);
        return [
          Object.keys(s),
          Object.keys(s.wallets),
          Object.keys(s.errors),
          Object.keys(s.status),
        ];
      };
      expect(shape('zh-HK')).to.deep.equal(shape('en'));
      expect(shape('zh-CN')).to.deep.equal(shape('en'));
      expect(strings('zh-HK').wallets).to.deep.equal({
        Alipay: '支付寶',
        AlipayHK: '支付寶香港',
        Wechat: '微信支付',
      });
      expect(strings('zh-CN').wallets).to.deep.equal({
        Alipay: '支付宝',
        AlipayHK: '支付宝香港',
        Wechat: '微信支付',
      });
    });
  });
});
