// The built script-tag bundle dist/scanforpay-button.js, loaded into real pages (iframes) the
// way a shop loads it: a bundler can break what the sources pass.
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { newTag, orderPosts, requests } from './helpers.js';

const BUNDLE = '/dist/scanforpay-button.js';

async function openFrame(src: string): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 640px; height: 360px';
  const loaded = oneEvent(frame, 'load');
  frame.src = src;
  document.body.append(frame);
  await loaded;
  return frame;
}

function addScript(doc: Document, src: string, type = ''): Promise<Event> {
  const script = doc.createElement('script');
  if (type) script.type = type;
  script.src = src;
  const loaded = new Promise<Event>((resolve, reject) => {
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
  });
  doc.body.append(script);
  return loaded;
}

/** Puts `markup` in the frame, loads the bundle and resolves once the button is ready. */
async function loadButton(frame: HTMLIFrameElement, markup: string, src = BUNDLE, type = '') {
  const doc = frame.contentDocument!;
  doc.body.innerHTML = markup;
  const ready = oneEvent(doc, 'scanforpay-ready');
  await addScript(doc, src, type);
  await ready;
  const el = doc.querySelector('scanforpay-button')!;
  await el.updateComplete;
  const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part=button]')!;
  return { doc, el, button };
}

function navigation(frame: HTMLIFrameElement): Promise<Event> {
  return oneEvent(frame, 'load');
}

/**
 * The URLs the frame starts navigating to. The Navigation API's `navigate` event fires
 * synchronously inside `location.assign()`, so a redirect shows up here at once, long before
 * the new page would load. (TypeScript's DOM library does not declare the API yet.)
 */
function navigationsOf(frame: HTMLIFrameElement): string[] {
  const urls: string[] = [];
  const { navigation } = frame.contentWindow as Window & { navigation: EventTarget };
  navigation.addEventListener('navigate', (event) => {
    urls.push((event as Event & { destination: { url: string } }).destination.url);
  });
  return urls;
}

afterEach(() => document.querySelectorAll('iframe').forEach((f) => f.remove()));

