import {
  fetchTransport,
  randomHex,
  webCryptoSha256,
  type CreateOrderBody,
  type HashFn,
} from '@scanforpay/protocol';
import { takeApiChaos, type Chaos } from './chaos.js';
import { createOrder } from './create-order.js';
import { Notifier, type NotificationRecord } from './notifier.js';
import { OrderBook, type Order, type OrderEndpoint, type Refund } from './order-book.js';
import { markClosed, markPaid } from './order-transitions.js';
import { orderView, type OrderView } from './order-view.js';
import { resolvePartners, type Partner } from './partner.js';
import { paymentFields, type PaymentFields } from './payment-fields.js';
import { noticeDelivery, signPaymentNotice } from './payment-notice.js';
import { RefundLedger } from './refund-ledger.js';
import { RESULT_CODES } from './result-codes.js';
import { SandboxError } from './sandbox-error.js';
import {
  checkPublicUrl,
  checkSchedule,
  DEFAULT_NOTIFY_SCHEDULE,
  DEFAULT_NOTIFY_TIMEOUT_MS,
  DEFAULT_REORDER_WINDOW_MS,
  type SandboxOptions,
} from './sandbox-options.js';
import { TimerSet } from './timer-set.js';

/**
 * The simulator's state, wiring the rules kept in their own files: partners, the order book,
 * refunds, notifications and chaos. The HTTP routes are thin layers over it; tests and the
 * Node starter may call it directly.
 */
export class Sandbox {
  readonly partners: readonly Partner[];
  readonly control: boolean;
  readonly now: () => Date;
  readonly hash: HashFn;
  readonly random: (bytes: number) => string;
  readonly log: (message: string) => void;
  readonly timers = new TimerSet();
  readonly orders: OrderBook;
  readonly notifier: Notifier;
  readonly notifySchedule: readonly number[];
  readonly #refunds = new RefundLedger();
  #publicUrl: string | undefined;
  #chaos: Chaos = {};

  constructor(options: SandboxOptions = {}) {
    this.partners = resolvePartners(options.partners);
    this.control = options.control ?? false;
    this.now = options.now ?? (() => new Date());
    this.hash = options.hash ?? webCryptoSha256;
    this.random = options.randomHex ?? randomHex;
    this.log = options.log ?? ((message) => console.error(message));
    this.#publicUrl =
      options.publicUrl === undefined ? undefined : checkPublicUrl(options.publicUrl);
    this.notifySchedule = checkSchedule(options.notifySchedule ?? DEFAULT_NOTIFY_SCHEDULE);
    this.orders = new OrderBook(this.now);
    this.notifier = new Notifier({
      transport: options.transport ?? fetchTransport,
      timers: this.timers,
      schedule: this.notifySchedule,
      timeoutMs: options.notifyTimeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS,
      reorderWindowMs: options.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS,
      now: this.now,
      chaos: () => this.#chaos,
      takeDrop: () => {
        if (!this.#chaos.dropFirst) return false;
        this.#chaos = { ...this.#chaos, dropFirst: this.#chaos.dropFirst - 1 };
        return true;
      },
    });
  }

  get defaultPartner(): Partner {
    return this.partners[0] as Partner;
  }

  /** The base URL of `payUrl`s, when fixed. */
  get publicUrl(): string | undefined {
    return this.#publicUrl;
  }

  set publicUrl(url: string | undefined) {
    this.#publicUrl = url === undefined ? undefined : checkPublicUrl(url);
  }

  get chaos(): Chaos {
    return this.#chaos;
  }

  set chaos(chaos: Chaos) {
    this.#chaos = { ...chaos };
  }

  get notifications(): readonly NotificationRecord[] {
    return this.notifier.records;
  }

  partner(partnerNo: string): Partner | undefined {
    return this.partners.find((p) => p.partnerNo === partnerNo);
  }

  /** The api* chaos for one API call, if any; counts down `apiTimes`. */
  takeApiChaos(): Chaos | undefined {
    const { taken, rest } = takeApiChaos(this.#chaos);
    this.#chaos = rest;
    return taken;
  }

  /**
   * Creates an order, or returns the existing one when the same `partnerOrderNo` comes again
   * with the same content. `body` has passed the field schema.
   */
  createOrder(
    partner: Partner,
    endpoint: OrderEndpoint,
    body: CreateOrderBody,
    origin: string,
  ): { order: Order; replay: boolean } {
    const deps = {
      orders: this.orders,
      now: this.now,
      random: this.random,
      payUrlBase: this.#publicUrl ?? origin,
    };
    return createOrder(deps, partner, endpoint, body);
  }

  /** Settles an order as paid and queues its notification. Paying twice is a 409. */
  async pay(order: Order): Promise<Order> {
    markPaid(order, this.now(), this.random);
    const partner = this.partner(order.partnerNo) ?? this.defaultPartner;
    order.notice = await signPaymentNotice(order, partner.signKey, this.hash, this.random);
    await this.#sendNotice(order);
    return order;
  }

  /** Sends the paid order's notification again now (with its full retry schedule). */
  async resendNotice(order: Order): Promise<void> {
    if (!order.notice) {
      throw new SandboxError(RESULT_CODES.notRefundable, `order is ${order.state}, not paid`, 409);
    }
    if (!order.notifyUrl) {
      throw new SandboxError(RESULT_CODES.invalidField, 'order has no notifyUrl', 409);
    }
    await this.#sendNotice(order, 1);
  }

  fail(order: Order): Order {
    markClosed(order, 'failed', this.now());
    return order;
  }

  cancel(order: Order): Order {
    markClosed(order, 'cancelled', this.now());
    return order;
  }

  expire(order: Order): Order {
    markClosed(order, 'expired', this.now());
    return order;
  }

  /** Refunds part or all of a paid order; a repeated `refundNo` with the same amount is a replay. */
  refund(order: Order, refundNo: string, amount: number): { refund: Refund; replay: boolean } {
    return this.#refunds.refund(order, refundNo, amount, this.now());
  }

  /** payQuery/notify fields, keys in the order of the docs' notify sample. */
  paymentFields(order: Order, status?: number): PaymentFields {
    return paymentFields(order, status);
  }

  view(order: Order): OrderView {
    return orderView(order);
  }

  /** Forgets every order, refund, notification and chaos setting; cancels pending deliveries. */
  reset(): void {
    this.notifier.clear();
    this.timers.clear();
    this.orders.clear();
    this.#refunds.clear();
    this.#chaos = {};
  }

  /** Stops for good: cancels every timer and in-flight delivery. */
  dispose(): void {
    this.notifier.dispose();
    this.timers.dispose();
  }

  async #sendNotice(order: Order, firstCopy = 0): Promise<void> {
    const notice = order.notice;
    if (!notice || !order.notifyUrl) return;
    const partner = this.partner(order.partnerNo) ?? this.defaultPartner;
    const wrongKey = this.#chaos.wrongKey
      ? { signKey: partner.signKey, hash: this.hash }
      : undefined;
    this.notifier.send(await noticeDelivery(order, notice, wrongKey), firstCopy);
  }
}
