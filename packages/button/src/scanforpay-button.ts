import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { createOrder, getItem, type Item } from './api-client.js';
import { ApiError } from './api-error.js';
import { defaultEndpoint } from './default-endpoint.js';
import { dispatchError, warn } from './dispatch-error.js';
import { ScanForPayOrderEvent } from './events/scanforpay-order-event.js';
import { ScanForPayReadyEvent } from './events/scanforpay-ready-event.js';
import { ScanForPayRedirectEvent } from './events/scanforpay-redirect-event.js';
import { isSafePayUrl } from './is-safe-pay-url.js';
import { adoptOfferStyles, buttonStyles } from './scanforpay-button.styles.js';
import {
  amountPart,
  dialogPart,
  noticePart,
  priceText,
  walletsPart,
} from './scanforpay-button.parts.js';
import { toMinor } from './format-money.js';
import { BUTTON_OFFLINE, BUTTON_PAY, localeOf, type ButtonStrings } from './strings.js';
import { goToPay } from './go-to-pay.js';
import { idempotencyKey } from './idempotency-key.js';
import { walletList, type Wallet } from './wallets.js';

/**
 * A pay button for one item of the proxy's catalog: shows the price, lets the shopper pick a
 * wallet, creates exactly one order per activation and goes to the returned pay URL.
 *
 * @tag scanforpay-button
 *
 * @fires scanforpay-ready - The item is loaded and its price shown. `detail: {item}`.
 * @fires scanforpay-order - The proxy created the order. `detail: {orderId, payUrl}`.
 * @fires scanforpay-redirect - Cancelable, just before navigating. `detail: {orderId, payUrl, target}`.
 * @fires scanforpay-error - Loading or ordering failed. `detail: {code, message, status?}`.
 *
 * @slot label - Replaces the button's text ("Pay with AlipayHK").
 *
 * @csspart button - The pay button.
 * @csspart label - The button's text.
 * @csspart price - The formatted price inside the button.
 * @csspart spinner - The progress indicator while loading or ordering.
 * @csspart wallets - The wallet choice, shown when more than one wallet is offered.
 * @csspart error - The error message, in the proxy's words (the pay button tries again).
 * @csspart amount - The amount field of an open-amount item: its label, input and `range`.
 * @csspart range - The amount's bounds under the field; also `invalid` while it is not valid.
 *
 * @cssprop --scanforpay-background - Button and selected wallet background; also the focus ring.
 * @cssprop --scanforpay-color - Button and selected wallet text colour.
 * @cssprop --scanforpay-error-color - Error text colour (default: inherited).
 * @cssprop --scanforpay-radius - Corner radius.
 * @cssprop --scanforpay-font - Font family (default: inherited).
 * @cssprop --scanforpay-size - Minimum button height (default 2.75rem).
 */
export class ScanForPayButton extends LitElement {
  static override styles = buttonStyles;
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  // Declared without decorators: their helpers cost a tenth of the size budget.
  static override properties: PropertyDeclarations = {
    item: {},
    endpoint: {},
    wallet: {},
    wallets: { converter: walletList },
    quantity: { type: Number },
    amount: { type: Number },
    token: {},
    reference: {},
    lang: { reflect: true },
    disabled: { type: Boolean, reflect: true },
    target: {},
    context: {},
    dialog: {},
    strings: { type: Object },
    _item: { state: true },
    _open: { state: true },
    _busy: { state: true },
    _error: { state: true },
    _typed: { state: true },
  };

  /** The catalog item id. Required. */
  item = '';

  /** The proxy's base URL. Default: the origin that served the script-tag bundle, else the page's. */
  endpoint?: string;

  /** The preselected wallet: `Alipay`, `AlipayHK` or `Wechat`. */
  wallet?: string;

  /** The wallets to offer, separated by spaces or commas; default: all the item allows. */
  wallets?: Wallet[];

  /** How many of the item to order. */
  quantity?: number;