describe('the script-tag bundle', () => {
  describe('when loaded as a classic script', () => {
    it('creates exactly one order per click and lands on the payUrl', async () => {
      const t = newTag();
      const frame = await openFrame('/test/fixtures/page.html');
      const { button } = await loadButton(
        frame,
        `<scanforpay-button item="local-pay-tee-red~${t}"></scanforpay-button>`,
      );
      expect(button.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
        'Pay with AlipayHKHK$199.00',
      );
      const navigations = navigationsOf(frame);
      const left = navigation(frame);
      button.click();
      button.click();
      await left;
      const [post, ...more] = await orderPosts(t);
      expect(more).to.deep.equal([]);
      expect(post!.body).to.deep.equal({ item: `local-pay-tee-red~${t}`, wallet: 'AlipayHK' });
      const landed = frame.contentWindow!.location;
      expect(navigations).to.deep.equal([landed.href]);
      expect(landed.pathname).to.equal('/test/fixtures/cashier.html');
      expect(landed.search).to.match(/^\?order=ord\d{4}$/);
    });

    it('stays on the page when the redirect is cancelled', async () => {
      const t = newTag();
      const frame = await openFrame('/test/fixtures/page.html');
      const { doc, el, button } = await loadButton(
        frame,
        `<scanforpay-button item="local-pay-tee-red~${t}"></scanforpay-button>`,
      );
      const navigations = navigationsOf(frame);
      doc.addEventListener('scanforpay-redirect', (e) => e.preventDefault());
      const redirect = oneEvent(doc, 'scanforpay-redirect');
      button.click();
      expect((await redirect).defaultPrevented).to.equal(true);
      // The element goes (or not) in the same task as the event, then frees the button.
      await el.updateComplete;
      expect(button.disabled).to.equal(false);
      expect(navigations).to.deep.equal([]);
      expect(frame.contentWindow!.location.pathname).to.equal('/test/fixtures/page.html');
      expect(await orderPosts(t)).to.have.length(1);
    });
    it('stays busy while leaving, whatever pageshow the page itself fires, until it comes back from the cache', async () => {
      const t = newTag();
      const frame = await openFrame('/test/fixtures/page.html');
      const { el, button } = await loadButton(
        frame,
        `<scanforpay-button item="local-pay-tee-red~${t}"></scanforpay-button>`,
      );
      const win = frame.contentWindow as Window & { navigation: EventTarget };
      // Hold the page here as a slow network would: the element has gone, the cashier is not in.
      win.navigation.addEventListener('navigate', (event) => event.preventDefault());
      const redirect = oneEvent(el, 'scanforpay-redirect');
      button.click();
      await redirect;
      await el.updateComplete;
      expect(button.disabled).to.equal(true);
      // A page still loading fires its first pageshow late, after the click: no second order.
      win.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
      await el.updateComplete;
      expect(button.disabled).to.equal(true);
      button.click();
      button.click();
      await el.updateComplete;
      expect(await orderPosts(t)).to.have.length(1);
      // Back from the cashier through the back/forward cache: the shopper may pay again.
      win.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await el.updateComplete;
      expect(button.disabled).to.equal(false);
    });
  });

  describe('when loaded as a module script', () => {
    it('works the same', async () => {
      const t = newTag();
      const frame = await openFrame('/test/fixtures/page.html');
      const { button } = await loadButton(
        frame,
        `<scanforpay-button item="local-pay-tee-red~${t}" lang="zh-HK"></scanforpay-button>`,
        BUNDLE,
        'module',
      );
      expect(button.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
        '使用支付寶香港付款HK$199.00',
      );
      const left = navigation(frame);
      button.click();
      await left;
      expect(frame.contentWindow!.location.pathname).to.equal('/test/fixtures/cashier.html');
      expect(await orderPosts(t)).to.have.length(1);
    });
  });

  describe('when served from another origin than the page', () => {
    for (const type of ['', 'module']) {
      it(`defaults the endpoint to the script's origin (${type || 'classic'})`, async () => {
        const t = newTag();
        const scriptOrigin = `http://localhost:${location.port}`;
        const frame = await openFrame('/test/fixtures/page.html');
        const { doc, button } = await loadButton(
          frame,
          `<scanforpay-button item="tee-red~${t}"></scanforpay-button>`,
          `${scriptOrigin}${BUNDLE}`,
          type,
        );
        doc.addEventListener('scanforpay-redirect', (e) => e.preventDefault());
        const redirect = oneEvent(doc, 'scanforpay-redirect');
        button.click();
        await redirect;
        const log = await requests(t);
        expect(log.map((r) => [r.method, r.host, r.origin])).to.deep.equal([
          ['GET', `localhost:${location.port}`, location.origin],
          ['POST', `localhost:${location.port}`, location.origin],
        ]);
      });
    }
  });

  describe('when the element is not defined yet', () => {
    it('shows the light-DOM fallback, then the element at the same height', async () => {
      const t = newTag();
      const frame = await openFrame('/test/fixtures/page.html');
      const doc = frame.contentDocument!;
      doc.body.innerHTML = `<scanforpay-button item="tee-one~${t}">
          <form action="/checkout" method="post">
            <input type="hidden" name="item" value="tee-one~${t}" />
            <input type="hidden" name="wallet" value="AlipayHK" />
            <button type="submit">Pay with AlipayHK</button>
          </form>
        </scanforpay-button>`;
      const host = doc.querySelector('scanforpay-button')!;
      const form = doc.querySelector('form')!;
      const before = host.getBoundingClientRect().height;
      expect(form.getClientRects().length).to.equal(1);
      expect(before).to.equal(44);
      const ready = oneEvent(doc, 'scanforpay-ready');
      await addScript(doc, BUNDLE);
      await ready;
      await host.updateComplete;
      expect(form.getClientRects().length).to.equal(0);
      expect(host.getBoundingClientRect().height).to.equal(before);
    });

    it('has a fallback form that orders without JavaScript', async () => {
      const t = newTag();
      const frame = await openFrame('/test/fixtures/page.html');
      const doc = frame.contentDocument!;
      doc.body.innerHTML = `<scanforpay-button item="tee-one~${t}">
          <form action="/checkout" method="post">
            <input type="hidden" name="item" value="tee-one~${t}" />
            <input type="hidden" name="wallet" value="AlipayHK" />
            <button type="submit">Pay with AlipayHK</button>
          </form>
        </scanforpay-button>`;
      const left = navigation(frame);
      doc.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      await left;
      expect(frame.contentWindow!.location.pathname).to.equal('/test/fixtures/cashier.html');
      expect((await requests(t)).map((r) => [r.path, r.form])).to.deep.equal([
        ['/checkout', { item: `tee-one~${t}`, wallet: 'AlipayHK' }],
      ]);
    });
  });

  describe('when the page has a strict CSP', () => {
    it('renders styled and orders without any violation', async () => {
      const t = newTag();
      const frame = await openFrame('/test/fixtures/csp-page.html');
      const doc = frame.contentDocument!;
      const violations: string[] = [];
      doc.addEventListener('securitypolicyviolation', (e) =>
        violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
      // Proof that the policy is on: an inline style attribute is refused.
      const probe = doc.createElement('div');
      probe.setAttribute('style', 'color: red');
      doc.body.append(probe);
      await waitUntil(() => violations.length === 1, 'the CSP did not refuse an inline style');
      probe.remove();
      violations.length = 0;

      const { button } = await loadButton(
        frame,
        `<scanforpay-button item="tee-red~${t}"></scanforpay-button>`,
      );
      expect(getComputedStyle(button).backgroundColor).to.equal('rgb(10, 88, 202)');
      doc.addEventListener('scanforpay-redirect', (e) => e.preventDefault());
      const redirect = oneEvent(doc, 'scanforpay-redirect');
      button.click();
      await redirect;
      expect(await orderPosts(t)).to.have.length(1);
      expect(violations).to.deep.equal([]);
    });
  });
});
