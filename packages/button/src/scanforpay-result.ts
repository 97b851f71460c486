import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { getOrder, type Order } from './api-client.js';
import type { ApiError } from './api-error.js';
import { defaultEndpoint } from './default-endpoint.js';
import { dispatchError, warn } from './dispatch-error.js';
import { ScanForPayStatusEvent, type ResultStatus } from './events/scanforpay-status-event.js';
import { systemClock, type PollClock } from './poll-clock.js';
import { resultStyles } from './scanforpay-result.styles.js';
import { localeOf, RESULT_OFFLINE, type ResultStrings } from './strings.js';

/**
 * Shows the verified status of an order on the merchant's result page, polling the proxy with
 * backoff until the order is final or the time limit passes.
 *
 * @tag scanforpay-result
 *
 * @fires scanforpay-status - The shown status changed. `detail: {orderId, status, order?}`;
 * `status` is an order status or `timeout`.
 * @fires scanforpay-error - The order cannot be shown. `detail: {code, message, status?}`.
 *
 * @csspart status - The live region with the status message.
 * @csspart spinner - The progress indicator while the payment is not final.
 * @csspart message - The status or error message.
 * @csspart error - Also on `message` when the order cannot be shown.
 * @csspart details - The order's title and amount.
 * @csspart again - "Try again": a new order for the same item and amount, after a failed,
 *   expired or cancelled payment (never for an order that may still be paid).
 *
 * @cssprop --scanforpay-error-color - Colour of the error message (default: inherited).
 * @cssprop --scanforpay-font - Font family (default: inherited).
 * @cssprop --scanforpay-size - Minimum height (default 2.75rem).
 */
export class ScanForPayResult extends LitElement {
  static override styles = resultStyles;
  static override properties: PropertyDeclarations = {
    order: {},
    endpoint: {},
    interval: { type: Number },
    maxInterval: { type: Number },
    timeout: { type: Number },
    lang: { reflect: true },
    status: { reflect: true },
    strings: { type: Object },
    _order: { state: true },
    _error: { state: true },
    _offline: { state: true },
  };

  /** The order id; default: the page's `?order=` parameter. */
  order?: string;

  /** The proxy's base URL. Default: the origin that served the script-tag bundle, else the page's. */
  endpoint?: string;

  /** Milliseconds before the second poll; each next wait doubles, up to `maxInterval`. */
  interval = 1000;

  /**
   * The longest wait between polls, in milliseconds (attribute `maxinterval`). The button's
   * desktop dialog sets 3 s: the shopper is paying right now, on their phone.
   */
  maxInterval = 15_000;

  /** Milliseconds after which a still pending order is shown as `timeout` and polling stops. */
  timeout = 600_000;

  /** The language of the element's strings; default: the nearest ancestor's `lang`. */
  declare lang: string;

  /** Read-only: the status shown, reflected for styling (`[status='paid']`). */
  status?: ResultStatus;

  /**
   * Your words in place of the proxy's (or the element's own "can't reach the shop"): any of
   * them, in the page's language; as an attribute, JSON (`strings='{"retry":"Order again"}'`).
   */
  strings?: ResultStrings;

  /**
   * Where polling reads the time and waits; the default is the page's clock. Not an attribute:
   * tests set a manual clock to check the backoff schedule. Read when polling (re)starts.
   * @internal
   */
  clock: PollClock = systemClock;

  private _order?: Order;
  private _error?: ApiError;
  /** The last poll got no answer (or a 5xx, a 429): "can't reach the shop", still polling. */
  private _offline = false;
  #polls = 0;
  #cancel?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The words come with each answer: a new language asks again.
    if (
      !this.hasUpdated ||
      ['order', 'endpoint', 'lang'].some((key) => changed.has(key as 'lang'))
    ) {
      this.#start();
    }
  }

  #stop(): void {
    this.#polls++;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #start(): void {
    this.#stop();
    const run = this.#polls;
    const query = new URLSearchParams(location.search);
    const orderId = this.order || query.get('order') || '';
    const left = query.get('returned') == 'unpaid';
    const endpoint = this.endpoint || defaultEndpoint();
    const clock = this.clock;
    const started = clock.now();
    let delay = this.interval;
    this._order = this._error = this.status = undefined;
    const poll = async (): Promise<void> => {
      try {
        const order = await getOrder(
          endpoint,
          orderId,
          `lang=${localeOf(this)}&returned=${left ? 'unpaid' : ''}`,
        );
        if (run !== this.#polls) return;
        this._order = order;
        this._offline = false;
        const { status } = order;
        this.#show(orderId, left && status == 'pending' ? 'cancelled' : status);
        if (status !== 'pending') return;
      } catch (error) {
        if (run !== this.#polls) return;
        // No answer, a 5xx or a 429 may pass: say so and keep polling. Any other answer is final.
        const failure = error as ApiError;
        if (!failure.passing) {
          this._error = dispatchError(this, error, RESULT_OFFLINE[localeOf(this)]);
          return;
        }
        this._offline = true;
        warn(this, `${failure.code}: ${failure.detail}`);
      }
      // Without any answer yet there is nothing to time out: keep trying quietly.
      if (this._order && clock.now() - started + delay > this.timeout) {
        return this.#show(orderId, 'timeout');
      }
      this.#cancel = clock.schedule(() => void poll(), delay);
      delay = Math.min(delay * 2, this.maxInterval);
    };
    void poll();
  }

  #show(orderId: string, status: ResultStatus): void {
    if (status === this.status) return;
    this.status = status;
    const order = this._order;
    this.dispatchEvent(
      new ScanForPayStatusEvent(order ? { orderId, status, order } : { orderId, status }),
    );
  }

  protected override render() {
    const { _order: order, _error: error, status } = this;
    const waiting = !error && (!status || status == 'pending');
    const mine = this.strings;
    const words = this._offline
      ? (mine?.offline ?? RESULT_OFFLINE[localeOf(this)])
      : (error?.say ??
        mine?.status?.[status!] ??
        (status == 'timeout' ? order?.late : order?.message));
    return html`<div part="status" role="status" aria-live="polite">
        ${waiting ? html`<span part="spinner"></span>` : nothing}<span
          part=${error ? 'message error' : 'message'}
          >${words}</span
        >
      </div>
      ${
        order
          ? html`<div part="details">${order.title} · ${order.total}</div>
              ${order.again ? html`<a part="again" href=${order.again}>${mine?.retry ?? order.retry}</a>` : nothing}`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scanforpay-result': ScanForPayResult;
  }
}