  /**
   * For open-amount items: the amount, an integer in minor units (cents), within the item's
   * bounds. Without this attribute the element shows an amount field for the shopper; a script
   * may still set the property (suggested amounts) and the field follows.
   */
  amount?: number;

  /** A checkout token signed by the merchant's backend, passed to the proxy. */
  token?: string;

  /** The merchant's own reference, passed to the proxy. */
  reference?: string;

  /** The language of the element's strings; default: the nearest ancestor's `lang`. */
  declare lang: string;

  /** Prevents ordering. */
  disabled = false;

  /** `_self` to go to the pay page in this tab, `_blank` for a new tab. */
  target: '_self' | '_blank' = '_self';

  /**
   * Where the shopper is: `desktop`, `mobile`, `wechat`, `alipay` or `social` (in-app). Default:
   * the proxy reads the user agent, and whether the page's pointer is coarse (a touch screen).
   */
  context?: string;

  /** `off`: go to the pay page on a computer too, not the "pay on your phone" QR dialog. */
  dialog?: string;

  /**
   * Your words in place of the proxy's (or the element's own "can't reach the shop"): any of
   * them, in the page's language; as an attribute, JSON (`strings='{"close":"Done"}'`). The
   * button's text is also the `label` slot.
   */
  strings?: ButtonStrings;

