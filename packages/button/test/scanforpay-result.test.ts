import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../src/define.js';
import { ScanForPayStatusEvent, type ScanForPayResult } from '../src/index.js';
import { newTag, part, requests, text } from './helpers.js';

const ORDER = {
  amount: 19900,
  currency: 'HKD',
  wallet: 'AlipayHK',
  title: 'Red tee',
};

/** Renders a result for `order` polling fast, and collects its status events. */
async function result(order: string, attrs: Record<string, string> = {}) {
  const statuses: string[] = [];
  const el = document.createElement('scanforpay-result');
  for (const [name, value] of Object.entries({
    order,
    interval: '10',
    timeout: '2000',
    ...attrs,
  })) {
    el.setAttribute(name, value);
  }
  el.addEventListener('scanforpay-status', (e) => statuses.push(e.detail.status));
  await fixture(el);
  return { el, statuses };
}

async function settled(el: ScanForPayResult, status: string): Promise<ScanForPayStatusEvent> {
  for (;;) {
    const event = await oneEvent(el, 'scanforpay-status');
    if (event.detail.status === status) {
      await el.updateComplete;
      return event;
    }
  }
}

describe('<scanforpay-result>', () => {
  describe('when the order is paid', () => {
    it('shows it, fires scanforpay-status and stops polling', async () => {
      const t = newTag();
      const seen = oneEvent(document, 'scanforpay-status');
      const { el } = await result(`ord-paid~${t}`);
      const event = await seen;
      await el.updateComplete;
      expect(event).to.be.instanceOf(ScanForPayStatusEvent);
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail).to.deep.equal({
        orderId: `ord-paid~${t}`,
        status: 'paid',
        order: {
          orderId: `ord-paid~${t}`,
          status: 'paid',
          ...ORDER,
          paidAt: '2030-01-01T00:01:00Z',
        },
      });
      const live = part(el, 'status')!;
      expect(live.getAttribute('role')).to.equal('status');
      expect(live.getAttribute('aria-live')).to.equal('polite');
      expect(text(part(el, 'message'))).to.equal('Paid. Thank you!');
      expect(text(part(el, 'details'))).to.equal('Red tee · HK$199.00');
      expect(part(el, 'spinner')).to.equal(null);
      expect(el.getAttribute('status')).to.equal('paid');
      await expect(el).to.be.accessible();
      await new Promise((r) => setTimeout(r, 100));
      expect(await requests(t)).to.have.length(1);
    });
  });

  describe('when the order is still pending', () => {
    it('polls with backoff and fires one event per change', async () => {
      const t = newTag();
      const { el, statuses } = await result(`ord-later~${t}`);
      await oneEvent(el, 'scanforpay-status');
      await el.updateComplete;
      expect(text(part(el, 'message'))).to.equal('Waiting for payment…');
      expect(part(el, 'spinner')).not.to.equal(null);
      await expect(el).to.be.accessible();
      await settled(el, 'paid');
      expect(statuses).to.deep.equal(['pending', 'paid']);
      expect(text(part(el, 'message'))).to.equal('Paid. Thank you!');
      expect((await requests(t)).map((r) => r.path)).to.deep.equal([
        `/orders/ord-later~${t}`,
        `/orders/ord-later~${t}`,
        `/orders/ord-later~${t}`,
      ]);
    });

    it('gives up at the time limit and says so', async () => {
      const t = newTag();
      const { el, statuses } = await result(`ord-pending~${t}`, { timeout: '200' });
      const event = await settled(el, 'timeout');
      expect(statuses).to.deep.equal(['pending', 'timeout']);
      expect(event.detail.order!.status).to.equal('pending');
      expect(text(part(el, 'message'))).to.equal('Not confirmed yet. Check later.');
      expect(part(el, 'spinner')).to.equal(null);
      const polls = (await requests(t)).length;
      // Polls at about 0, 10, 30, 70 and 150 ms; the next (310 ms) is past the 200 ms limit.
      expect(polls).to.equal(5);
      await new Promise((r) => setTimeout(r, 200));
      expect(await requests(t)).to.have.length(polls);
      await expect(el).to.be.accessible();
    });

    it('keeps polling through a 5xx answer', async () => {
      const t = newTag();
      const { el, statuses } = await result(`ord-flaky~${t}`);
      await settled(el, 'paid');
      expect(statuses).to.deep.equal(['paid']);
      expect(await requests(t)).to.have.length(2);
    });

    it('stops polling when removed from the page', async () => {
      const t = newTag();
      const { el } = await result(`ord-pending~${t}`, { interval: '30' });
      await oneEvent(el, 'scanforpay-status');
      el.remove();
      const polls = (await requests(t)).length;
      await new Promise((r) => setTimeout(r, 150));
      expect(await requests(t)).to.have.length(polls);
    });
  });

  describe('when the order is final but not paid', () => {
    const cases: [string, string, string][] = [
      ['ord-failed', 'failed', 'Payment failed.'],
      ['ord-expired', 'expired', 'Payment expired.'],
      ['ord-refunded', 'refunded', 'Payment refunded.'],
      ['ord-partial', 'partially_refunded', 'Payment refunded.'],
    ];
    for (const [order, status, message] of cases) {
      it(`shows ${status}`, async () => {
        const { el, statuses } = await result(`${order}~${newTag()}`);
        await settled(el, status);
        expect(statuses).to.deep.equal([status]);
        expect(text(part(el, 'message'))).to.equal(message);
        expect(el.getAttribute('status')).to.equal(status);
        await expect(el).to.be.accessible();
      });
    }
  });

  describe('when the order cannot be shown', () => {
    it('reports order_not_found and stops', async () => {
      const t = newTag();
      const seen = oneEvent(document, 'scanforpay-error');
      const { el, statuses } = await result(`nope~${t}`);
      const event = await seen;
      await el.updateComplete;
      expect(event.detail).to.deep.equal({
        code: 'order_not_found',
        message: 'Order not found.',
        status: 404,
      });
      expect(statuses).to.deep.equal([]);
      expect(text(part(el, 'message'))).to.equal('Order not found.');
      expect(part(el, 'spinner')).to.equal(null);
      await new Promise((r) => setTimeout(r, 100));
      expect(await requests(t)).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('reports missing_order without an order attribute or ?order=', async () => {
      const seen = oneEvent(document, 'scanforpay-error');
      await fixture(html`<scanforpay-result></scanforpay-result>`);
      expect((await seen).detail).to.deep.equal({
        code: 'missing_order',
        message: 'Something went wrong.',
      });
    });
  });

  describe('when the order comes from the page URL', () => {
    it('reads ?order=', async () => {
      const t = newTag();
      const before = location.href;
      history.replaceState(null, '', `?order=ord-paid~${t}`);
      try {
        const seen = oneEvent(document, 'scanforpay-status');
        await fixture(html`<scanforpay-result></scanforpay-result>`);
        expect((await seen).detail.orderId).to.equal(`ord-paid~${t}`);
      } finally {
        history.replaceState(null, '', before);
      }
    });
  });

  describe('when `endpoint` is set', () => {
    it('polls that proxy', async () => {
      const t = newTag();
      const { el } = await result(`ord-paid~${t}`, { endpoint: `${location.origin}/alt` });
      await settled(el, 'paid');
      expect((await requests(t)).map((r) => r.path)).to.deep.equal([`/alt/orders/ord-paid~${t}`]);
    });
  });

  describe('when the language is set', () => {
    it('speaks Traditional and Simplified Chinese', async () => {
      const { el } = await result(`ord-paid~${newTag()}`, { lang: 'zh-HK' });
      await settled(el, 'paid');
      expect(text(part(el, 'message'))).to.equal('付款成功，謝謝！');
      expect(text(part(el, 'details'))).to.equal('Red tee · HK$199.00');
      el.lang = 'zh-CN';
      await el.updateComplete;
      expect(text(part(el, 'message'))).to.equal('支付成功，谢谢！');
      await expect(el).to.be.accessible();
    });
  });

  describe('when styled', () => {
    it('takes --scanforpay-font and --scanforpay-error-color', async () => {
      const seen = oneEvent(document, 'scanforpay-error');
      const el = await fixture<ScanForPayResult>(
        html`<scanforpay-result
          order="nope~${newTag()}"
          style="--scanforpay-font: serif; --scanforpay-error-color: rgb(200, 0, 0)"
        ></scanforpay-result>`,
      );
      await seen;
      await el.updateComplete;
      expect(getComputedStyle(part(el, 'status')!).fontFamily).to.equal('serif');
      expect(getComputedStyle(part(el, 'error')!).color).to.equal('rgb(200, 0, 0)');
    });
  });
});
