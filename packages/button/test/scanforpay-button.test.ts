import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../src/define.js';
import {
  ScanForPayErrorEvent,
  ScanForPayOrderEvent,
  ScanForPayReadyEvent,
  ScanForPayRedirectEvent,
  type ScanForPayButton,
} from '../src/index.js';
import {
  captureWarnings,
  IDEMPOTENCY_KEY,
  newTag,
  orderPosts,
  part,
  release,
  renderUntil,
  requests,
  text,
} from './helpers.js';

type Ready = { el: ScanForPayButton; event: CustomEvent };

// Safety net: an uncancelled same-tab redirect would navigate the test page away. Tests that
// need the real navigation run the built bundle in an iframe (bundle.test.ts).
document.addEventListener('scanforpay-redirect', (event) => {
  if (event.detail.target === '_self') event.preventDefault();
});

const button = (el: ScanForPayButton) => part<HTMLButtonElement>(el, 'button')!;
const radios = (el: ScanForPayButton) => [
  ...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=radio]'),
];
const labels = (el: ScanForPayButton) => radios(el).map((r) => text(r.parentElement));

async function ready(item: string, attrs = ''): Promise<Ready> {
  const tag = document.createElement('template');
  tag.innerHTML = `<scanforpay-button item="${item}" ${attrs}></scanforpay-button>`;
  const seen = oneEvent(document, 'scanforpay-ready');
  const el = await fixture<ScanForPayButton>(tag.content.firstElementChild!);
  return { el, event: await seen };
}

async function pay(el: ScanForPayButton) {
  const order = oneEvent(el, 'scanforpay-order');
  const redirect = oneEvent(el, 'scanforpay-redirect');
  button(el).click();
  return { order: await order, redirect: await redirect };
}

async function failure(el: ScanForPayButton, act: () => void): Promise<ScanForPayErrorEvent> {
  const seen = oneEvent(el, 'scanforpay-error');
  act();
  const event = await seen;
  await el.updateComplete;
  return event;
}

