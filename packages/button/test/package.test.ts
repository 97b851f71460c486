// The ESM build in dist/, as a bundler would import it through the package's exports.
import { expect } from '@open-wc/testing';

describe('the ESM build', () => {
  describe('when only the index is imported', () => {
    it('exports the classes without defining elements', async () => {
      const index = await import('../dist/index.js');
      expect(Object.keys(index).sort()).to.deep.equal([
        'LOCALES',
        'ORDER_STATUSES',
        'ScanForPayButton',
        'ScanForPayErrorEvent',
        'ScanForPayOrderEvent',
        'ScanForPayReadyEvent',
        'ScanForPayRedirectEvent',
        'ScanForPayResult',
        'ScanForPayStatusEvent',
        'WALLETS',
      ]);
      expect(customElements.get('scanforpay-button')).to.equal(undefined);
      expect(customElements.get('scanforpay-result')).to.equal(undefined);
    });
  });

  describe('when the define module is imported', () => {
    it('defines both elements, and a second definition is harmless', async () => {
      const index = await import('../dist/index.js');
      await import('../dist/define.js');
      expect(customElements.get('scanforpay-button')).to.equal(index.ScanForPayButton);
      expect(customElements.get('scanforpay-result')).to.equal(index.ScanForPayResult);
      const errors: string[] = [];
      const onError = (e: ErrorEvent) => errors.push(e.message);
      window.addEventListener('error', onError);
      const script = document.createElement('script');
      script.src = '/dist/scanforpay-button.js';
      await new Promise((resolve) => {
        script.onload = resolve;
        document.head.append(script);
      });
      window.removeEventListener('error', onError);
      expect(errors).to.deep.equal([]);
      expect(customElements.get('scanforpay-button')).to.equal(index.ScanForPayButton);
    });
  });
});
