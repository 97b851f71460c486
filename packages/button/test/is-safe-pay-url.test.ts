import { expect } from '@open-wc/testing';
import { isSafePayUrl } from '../src/is-safe-pay-url.js';

describe('isSafePayUrl()', () => {
  describe('when the URL is https, or http on this machine', () => {
    it('accepts it', () => {
      for (const url of [
        'https://pay.scanforpay.com/cashier?x=1',
        'http://localhost:8788/cashier',
        'http://127.0.0.1/cashier',
        'http://[::1]:3000/',
      ]) {
        expect(isSafePayUrl(url), url).to.equal(true);
      }
    });
  });

  describe('when it is anything else', () => {
    it('refuses it', () => {
      for (const url of [
        'http://pay.example/cashier',
        'javascript:alert(1)',
        'data:text/html,hi',
        '//pay.example',
        '/relative',
        '',
        'http://localhost.evil.example/',
      ]) {
        expect(isSafePayUrl(url), url).to.equal(false);
      }
    });
  });
});
