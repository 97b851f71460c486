import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/define.js';
import { ScanForPayStatusEvent, type ScanForPayResult } from '../src/index.js';
import { captureWarnings, newTag, part, requests, text } from './helpers.js';
import { ManualClock } from './manual-clock.js';

const ORDER = {
  amount: 19900,
  currency: 'HKD',
  wallet: 'AlipayHK',
  title: 'Red tee',
};

/**
 * Renders a result for `order` on a manual clock, and collects its status events. Time stands
 * still until the test runs the next timer (`clock.runNext()`), so every poll is one the test
 * asked for and the schedule, not the machine's speed, decides what happens.
 */
async function result(order: string, attrs: Record<string, string> = {}) {
  const statuses: string[] = [];
  const clock = new ManualClock();
  const el = document.createElement('scanforpay-result');
  el.clock = clock;
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
  return { el, statuses, clock };
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
      const { el, clock } = await result(`ord-paid~${t}`);
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
          message: 'status paid (en)',
          total: 'HK$199.00',
        },
      });
      const live = part(el, 'status')!;
      expect(live.getAttribute('role')).to.equal('status');
      expect(live.getAttribute('aria-live')).to.equal('polite');
      // The proxy's words for the status, and its total as money.
      expect(text(part(el, 'message'))).to.equal('status paid (en)');
      expect(text(part(el, 'details'))).to.equal('Red tee · HK$199.00');
      expect(part(el, 'again')).to.equal(null);
      expect(part(el, 'spinner')).to.equal(null);
      expect(el.getAttribute('status')).to.equal('paid');
      await expect(el).to.be.accessible();
      expect(clock.pending).to.equal(0);
      expect(await requests(t)).to.have.length(1);
    });
  });

  describe('when the order is still pending', () => {
    it('polls with backoff and fires one event per change', async () => {
      const t = newTag();
      const { el, statuses, clock } = await result(`ord-later~${t}`);
      await oneEvent(el, 'scanforpay-status');
      await el.updateComplete;
      expect(text(part(el, 'message'))).to.equal('status pending (en)');
      // A pending order may still be paid: no new attempt is offered.
      expect(part(el, 'again')).to.equal(null);
      expect(part(el, 'spinner')).not.to.equal(null);
      await expect(el).to.be.accessible();
      const paid = settled(el, 'paid');
      // Polls at 0, 10 and 30 ms: the wait doubles after each answer.
      expect([await clock.runNext(), await clock.runNext()]).to.deep.equal([10, 30]);
      await paid;
      expect(clock.waits).to.deep.equal([10, 20]);
      expect(clock.pending).to.equal(0);
      expect(statuses).to.deep.equal(['pending', 'paid']);
      expect(text(part(el, 'message'))).to.equal('status paid (en)');
      expect((await requests(t)).map((r) => r.path)).to.deep.equal([
        `/orders/ord-later~${t}`,
        `/orders/ord-later~${t}`,
        `/orders/ord-later~${t}`,
      ]);
    });

    it('gives up at the time limit and says so', async () => {
      const t = newTag();
      const { el, statuses, clock } = await result(`ord-pending~${t}`, { timeout: '200' });
      const timedOut = settled(el, 'timeout');
      const polledAt = [0];
      for (let i = 0; i < 4; i++) polledAt.push(await clock.runNext());
      const event = await timedOut;
      // The next poll (150 + 160 = 310 ms) would be past the 200 ms limit: none is set.
      expect(polledAt).to.deep.equal([0, 10, 30, 70, 150]);
      expect(clock.pending).to.equal(0);
      expect(clock.now()).to.equal(150);
      expect(statuses).to.deep.equal(['pending', 'timeout']);
      expect(event.detail.order!.status).to.equal('pending');
      expect(text(part(el, 'message'))).to.equal('late (en)');
      expect(part(el, 'again')).to.equal(null);
      expect(part(el, 'spinner')).to.equal(null);
      expect(await requests(t)).to.have.length(5);
      await expect(el).to.be.accessible();
    });

    it('caps the wait between polls at 15 s', async () => {
      const t = newTag();
      const { el, clock } = await result(`ord-pending~${t}`, {
        interval: '4000',
        timeout: '50000',
      });
      const timedOut = settled(el, 'timeout');
      const polledAt = [0];
      for (let i = 0; i < 4; i++) polledAt.push(await clock.runNext());
      await timedOut;
      // 4 s, 8 s, then 15 s instead of 16 s; the next poll (42 s + 15 s) would be past 50 s.
      expect(clock.waits).to.deep.equal([4000, 8000, 15000, 15000]);
      expect(polledAt).to.deep.equal([0, 4000, 12000, 27000, 42000]);
      expect(clock.pending).to.equal(0);
      expect(await requests(t)).to.have.length(5);
    });

    it('says it cannot reach the shop through a 5xx answer, and keeps polling', async () => {
      const t = newTag();
      const warned = captureWarnings();
      const { el, statuses, clock } = await result(`ord-flaky~${t}`);
      await waitUntil(() => clock.pending === 1);
      warned.stop();
      await el.updateComplete;
      expect(text(part(el, 'message'))).to.equal('Can’t reach the shop. Still trying…');
      expect(part(el, 'spinner')).not.to.equal(null);
      expect(warned.lines).to.deep.equal([
        `<scanforpay-result> unavailable: GET ${location.origin}/orders/ord-flaky~${t}?lang=en&returned=: detail of unavailable`,
      ]);
      const paid = settled(el, 'paid');
      expect(await clock.runNext()).to.equal(10);
      await paid;
      expect(text(part(el, 'message'))).to.equal('status paid (en)');
      expect(statuses).to.deep.equal(['paid']);
      expect(clock.pending).to.equal(0);
      expect(await requests(t)).to.have.length(2);
    });

    it('says it cannot reach the shop within one poll when the proxy is down, and never stops', async () => {
      const t = newTag();
      const { el, clock } = await result(`net-down-ord-paid~${t}`, {
        lang: 'zh-HK',
        timeout: '50',
      });
      for (let i = 0; i < 6; i++) {
        await waitUntil(() => clock.pending === 1);
        await el.updateComplete;
        expect(text(part(el, 'message'))).to.equal('無法連線到商店，正在重試…');
        expect(part(el, 'spinner')).not.to.equal(null);
        await clock.runNext();
      }
      // Past the time limit and still no answer: nothing to time out, it keeps asking.
      expect(clock.now()).to.be.above(50);
      expect(el.status).to.equal(undefined);
      await expect(el).to.be.accessible();
    });

    it('stops polling when removed from the page', async () => {
      const t = newTag();
      const { el, clock } = await result(`ord-pending~${t}`, { interval: '30' });
      await oneEvent(el, 'scanforpay-status');
      expect(clock.pending).to.equal(1);
      el.remove();
      expect(clock.pending).to.equal(0);
      expect(await requests(t)).to.have.length(1);
    });

    it('polls on the page clock by default', async () => {
      const t = newTag();
      const seen: string[] = [];
      const el = document.createElement('scanforpay-result');
      el.order = `ord-later~${t}`;
      el.interval = 10;
      el.addEventListener('scanforpay-status', (e) => seen.push(e.detail.status));
      await fixture(el);
      await settled(el, 'paid');
      expect(seen).to.deep.equal(['pending', 'paid']);
      expect(await requests(t)).to.have.length(3);
    });
  });

  describe('when the order is final but not paid', () => {
    const cases: [string, string, boolean][] = [
      ['ord-failed', 'failed', true],
      ['ord-expired', 'expired', true],
      ['ord-refunded', 'refunded', false],
      ['ord-partial', 'partially_refunded', false],
    ];
    for (const [order, status, again] of cases) {
      it(`shows ${status}${again ? ', with a new attempt' : ''}`, async () => {
        const { el, statuses } = await result(`${order}~${newTag()}`);
        await settled(el, status);
        expect(statuses).to.deep.equal([status]);
        expect(text(part(el, 'message'))).to.equal(`status ${status} (en)`);
        expect(el.getAttribute('status')).to.equal(status);
        const link = part<HTMLAnchorElement>(el, 'again');
        expect(link?.getAttribute('href') ?? null).to.equal(again ? '/pay/tee-red?lang=en' : null);
        if (link) expect(text(link)).to.equal('retry (en)');
        await expect(el).to.be.accessible();
      });
    }
  });

  describe('when the shopper came back from the cashier without paying', () => {
    it('shows cancelled with a new attempt while the order is unpaid, and keeps watching it', async () => {
      const t = newTag();
      const before = location.href;
      history.replaceState(null, '', `?order=ord-later~${t}&returned=unpaid`);
      try {
        const clock = new ManualClock();
        const statuses: string[] = [];
        const el = document.createElement('scanforpay-result');
        el.clock = clock;
        el.interval = 10;
        el.addEventListener('scanforpay-status', (e) => statuses.push(e.detail.status));
        await fixture(el);
        await settled(el, 'cancelled');
        expect(text(part(el, 'message'))).to.equal('left (en)');
        expect(el.getAttribute('status')).to.equal('cancelled');
        expect(part(el, 'again')!.getAttribute('href')).to.equal('/pay/tee-red?lang=en');
        expect(part(el, 'spinner')).to.equal(null);
        await expect(el).to.be.accessible();
        // Paid after all (a late notification): it says so.
        const paid = settled(el, 'paid');
        await clock.runNext();
        await clock.runNext();
        await paid;
        expect(statuses).to.deep.equal(['cancelled', 'paid']);
        expect(part(el, 'again')).to.equal(null);
      } finally {
        history.replaceState(null, '', before);
      }
    });
  });

  describe('when the merchant sets strings', () => {
    it("shows the merchant's status line and retry label, the proxy's for other statuses", async () => {
      const strings = { status: { failed: 'That did not work.' }, retry: 'Order again' };
      const { el } = await result(`ord-failed~${newTag()}`, { strings: JSON.stringify(strings) });
      await settled(el, 'failed');
      expect(text(part(el, 'message'))).to.equal('That did not work.');
      expect(text(part(el, 'again'))).to.equal('Order again');
      const paid = await result(`ord-paid~${newTag()}`, { strings: JSON.stringify(strings) });
      await settled(paid.el, 'paid');
      expect(text(part(paid.el, 'message'))).to.equal('status paid (en)');
    });

    it("says the merchant's offline words while the shop cannot be reached", async () => {
      const { el, clock } = await result(`net-down-ord-paid~${newTag()}`);
      el.strings = { offline: 'Offline, still checking.' };
      await waitUntil(() => clock.pending === 1);
      await el.updateComplete;
      expect(text(part(el, 'message'))).to.equal('Offline, still checking.');
    });
  });

  describe('when the order cannot be shown', () => {
    it('reports order_not_found and stops', async () => {
      const t = newTag();
      const seen = oneEvent(document, 'scanforpay-error');
      const { el, statuses, clock } = await result(`nope~${t}`);
      const event = await seen;
      await el.updateComplete;
      expect(event.detail).to.deep.equal({
        code: 'order_not_found',
        message: 'message of order_not_found (en)',
        status: 404,
      });
      expect(statuses).to.deep.equal([]);
      expect(text(part(el, 'message'))).to.equal('message of order_not_found (en)');
      expect(part(el, 'spinner')).to.equal(null);
      expect(clock.pending).to.equal(0);
      expect(await requests(t)).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('without an order attribute or ?order=, asks the proxy, which says why', async () => {
      const warned = captureWarnings();
      const seen = oneEvent(document, 'scanforpay-error');
      await fixture(html`<scanforpay-result></scanforpay-result>`);
      expect((await seen).detail).to.deep.equal({
        code: 'order_not_found',
        message: 'message of order_not_found (en)',
        status: 404,
      });
      warned.stop();
      expect(warned.lines).to.deep.equal([
        `<scanforpay-result> order_not_found: GET ${location.origin}/orders/?lang=en&returned=: no order id`,
      ]);
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
    it('asks the proxy for its words in Traditional and Simplified Chinese', async () => {
      const { el } = await result(`ord-paid~${newTag()}`, { lang: 'zh-HK' });
      await settled(el, 'paid');
      expect(text(part(el, 'message'))).to.equal('status paid (zh-HK)');
      expect(text(part(el, 'details'))).to.equal('Red tee · HK$199.00 (zh-HK)');
      // The words come with the answer: a new language asks again.
      const again = settled(el, 'paid');
      el.lang = 'zh-CN';
      await again;
      expect(text(part(el, 'message'))).to.equal('status paid (zh-CN)');
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