  private _item?: Item;
  private _busy = false;
  private _error?: ApiError;
  private _open?: { orderId: string; payUrl: string };
  /** The amount field's text while the shopper types (else the field shows `amount`). */
  private _typed?: string;
  #loads = 0;
  /** Milliseconds before the item is asked for again after no answer. */
  #wait = 1e3;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (['item', 'endpoint', 'wallets', 'lang'].some((key) => changed.has(key as 'lang'))) {
      void this.#load();
    }
  }

  #endpoint(): string {
    return this.endpoint || defaultEndpoint();
  }

  /** The chosen wallet: the `wallet` attribute's if offered, else the first offered. */
  #wallet(): Wallet | undefined {
    const offered = this._item?.wallets ?? [];
    return offered.find((w) => w === this.wallet) ?? offered[0];
  }

  /** The unit price in minor units: the item's, or for an open item `amount` when within bounds. */
  #unit(): number | undefined {
    const { amount, min = 0, max = 0 } = this._item ?? {};
    const open = this.amount ?? NaN;
    return amount ?? (Number.isInteger(open) && open >= min && open <= max ? open : undefined);
  }

  /**
   * Asks the proxy for the item as this shopper sees it: the offer for their context, in their
   * language, with the page's `wallets` and `amount` checked (the proxy's `warnings` go to the
   * console; a missing item or no wallet left comes back as a problem).
   */
  async #load(again?: boolean): Promise<void> {
    const load = ++this.#loads;
    this._item = undefined;
    // A retry keeps the message up while it asks again.
    if (!again) this._error = undefined;
    try {
      const item = await getItem(this.#endpoint(), this.item, {
        lang: localeOf(this),
        coarse: '' + +matchMedia('(pointer:coarse)').matches,
        context: this.context ?? '',
        wallets: this.wallets?.join(' ') ?? '',
        amount: this.getAttribute('amount') ?? '',
      });
      if (load !== this.#loads) return;
      this._item = item;
      this._error = undefined;
      adoptOfferStyles(this.renderRoot as ShadowRoot, item.css);
      this.#wait = 1e3;
      item.warnings?.map((line) => warn(this, line));
      await this.updateComplete;
      this.dispatchEvent(new ScanForPayReadyEvent(item));
    } catch (error) {
      if (load !== this.#loads) return;
      // No answer, or a busy proxy: ask again by itself, each wait twice the last, up to 30 s.
      if ((this._error = dispatchError(this, error, BUTTON_OFFLINE[localeOf(this)])).passing) {
        this.#wait = Math.min(this.#wait * 2, 3e4);
        const again = () => load == this.#loads && this.isConnected && void this.#load(true);
        setTimeout(again, this.#wait);
      }
    }
  }

  async #pay(): Promise<void> {
    const item = this._item;
    const wallet = this.#wallet();
    if (this._busy || this.disabled || !item || !wallet) return;
    this._busy = true;
    this._error = undefined;
    let leaving = false;
    try {
      const unit = this.#unit()!;
      // Undefined members are left out of the JSON body.
      const order = {
        item: item.id,
        wallet,
        quantity: this.quantity,
        amount: item.amount === undefined ? unit : undefined,
        token: this.token || undefined,
        reference: this.reference || undefined,
        context: item.context,
      };
      const { orderId, payUrl } = await createOrder(
        this.#endpoint(),
        order,
        idempotencyKey(),
        localeOf(this),
      );
      if (!isSafePayUrl(payUrl)) {
        throw new ApiError('invalid_pay_url', 0, '', payUrl);
      }
      this.dispatchEvent(new ScanForPayOrderEvent(orderId, payUrl));
      // On a computer, the phone pays: a QR code of the pay page, the shop stays on screen.
      // Only with a proxy that draws the code (it answers the item with the dialog's labels).
      if (item.context == 'desktop' && item.scan && this.dialog != 'off') {
        this._open = { orderId, payUrl };
        this._busy = false;
        await this.updateComplete;
        return this.renderRoot.querySelector('dialog')!.showModal();
      }
      const target = this.target === '_blank' ? '_blank' : '_self';
      if (this.dispatchEvent(new ScanForPayRedirectEvent({ orderId, payUrl, target }))) {
        leaving = goToPay(payUrl, target, () => (this._busy = false));
      }
    } catch (error) {
      this._error = dispatchError(this, error, BUTTON_OFFLINE[localeOf(this)]);
    }
    this._busy = leaving;
  }

  /** The order in the dialog settled: paid goes to the result page, as coming back from the cashier. */
  #settled(event: CustomEvent<{ orderId: string; status: string }>): void {
    const { orderId, status } = event.detail;
    if (status == 'paid') location.assign(`${this.#endpoint()}/return?partnerOrderNo=${orderId}`);
  }

  /** Escape, the close button or the order leaving: polling stops, focus goes back to paying. */
  #closed(): void {
    this._open = undefined;
    this.renderRoot.querySelector<HTMLElement>('[part=button]')!.focus();
  }

  #choose(event: Event): void {
    this.wallet = (event.target as HTMLInputElement).value;
  }

  /** The shopper typed in the amount field: `amount` follows (NaN while it is not a number). */
  #typed(event: Event): void {
    this._typed = (event.target as HTMLInputElement).value;
    this.amount = toMinor(this._typed, this._item!.digits!);
  }

  protected override render() {
    const wallet = this.#wallet();
    const busy = this._busy || (!this._item && !this._error);
    const off = this.disabled || this._busy;
    const item = this._item && { ...this._item, ...this.strings };
    const endpoint = this.#endpoint();
    const unit = this.#unit();
    return html`${noticePart(item)}${walletsPart(item, wallet, off, endpoint, this.#choose)}${
        item?.amount === undefined && item && !this.hasAttribute('amount')
          ? amountPart(item, this._typed, this.amount, unit, off, this.#typed)
          : nothing
      }<button
        part="button"
        type="button"
        ?disabled=${off || busy || !wallet || unit === undefined}
        aria-busy=${busy}
        @click=${this.#pay}
      >
        ${busy ? html`<span part="spinner"></span>` : nothing}<span part="label"
          ><slot name="label"
            >${(wallet && item?.pay?.[wallet]) || BUTTON_PAY[localeOf(this)]}</slot
          ></span
        ><span part="price">${priceText(item, unit, this.quantity, localeOf(this))}</span></button
      >${
        this._error ? html`<div part="error" role="alert">${this._error.say}</div>` : nothing
      }${dialogPart(item, endpoint, this._open, this.#closed, this.#settled)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scanforpay-button': ScanForPayButton;
  }
}