describe('<scanforpay-button>', () => {
  describe("in the shopper's context", () => {
    it('asks the proxy for the offer in its language and pointer, and shows wallet tiles', async () => {
      const t = newTag();
      const { el } = await ready(`offer-social~${t}`, 'lang="zh-HK"');
      const [get] = await requests(t);
      expect(get.query).to.equal('lang=zh-HK&coarse=0&context=&wallets=&amount=');
      const tiles = [...el.shadowRoot!.querySelectorAll('[part="wallet"]')];
      expect(tiles.map((tile) => text(tile))).to.deep.equal([
        '支付寶Mainland China wallet',
        '微信支付In the WeChat app',
      ]);
      expect(tiles.map((tile) => new URL(tile.querySelector('img')!.src).pathname)).to.deep.equal([
        '/wallets/Alipay.svg',
        '/wallets/Wechat.svg',
      ]);
      for (const tile of tiles) expect(tile.getBoundingClientRect().height).to.be.at.least(44);
      expect(getComputedStyle(tiles[0]!).cursor).to.equal('pointer');
      // The chosen tile is marked by its border, in the button's colour.
      expect(getComputedStyle(tiles[0]!).borderColor).to.equal('rgb(10, 88, 202)');
      expect(getComputedStyle(tiles[1]!).borderColor).to.not.equal('rgb(10, 88, 202)');
      const notice = part(el, 'notice')!;
      expect(notice.getAttribute('role')).to.equal('note');
      expect(text(notice)).to.equal('Open this page in your browser. Copy link');
      await expect(el).to.be.accessible();
    });

    it('sends the context the proxy read, and a context the page sets', async () => {
      const t = newTag();
      const { el } = await ready(`offer-social~${t}`, 'context="wechat"');
      const { order } = await pay(el);
      expect(order.detail.orderId).to.match(/^ord/);
      const [get, post] = await requests(t);
      expect(get.query).to.equal('lang=en&coarse=0&context=wechat&wallets=&amount=');
      // The fake answers as from a social app whatever the page says: the order carries its word.
      expect(post.body!.context).to.equal('social');
    });
  });

  describe('when the item has a fixed price', () => {
    it('loads the item, shows its price and wallets, and fires scanforpay-ready', async () => {
      const t = newTag();
      const { el, event } = await ready(`tee-red~${t}`);
      expect(event).to.be.instanceOf(ScanForPayReadyEvent);
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail).to.deep.equal({
        item: {
          id: `tee-red~${t}`,
          title: 'Red tee',
          currency: 'HKD',
          wallets: ['AlipayHK', 'Alipay', 'Wechat'],
          amount: 19900,
          digits: 2,
          names: { Alipay: 'Alipay', AlipayHK: 'AlipayHK', Wechat: 'WeChat Pay' },
          pay: {
            Alipay: 'Pay with Alipay',
            AlipayHK: 'Pay with AlipayHK',
            Wechat: 'Pay with WeChat Pay',
          },
          method: 'Payment method',
          warnings: [],
          css: event.detail.item.css,
        },
      });
      // The offer's parts come with their styles (the proxy's), adopted by the element.
      expect(event.detail.item.css).to.contain('[part=wallet]{cursor:pointer}');
      expect(el.shadowRoot!.adoptedStyleSheets).to.have.length(3);
      expect(text(part(el, 'price'))).to.equal('HK$199.00');
      expect(text(part(el, 'label'))).to.equal('Pay with AlipayHK');
      expect(labels(el)).to.deep.equal(['AlipayHK', 'Alipay', 'WeChat Pay']);
      expect(radios(el).map((r) => r.checked)).to.deep.equal([true, false, false]);
      const group = part(el, 'wallets')!;
      expect(group.getAttribute('role')).to.equal('radiogroup');
      expect(group.getAttribute('aria-label')).to.equal('Payment method');
      expect(button(el).type).to.equal('button');
      expect(button(el).disabled).to.equal(false);
      expect(button(el).getAttribute('aria-busy')).to.equal('false');
      expect(await requests(t)).to.deep.equal([
        {
          method: 'GET',
          path: `/items/tee-red~${t}`,
          query: 'lang=en&coarse=0&context=&wallets=&amount=',
          alt: false,
          host: location.host,
          origin: '',
        },
      ]);
      await expect(el).to.be.accessible();
    });

    it('shows a busy, disabled button while the item loads', async () => {
      const t = newTag();
      const el = await fixture<ScanForPayButton>(
        html`<scanforpay-button item="held-item~${t}"></scanforpay-button>`,
      );
      expect(button(el).disabled).to.equal(true);
      expect(button(el).getAttribute('aria-busy')).to.equal('true');
      expect(part(el, 'spinner')).not.to.equal(null);
      expect(text(part(el, 'label'))).to.equal('Pay');
      await expect(el).to.be.accessible();
      const seen = oneEvent(el, 'scanforpay-ready');
      await release(t);
      await seen;
      await el.updateComplete;
      expect(button(el).disabled).to.equal(false);
      expect(part(el, 'spinner')).to.equal(null);
    });

    it('creates exactly one order per click, with an Idempotency-Key, then redirects', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`);
      const { order, redirect } = await pay(el);
      const [post] = await orderPosts(t);
      expect(await orderPosts(t)).to.have.length(1);
      expect(post!.body).to.deep.equal({ item: `tee-red~${t}`, wallet: 'AlipayHK' });
      expect(post!.contentType).to.equal('application/json');
      expect(post!.idempotencyKey).to.match(IDEMPOTENCY_KEY);
      const orderId = (order.detail as { orderId: string }).orderId;
      expect(order).to.be.instanceOf(ScanForPayOrderEvent);
      expect(order.detail).to.deep.equal({
        orderId,
        payUrl: `https://pay.example/cashier/${orderId}`,
      });
      expect(redirect).to.be.instanceOf(ScanForPayRedirectEvent);
      expect(redirect.cancelable && redirect.bubbles && redirect.composed).to.equal(true);
      expect(redirect.detail).to.deep.equal({
        orderId,
        payUrl: `https://pay.example/cashier/${orderId}`,
        target: '_self',
      });
    });

    it('ignores a second activation while the order is in flight', async () => {
      const t = newTag();
      const { el } = await ready(`held-order-tee-red~${t}`);
      const redirect = oneEvent(el, 'scanforpay-redirect');
      button(el).click();
      button(el).click();
      await el.updateComplete;
      expect(button(el).disabled).to.equal(true);
      expect(button(el).getAttribute('aria-busy')).to.equal('true');
      expect(part(el, 'spinner')).not.to.equal(null);
      expect(radios(el).every((r) => r.disabled)).to.equal(true);
      await expect(el).to.be.accessible();
      button(el).click();
      await release(t);
      await redirect;
      await el.updateComplete;
      expect(await orderPosts(t)).to.have.length(1);
      expect(button(el).disabled).to.equal(false);
      expect(button(el).getAttribute('aria-busy')).to.equal('false');
    });

    it("shows the proxy's words, and the pay button makes a new attempt with a new Idempotency-Key", async () => {
      const t = newTag();
      const { el } = await ready(`flaky-tee-red~${t}`);
      const error = await failure(el, () => button(el).click());
      expect(error.detail).to.deep.equal({
        code: 'gateway_error',
        message: 'message of gateway_error (en)',
        status: 502,
      });
      const alert = part(el, 'error')!;
      expect(alert.getAttribute('role')).to.equal('alert');
      // The shopper's words only: the merchant's detail is for the console.
      expect(text(alert)).to.equal('message of gateway_error (en)');
      expect(button(el).disabled).to.equal(false);
      await expect(el).to.be.accessible();
      const order = oneEvent(el, 'scanforpay-order');
      button(el).click();
      await order;
      await el.updateComplete;
      const posts = await orderPosts(t);
      expect(posts).to.have.length(2);
      expect(posts[1]!.idempotencyKey).to.match(IDEMPOTENCY_KEY);
      expect(posts[1]!.idempotencyKey).not.to.equal(posts[0]!.idempotencyKey);
      expect(part(el, 'error')).to.equal(null);
    });
  });

  describe('when attributes are set', () => {
    it('preselects `wallet` and orders with it', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`, 'wallet="Wechat"');
      expect(radios(el).map((r) => r.checked)).to.deep.equal([false, false, true]);
      expect(text(part(el, 'label'))).to.equal('Pay with WeChat Pay');
      await pay(el);
      expect((await orderPosts(t))[0]!.body!.wallet).to.equal('Wechat');
    });

    it("sends `wallets` to the proxy and offers the subset it answers, in the item's order", async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`, 'wallets="Wechat, Alipay"');
      expect(labels(el)).to.deep.equal(['Alipay', 'WeChat Pay']);
      const [get] = await requests(t);
      expect(get.query).to.equal('lang=en&coarse=0&context=&wallets=Wechat+Alipay&amount=');
    });

    it("prints the proxy's warnings about its attributes in the console, once", async () => {
      const warned = captureWarnings();
      const t = newTag();
      await ready(`tee-red~${t}`, 'wallets="wechat Alipay"');
      await ready(`tee-red~${t}`, 'wallets="wechat Alipay"');
      warned.stop();
      expect(warned.lines).to.deep.equal(['<scanforpay-button> wallets="wechat Alipay": warning']);
    });

    it('shows no wallet choice when one wallet is offered', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`, 'wallets="Alipay"');
      expect(part(el, 'wallets')).to.equal(null);
      expect(text(part(el, 'label'))).to.equal('Pay with Alipay');
      await expect(el).to.be.accessible();
      await pay(el);
      expect((await orderPosts(t))[0]!.body!.wallet).to.equal('Alipay');
    });

    it('multiplies the price by `quantity` and sends it', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`, 'quantity="3"');
      expect(text(part(el, 'price'))).to.equal('HK$597.00');
      await pay(el);
      expect((await orderPosts(t))[0]!.body).to.deep.equal({
        item: `tee-red~${t}`,
        wallet: 'AlipayHK',
        quantity: 3,
      });
    });

    it('sends `token` and `reference`', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`, 'token="tok.abc" reference="cart-42"');
      await pay(el);
      expect((await orderPosts(t))[0]!.body).to.deep.equal({
        item: `tee-red~${t}`,
        wallet: 'AlipayHK',
        token: 'tok.abc',
        reference: 'cart-42',
      });
    });

    it('talks to `endpoint`, with or without a trailing slash', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`, `endpoint="${location.origin}/alt/"`);
      await pay(el);
      const log = await requests(t);
      expect(log.map((r) => [r.method, r.path])).to.deep.equal([
        ['GET', `/alt/items/tee-red~${t}`],
        ['POST', '/alt/orders'],
      ]);
    });

    it('reloads the item when `item` changes', async () => {
      const [a, b] = [newTag(), newTag()];
      const { el } = await ready(`tee-red~${a}`);
      const seen = oneEvent(el, 'scanforpay-ready');
      el.item = `jpy-item~${b}`;
      await seen;
      await el.updateComplete;
      expect(text(part(el, 'price'))).to.equal('¥500');
      expect(await requests(b)).to.have.length(1);
    });

    it('does nothing when `disabled`', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`, 'disabled');
      expect(button(el).disabled).to.equal(true);
      expect(radios(el).every((r) => r.disabled)).to.equal(true);
      button(el).click();
      el.shadowRoot!.querySelector<HTMLElement>('[part=label]')!.click();
      await el.updateComplete;
      // A pay turns the button busy before its request goes out: none started.
      expect(button(el).getAttribute('aria-busy')).to.equal('false');
      expect(await orderPosts(t)).to.have.length(0);
      await expect(el).to.be.accessible();
      el.disabled = false;
      await el.updateComplete;
      expect(button(el).disabled).to.equal(false);
      expect(el.hasAttribute('disabled')).to.equal(false);
    });

    it('opens the pay page in a new tab with `target="_blank"`', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`, 'target="_blank"');
      const opened: unknown[][] = [];
      const tab = { opener: window as Window | null };
      const original = window.open;
      window.open = ((...args: unknown[]) => {
        opened.push(args);
        return tab;
      }) as typeof window.open;
      try {
        const { redirect } = await pay(el);
        await el.updateComplete;
        const { payUrl } = redirect.detail as { payUrl: string };
        expect((redirect.detail as { target: string }).target).to.equal('_blank');
        expect(opened).to.deep.equal([[payUrl, '_blank']]);
        expect(tab.opener).to.equal(null);
        expect(button(el).disabled).to.equal(false);
      } finally {
        window.open = original;
      }
    });

    it('lets the label be replaced through the `label` slot', async () => {
      const seen = oneEvent(document, 'scanforpay-ready');
      const el = await fixture<ScanForPayButton>(
        html`<scanforpay-button item="tee-red~${newTag()}"
          ><span slot="label">Buy the red tee</span></scanforpay-button
        >`,
      );
      await seen;
      const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name=label]')!;
      expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal(['Buy the red tee']);
      await expect(el).to.be.accessible();
    });
  });

  describe('when used with the keyboard only', () => {
    it('tabs to the wallets, changes them with arrows, and pays with Enter', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`);
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(radios(el)[0]);
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(radios(el)[1]!.checked).to.equal(true);
      expect(text(part(el, 'label'))).to.equal('Pay with Alipay');
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(button(el));
      const redirect = oneEvent(el, 'scanforpay-redirect');
      await sendKeys({ press: 'Enter' });
      await redirect;
      const posts = await orderPosts(t);
      expect(posts.map((p) => p.body!.wallet)).to.deep.equal(['Alipay']);
    });

    it('pays with Space, once', async () => {
      const t = newTag();
      const { el } = await ready(`tee-one~${t}`);
      el.focus();
      expect(el.shadowRoot!.activeElement).to.equal(button(el));
      const redirect = oneEvent(el, 'scanforpay-redirect');
      await sendKeys({ press: 'Space' });
      await redirect;
      await el.updateComplete;
      // sendKeys resolves once the page has handled the key, so every activation it caused has
      // run: one more pay would be in flight (busy) or done (a second POST).
      expect(button(el).getAttribute('aria-busy')).to.equal('false');
      expect(await orderPosts(t)).to.have.length(1);
    });
  });

  describe('when the item has an open amount', () => {
    it('shows an amount field that validates as the shopper types, the button disabled until valid', async () => {
      const t = newTag();
      const { el } = await ready(`donation~${t}`);
      const field = el.shadowRoot!.querySelector<HTMLInputElement>('[part="amount"] input')!;
      const range = part(el, 'range')!;
      expect(text(part(el, 'amount'))).to.equal(
        'AmountEnter an amount from HK$10.00 to HK$5,000.00.',
      );
      expect(field.getAttribute('aria-describedby')).to.equal(range.id);
      expect(field.getAttribute('aria-invalid')).to.equal('false');
      expect(field.inputMode).to.equal('decimal');
      expect(button(el).disabled).to.equal(true);
      expect(text(part(el, 'price'))).to.equal('');
      await expect(el).to.be.accessible();

      field.focus();
      await sendKeys({ type: '5' });
      await el.updateComplete;
      expect(field.getAttribute('aria-invalid')).to.equal('true');
      expect(range.getAttribute('part')).to.equal('range invalid');
      // Marked in the error colour, the field's border too (over its own grey border).
      expect(getComputedStyle(range).color).to.equal('rgb(197, 34, 31)');
      expect(getComputedStyle(field).borderTopColor).to.equal('rgb(197, 34, 31)');
      expect(button(el).disabled).to.equal(true);
      await expect(el).to.be.accessible();
      button(el).click();

      await sendKeys({ type: '0.5' });
      await el.updateComplete;
      expect(field.value).to.equal('50.5');
      expect(field.getAttribute('aria-invalid')).to.equal('false');
      expect(range.getAttribute('part')).to.equal('range');
      expect(getComputedStyle(field).borderTopColor).not.to.equal('rgb(197, 34, 31)');
      expect(button(el).disabled).to.equal(false);
      expect(text(part(el, 'price'))).to.equal('HK$50.50');
      await pay(el);
      expect((await orderPosts(t)).map((p) => p.body!.amount)).to.deep.equal([5050]);
    });

    it('shows a suggested amount a script sets as the property in the field', async () => {
      const { el } = await ready(`donation~${newTag()}`);
      el.amount = 30000;
      await el.updateComplete;
      const field = el.shadowRoot!.querySelector<HTMLInputElement>('[part="amount"] input')!;
      expect(field.value).to.equal('300.00');
      expect(text(part(el, 'price'))).to.equal('HK$300.00');
    });

    for (const amount of ['999', '500001', '1500.5', 'ten']) {
      it(`keeps the button disabled for amount="${amount}" and sends nothing`, async () => {
        const t = newTag();
        const { el } = await ready(`donation~${t}`, `amount="${amount}"`);
        // The page's own amount: no field of the element's.
        expect(part(el, 'amount')).to.equal(null);
        expect(button(el).disabled).to.equal(true);
        button(el).click();
        await el.updateComplete;
        expect(await orderPosts(t)).to.have.length(0);
        const [get] = await requests(t);
        expect(new URLSearchParams(get.query).get('amount')).to.equal(amount);
      });
    }

    it('sends an amount within the bounds, in minor units', async () => {
      const t = newTag();
      const { el } = await ready(`donation~${t}`, 'amount="2500"');
      expect(text(part(el, 'price'))).to.equal('HK$25.00');
      await pay(el);
      expect((await orderPosts(t))[0]!.body).to.deep.equal({
        item: `donation~${t}`,
        wallet: 'AlipayHK',
        amount: 2500,
      });
    });

    it('accepts the exact bounds', async () => {
      const t = newTag();
      const { el } = await ready(`donation~${t}`, 'amount="1000"');
      await pay(el);
      el.amount = 500000;
      await el.updateComplete;
      expect(text(part(el, 'price'))).to.equal('HK$5,000.00');
      await pay(el);
      expect((await orderPosts(t)).map((p) => p.body!.amount)).to.deep.equal([1000, 500000]);
    });
  });

  describe('when the network or the proxy fails', () => {
    it("shows item_not_found in the shopper's words and the fix in the console, without a retry", async () => {
      const t = newTag();
      const warned = captureWarnings();
      const { el, event } = await renderUntil<ScanForPayButton>(
        html`<scanforpay-button item="missing~${t}"></scanforpay-button>`,
        'scanforpay-error',
      );
      warned.stop();
      await el.updateComplete;
      expect(event).to.be.instanceOf(ScanForPayErrorEvent);
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail).to.deep.equal({
        code: 'item_not_found',
        message: 'message of item_not_found (en)',
        status: 404,
      });
      expect(text(part(el, 'error'))).to.equal('message of item_not_found (en)');
      expect(part(el, 'retry')).to.equal(null);
      expect(warned.lines).to.deep.equal([
        `<scanforpay-button> item_not_found: GET ${location.origin}/items/missing~${t}?lang=en&coarse=0&context=&wallets=&amount=: detail of item_not_found`,
      ]);
      expect(button(el).disabled).to.equal(true);
      expect(button(el).getAttribute('aria-busy')).to.equal('false');
      await expect(el).to.be.accessible();
      expect(await requests(t)).to.have.length(1);
    });

    it('reports a missing item: the proxy says why', async () => {
      const warned = captureWarnings();
      const { el, event } = await renderUntil<ScanForPayButton>(
        html`<scanforpay-button></scanforpay-button>`,
        'scanforpay-error',
      );
      warned.stop();
      expect(event.detail.code).to.equal('item_not_found');
      expect(warned.lines[0]).to.match(
        /^<scanforpay-button> item_not_found: GET .*\/items\/\?lang=en.*: no item id$/,
      );
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('Pay');
      expect(button(el).disabled).to.equal(true);
    });

    it("reports an answer that is not the proxy's as http_error: endpoint must be the proxy", async () => {
      const t = newTag();
      const warned = captureWarnings();
      const { event } = await renderUntil<ScanForPayButton>(
        html`<scanforpay-button item="broken~${t}"></scanforpay-button>`,
        'scanforpay-error',
      );
      warned.stop();
      expect(event.detail).to.deep.equal({
        code: 'http_error',
        message: 'Can’t reach the shop. No money was taken.',
        status: 500,
      });
      expect(warned.lines[0]).to.match(
        /^<scanforpay-button> http_error: GET .*\/items\/broken~.*: 500, not the proxy's answer; endpoint must be the origin of a running proxy$/,
      );
      // A 5xx may pass: the element asks again by itself.
      await waitUntil(async () => (await requests(t)).length > 1, '', { timeout: 4000 });
    });

    it('reports no connection while loading as network_error and asks again by itself', async () => {
      const t = newTag();
      const { el, event } = await renderUntil<ScanForPayButton>(
        html`<scanforpay-button item="net-down-tee-red~${t}" lang="zh-HK"></scanforpay-button>`,
        'scanforpay-error',
      );
      expect(event.detail).to.deep.equal({
        code: 'network_error',
        message: '無法連線到商店，未有扣款。',
      });
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal('無法連線到商店，未有扣款。');
      await expect(el).to.be.accessible();
      await waitUntil(async () => (await requests(t)).length > 1, '', { timeout: 4000 });
      // The message stays up while it asks again.
      expect(text(part(el, 'error'))).to.equal('無法連線到商店，未有扣款。');
    });

    const problems: [string, Record<string, unknown>][] = [
      [
        'rate-limited',
        { code: 'rate_limited', message: 'message of rate_limited (en)', status: 429 },
      ],
      [
        'gateway-down',
        { code: 'gateway_error', message: 'message of gateway_error (en)', status: 502 },
      ],
      [
        'bad-token',
        { code: 'invalid_token', message: 'message of invalid_token (en)', status: 422 },
      ],
      [
        'wallet-refused',
        { code: 'wallet_not_allowed', message: 'message of wallet_not_allowed (en)', status: 422 },
      ],
    ];
    for (const [item, detail] of problems) {
      it(`shows ${String(detail.code)} from order creation (${item}) in the proxy's words and stays usable`, async () => {
        const t = newTag();
        const { el } = await ready(`${item}~${t}`);
        let redirected = false;
        el.addEventListener('scanforpay-redirect', () => (redirected = true));
        const error = await failure(el, () => button(el).click());
        expect(error.detail).to.deep.equal(detail);
        expect(text(part(el, 'error'))).to.equal(detail.message);
        expect(redirected).to.equal(false);
        expect(button(el).disabled).to.equal(false);
        expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
        const [post] = await orderPosts(t);
        expect(post!.path).to.equal('/orders');
        expect(await orderPosts(t)).to.have.length(1);
      });
    }

    for (const item of ['unsafe-pay-tee-red', 'foreign-pay-tee-red']) {
      it(`refuses an unsafe payUrl (${item}) without order or redirect events`, async () => {
        const { el } = await ready(`${item}~${newTag()}`);
        const events: string[] = [];
        el.addEventListener('scanforpay-order', () => events.push('order'));
        el.addEventListener('scanforpay-redirect', () => events.push('redirect'));
        const error = await failure(el, () => button(el).click());
        expect(error.detail).to.deep.equal({
          code: 'invalid_pay_url',
          message: 'Can’t reach the shop. No money was taken.',
        });
        expect(events).to.deep.equal([]);
      });
    }

    it('reports wallet_not_allowed when the proxy leaves none of `wallets`', async () => {
      const { el, event } = await renderUntil<ScanForPayButton>(
        html`<scanforpay-button item="no-wallet~${newTag()}" wallets="Wechat"></scanforpay-button>`,
        'scanforpay-error',
      );
      await el.updateComplete;
      expect(event.detail).to.deep.equal({
        code: 'wallet_not_allowed',
        message: 'message of wallet_not_allowed (en)',
        status: 422,
      });
      expect(button(el).disabled).to.equal(true);
    });
  });

  describe('when the merchant sets strings', () => {
    it("shows the merchant's words in place of the proxy's (JSON attribute; a map replaces the map)", async () => {
      const t = newTag();
      const strings = { method: 'How to pay', names: { Alipay: 'Alipay CN', Wechat: 'WeChat' } };
      const { el } = await ready(
        `offer-social~${t}`,
        `lang="zh-HK" strings='${JSON.stringify(strings)}'`,
      );
      expect(part(el, 'wallets')!.getAttribute('aria-label')).to.equal('How to pay');
      // The names are the merchant's; the hints still the proxy's, in the shopper's language.
      expect(labels(el)).to.deep.equal([
        'Alipay CNMainland China wallet',
        'WeChatIn the WeChat app',
      ]);
      await expect(el).to.be.accessible();
    });

    it("says a problem in the merchant's words by its code, and the proxy's for the others", async () => {
      const t = newTag();
      const { el } = await ready(`flaky-tee-red~${t}`);
      el.strings = { errors: { gateway_error: 'Our payment partner is busy.' } };
      const error = await failure(el, () => button(el).click());
      expect(error.detail).to.deep.equal({
        code: 'gateway_error',
        message: 'Our payment partner is busy.',
        status: 502,
      });
      expect(text(part(el, 'error'))).to.equal('Our payment partner is busy.');
    });

    it("says the merchant's offline words when the shop cannot be reached", async () => {
      const t = newTag();
      const { el, event } = await renderUntil<ScanForPayButton>(
        html`<scanforpay-button
          item="net-down-tee-red~${t}"
          .strings=${{ offline: 'No connection. Nothing was charged.' }}
        ></scanforpay-button>`,
        'scanforpay-error',
      );
      expect(event.detail).to.deep.equal({
        code: 'network_error',
        message: 'No connection. Nothing was charged.',
      });
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal('No connection. Nothing was charged.');
    });
  });

  describe('when a redirect is cancelled', () => {
    it('stays on the page and becomes usable again', async () => {
      const t = newTag();
      const { el } = await ready(`tee-red~${t}`);
      const href = location.href;
      el.addEventListener('scanforpay-redirect', (e) => e.preventDefault());
      const { redirect } = await pay(el);
      await el.updateComplete;
      expect(redirect.defaultPrevented).to.equal(true);
      expect(location.href).to.equal(href);
      expect(button(el).disabled).to.equal(false);
      expect(button(el).getAttribute('aria-busy')).to.equal('false');
    });
  });

  describe('when the language is set', () => {
    it('uses Traditional Chinese for lang="zh-HK" on the element', async () => {
      const { el } = await ready(`tee-red~${newTag()}`, 'lang="zh-HK"');
      expect(text(part(el, 'label'))).to.equal('使用支付寶香港付款');
      expect(text(part(el, 'price'))).to.equal('HK$199.00');
      expect(labels(el)).to.deep.equal(['支付寶香港', '支付寶', '微信支付']);
      expect(part(el, 'wallets')!.getAttribute('aria-label')).to.equal('付款方式');
      await expect(el).to.be.accessible();
    });

    it('uses Simplified Chinese from the nearest ancestor with lang="zh-CN"', async () => {
      const seen = oneEvent(document, 'scanforpay-ready');
      const wrapper = await fixture(
        html`<div lang="zh-CN">
          <p><scanforpay-button item="tee-red~${newTag()}"></scanforpay-button></p>
        </div>`,
      );
      await seen;
      const el = wrapper.querySelector('scanforpay-button')!;
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('使用支付宝香港支付');
      expect(labels(el)).to.deep.equal(['支付宝香港', '支付宝', '微信支付']);
    });

    it('finds the language across a shadow root', async () => {
      const host = await fixture(html`<div lang="zh-HK"></div>`);
      const root = host.attachShadow({ mode: 'open' });
      const seen = oneEvent(host, 'scanforpay-ready');
      root.innerHTML = `<section><scanforpay-button item="tee-red~${newTag()}"></scanforpay-button></section>`;
      await seen;
      const el = root.querySelector('scanforpay-button')!;
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('使用支付寶香港付款');
    });

    it('treats zh-TW and zh-Hant as Traditional, other languages as English', async () => {
      const { el } = await ready(`tee-red~${newTag()}`, 'lang="zh-Hant-TW"');
      expect(text(part(el, 'label'))).to.equal('使用支付寶香港付款');
      // The words come with the item: a new language asks the proxy again.
      for (const [lang, label] of [
        ['fr', 'Pay with AlipayHK'],
        ['zh', '使用支付宝香港支付'],
      ]) {
        const reloaded = oneEvent(el, 'scanforpay-ready');
        el.lang = lang!;
        await reloaded;
        await el.updateComplete;
        expect(text(part(el, 'label'))).to.equal(label);
      }
    });

    it('shows RMB as CNY and formats by the currency fraction digits', async () => {
      const { el } = await ready(`rmb-item~${newTag()}`);
      expect(text(part(el, 'price'))).to.equal('CN¥123.45');
      const reloaded = oneEvent(el, 'scanforpay-ready');
      el.lang = 'zh-CN';
      await reloaded;
      await el.updateComplete;
      expect(text(part(el, 'price'))).to.equal('¥123.45');
      const { el: yen } = await ready(`jpy-item~${newTag()}`);
      expect(text(part(yen, 'price'))).to.equal('¥500');
    });

    it('asks the proxy for errors in the language, again when it changes', async () => {
      const { el, event } = await renderUntil<ScanForPayButton>(
        html`<scanforpay-button lang="zh-HK" item="missing~${newTag()}"></scanforpay-button>`,
        'scanforpay-error',
      );
      await el.updateComplete;
      expect(event.detail.message).to.equal('message of item_not_found (zh-HK)');
      expect(text(part(el, 'error'))).to.equal('message of item_not_found (zh-HK)');
      const again = oneEvent(el, 'scanforpay-error');
      el.lang = 'zh-CN';
      await again;
      await el.updateComplete;
      expect(text(part(el, 'error'))).to.equal('message of item_not_found (zh-CN)');
    });
  });

  describe('when inside a form', () => {
    it('never submits the form, by click or by Enter', async () => {
      const t = newTag();
      const seen = oneEvent(document, 'scanforpay-ready');
      const form = await fixture<HTMLFormElement>(
        html`<form action="/never" method="post">
          <input name="q" /><scanforpay-button item="tee-one~${t}"></scanforpay-button>
        </form>`,
      );
      await seen;
      let submits = 0;
      form.addEventListener('submit', (e) => {
        submits += 1;
        e.preventDefault();
      });
      const el = form.querySelector('scanforpay-button')!;
      await el.updateComplete;
      let redirect = oneEvent(el, 'scanforpay-redirect');
      button(el).click();
      await redirect;
      await el.updateComplete;
      el.focus();
      redirect = oneEvent(el, 'scanforpay-redirect');
      await sendKeys({ press: 'Enter' });
      await redirect;
      await el.updateComplete;
      // The key has been handled (an implicit submission would have fired by now), and no
      // third pay is in flight.
      expect(button(el).getAttribute('aria-busy')).to.equal('false');
      expect(submits).to.equal(0);
      expect(await orderPosts(t)).to.have.length(2);
    });
  });

  describe('when inside another shadow root', () => {
    it('works, and its events reach the outer document', async () => {
      const t = newTag();
      const host = await fixture(html`<div></div>`);
      const root = host.attachShadow({ mode: 'open' });
      const ready = oneEvent(host, 'scanforpay-ready');
      root.innerHTML = `<scanforpay-button item="tee-red~${t}"></scanforpay-button>`;
      await ready;
      const el = root.querySelector('scanforpay-button')!;
      await el.updateComplete;
      const outer = oneEvent(document, 'scanforpay-order');
      button(el).click();
      await outer;
      expect(await orderPosts(t)).to.have.length(1);
      await expect(el).to.be.accessible();
    });
  });

  describe('when styled', () => {
    afterEach(() => emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' }));

    it('exposes its parts', async () => {
      const t = newTag();
      const { el } = await ready(`held-order-tee-red~${t}`);
      expect(['button', 'label', 'price', 'wallets'].map((p) => !!part(el, p))).to.deep.equal([
        true,
        true,
        true,
        true,
      ]);
      const redirect = oneEvent(el, 'scanforpay-redirect');
      button(el).click();
      await el.updateComplete;
      expect(part(el, 'spinner')).not.to.equal(null);
      await release(t);
      await redirect;
    });

    it('takes colours, radius, font and size from --scanforpay-* properties', async () => {
      const { el } = await ready(
        `tee-one~${newTag()}`,
        'style="--scanforpay-background: rgb(1, 2, 3); --scanforpay-color: rgb(250, 250, 250); --scanforpay-radius: 3px; --scanforpay-font: monospace; --scanforpay-size: 60px"',
      );
      const style = getComputedStyle(button(el));
      expect(style.backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(style.color).to.equal('rgb(250, 250, 250)');
      expect(style.borderTopLeftRadius).to.equal('3px');
      expect(style.fontFamily).to.equal('monospace');
      expect(button(el).getBoundingClientRect().height).to.equal(60);
    });

    it('is light by default, dark only when the page or the theme attribute asks', async () => {
      const { el } = await ready(`tee-one~${newTag()}`);
      const colours = () => [
        getComputedStyle(button(el)).backgroundColor,
        getComputedStyle(button(el)).color,
      ];
      const light = ['rgb(10, 88, 202)', 'rgb(255, 255, 255)'];
      const dark = ['rgb(138, 180, 248)', 'rgb(11, 19, 32)'];
      expect(colours()).to.deep.equal(light);
      // The system alone does not make it dark: a page that never asked stays as designed.
      await emulateMedia({ colorScheme: 'dark' });
      expect(colours()).to.deep.equal(light);
      document.documentElement.style.colorScheme = 'light dark';
      expect(colours()).to.deep.equal(dark);
      el.setAttribute('theme', 'light');
      expect(colours()).to.deep.equal(light);
      document.documentElement.style.colorScheme = '';
      await emulateMedia({ colorScheme: 'light' });
      el.setAttribute('theme', 'dark');
      expect(colours()).to.deep.equal(dark);
    });

    it('stops the spinner for prefers-reduced-motion', async () => {
      const t = newTag();
      const el = await fixture<ScanForPayButton>(
        html`<scanforpay-button item="held-item~${t}"></scanforpay-button>`,
      );
      expect(getComputedStyle(part(el, 'spinner')!).animationName).to.equal('spin');
      await emulateMedia({ reducedMotion: 'reduce' });
      expect(getComputedStyle(part(el, 'spinner')!).animationName).to.equal('none');
      const seen = oneEvent(el, 'scanforpay-ready');
      await release(t);
      await seen;
    });
  });
});
