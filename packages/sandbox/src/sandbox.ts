import {
  fetchTransport,
  formatTime,
  randomHex,
  sign,
  signResponse,
  webCryptoSha256,
  type CreateOrderBody,
  type HashFn,
  type Transport,
} from '@scanforpay/protocol';
import { hasApiChaos, type Chaos } from './chaos.js';
import { Notifier, type NotificationRecord } from './notifier.js';
import { OrderBook, STATUS_OF, type Order, type OrderEndpoint, type Refund } from './order-book.js';
import { resolvePartners, type Partner, type PartnerConfig } from './partner.js';
import { RESULT_CODES } from './result-codes.js';
import { invalidField, SandboxError, unknownStore } from './sandbox-error.js';
import { TimerSet } from './timer-set.js';
import { DEFAULT_TIMEOUT_RULE, MAX_TIMEOUT_MS, parseTimeoutRule } from './timeout-rule.js';

export interface SandboxOptions {
  /** Known partners; default: the one documented sandbox partner (`DEFAULT_PARTNER`). */
  partners?: readonly PartnerConfig[];
  /** Base URL that `payUrl`s point at; default: the origin of each create request. */
  publicUrl?: string;
  /** Serve the control API under `/__sandbox/`. Default false. */
  control?: boolean;
  /** Delay before each notify attempt, in ms; its length is the number of tries. */
  notifySchedule?: readonly number[];
  /** Time allowed to each notify attempt. Default 5000 ms. */
  notifyTimeoutMs?: number;
  /** How long `chaos.reorder` holds notifications before releasing them newest first. Default 200 ms. */
  reorderWindowMs?: number;
  now?: () => Date;
  /** Sends notifications. Default: global `fetch`. */
  transport?: Transport;
  hash?: HashFn;
  /** `2n` random lowercase hex characters; used for tokens, message ids and buyer ids. */
  randomHex?: (bytes: number) => string;
  /** Where unexpected errors are reported. Default `console.error`. */
  log?: (message: string) => void;
}

/** Six tries within about 40 s, the first retry after 1 s. */
export const DEFAULT_NOTIFY_SCHEDULE: readonly number[] = [0, 1000, 2000, 5000, 10_000, 20_000];
export const DEFAULT_NOTIFY_TIMEOUT_MS = 5000;

/** The sandbox's own view of an order, as `GET /__sandbox/orders/:partnerOrderNo` shows it. */
export interface OrderView {
  partnerNo: string;
  storeNo: string;
  orderNo: string;
  partnerOrderNo: string;
  state: Order['state'];
  status: 0 | 1 | 2 | 3;
  endpoint: OrderEndpoint;
  wallet: string;
  currency: string;
  orderAmount: number;
  refundedAmount: number;
  refunds: { refundNo: string; amount: number; at: string }[];
  orderTitle: string;
  notifyUrl: string;
  returnUrl: string;
  payUrl: string;
  createdAt: string;
  expiresAt: string;
  payTime: string | null;
}

/** The payment fields shared by payQuery answers and notifications, in the documented order. */
export type PaymentFields = Record<string, string | number>;

/**
 * The simulator's state and rules: partners, orders, refunds, notifications and chaos.
 * The HTTP routes are thin layers over it; tests and the Node starter may call it directly.
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
  #publicUrl: string | undefined;
  #chaos: Chaos = {};
  /** `partnerNo \0 refundNo` → the refund, so a refundNo is unique per partner. */
  readonly #refunds = new Map<string, { order: Order; refund: Refund }>();

  constructor(options: SandboxOptions = {}) {
    this.partners = resolvePartners(options.partners);
    this.control = options.control ?? false;
    this.now = options.now ?? (() => new Date());
    this.hash = options.hash ?? webCryptoSha256;
    this.random = options.randomHex ?? randomHex;
    this.log = options.log ?? ((message) => console.error(message));
    this.#publicUrl = options.publicUrl === undefined ? undefined : checkUrl(options.publicUrl);
    this.notifySchedule = checkSchedule(options.notifySchedule ?? DEFAULT_NOTIFY_SCHEDULE);
    this.orders = new OrderBook(this.now);
    this.notifier = new Notifier({
      transport: options.transport ?? fetchTransport,
      timers: this.timers,
      schedule: this.notifySchedule,
      timeoutMs: options.notifyTimeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS,
      reorderWindowMs: options.reorderWindowMs ?? 200,
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
    this.#publicUrl = url === undefined ? undefined : checkUrl(url);
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
    const chaos = this.#chaos;
    if (!hasApiChaos(chaos)) return undefined;
    if (chaos.apiTimes !== undefined) {
      const left = chaos.apiTimes - 1;
      const rest: Chaos = { ...chaos };
      if (left > 0) rest.apiTimes = left;
      else {
        delete rest.apiCode;
        delete rest.apiMsg;
        delete rest.apiStatus;
        delete rest.apiHangMs;
        delete rest.apiTimes;
      }
      this.#chaos = rest;
    }
    return chaos;
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
    if (body.storeNo !== partner.storeNo) throw unknownStore(body.storeNo);
    if (endpoint === 'qrcode' && body.wallet === 'AlipayHK') {
      throw invalidField(
        'wallet AlipayHK is not offered on /api/offline/qrcode; use /api/online/create',
      );
    }
    if (!/^[A-Z]{3}$/.test(body.currency)) {
      throw invalidField('body.currency: a three-letter upper-case code such as HKD');
    }
    if (!partner.currencies.includes(body.currency)) {
      throw new SandboxError(
        RESULT_CODES.currencyNotSupported,
        `currency ${body.currency} is not configured for this merchant (${partner.currencies.join(', ')})`,
      );
    }
    for (const field of ['notifyUrl', 'returnUrl'] as const) {
      const url = body[field];
      if (url && !isHttpUrl(url)) throw invalidField(`body.${field}: an absolute http(s) URL`);
    }
    const timeoutRule = body.timeoutRule || DEFAULT_TIMEOUT_RULE;
    const lifetime = parseTimeoutRule(timeoutRule);
    if (lifetime === undefined || lifetime > MAX_TIMEOUT_MS) {
      throw invalidField('body.timeoutRule: from 1m to 15d, like 90m, 12h or 3d');
    }
    const content = {
      endpoint,
      storeNo: body.storeNo,
      wallet: body.wallet,
      orderAmount: body.orderAmount,
      currency: body.currency,
      orderTitle: body.orderTitle ?? '',
      operatorId: body.operatorId ?? '',
      terminalNo: body.terminalNo ?? '',
      notifyUrl: body.notifyUrl ?? '',
      returnUrl: body.returnUrl ?? '',
      goodsAmount: body.goodsAmount ?? null,
      goodsExtraAmount: body.goodsExtraAmount ?? null,
      timeoutRule,
    };

    const existing = this.orders.byPartnerOrderNo(partner.partnerNo, body.partnerOrderNo);
    if (existing) {
      const differs = Object.keys(content).find(
        (k) => existing.content[k] !== content[k as keyof typeof content],
      );
      if (differs !== undefined) {
        throw new SandboxError(
          RESULT_CODES.duplicateOrder,
          `partnerOrderNo ${body.partnerOrderNo} already exists with another ${differs}`,
          409,
        );
      }
      return { order: existing, replay: true };
    }

    const now = this.now();
    const start = body.orderCreate ? Number(body.orderCreate) : now.getTime();
    const expiresAt = new Date(start + lifetime);
    if (expiresAt.getTime() <= now.getTime()) {
      throw new SandboxError(
        RESULT_CODES.orderExpired,
        'order would already be expired: orderCreate + timeoutRule is in the past',
      );
    }
    const token = this.random(16);
    const order = this.orders.add({
      partnerNo: partner.partnerNo,
      storeNo: body.storeNo,
      partnerOrderNo: body.partnerOrderNo,
      token,
      endpoint,
      wallet: body.wallet,
      currency: body.currency,
      orderAmount: body.orderAmount,
      orderTitle: body.orderTitle ?? '',
      notifyUrl: body.notifyUrl ?? '',
      returnUrl: body.returnUrl ?? '',
      content,
      payUrl: `${this.#publicUrl ?? origin}/cashier/${token}`,
      createdAt: now,
      expiresAt,
    });
    return { order, replay: false };
  }

  /** Settles an order as paid and queues its notification. Paying twice is a 409. */
  async pay(order: Order): Promise<Order> {
    assertPending(order, 'paid');
    order.state = 'paid';
    order.payTime = this.now();
    if (order.wallet === 'Wechat') {
      order.buyer = 'w***@sandbox';
      order.buyerId = `oSbx${this.random(12)}`;
    } else {
      order.buyer = 'c*@example.com';
      order.buyerId = `2088${hexToDigits(this.random(6), 12)}`;
    }
    const partner = this.partner(order.partnerNo) ?? this.defaultPartner;
    const header = {
      partnerNo: order.partnerNo,
      respTime: formatTime(order.payTime),
      signType: 'SHA256',
      version: '1.0',
      reqMsgId: uuid(this.random(16)),
    };
    const body = { code: 1, msg: 'success', ...this.paymentFields(order, 1) };
    const signed = await signResponse({ header, body }, partner.signKey, this.hash);
    order.notice = { text: signed.text, signature: signed.signature };
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
    assertPending(order, 'failed');
    order.state = 'failed';
    return order;
  }

  cancel(order: Order): Order {
    assertPending(order, 'cancelled');
    order.state = 'cancelled';
    return order;
  }

  expire(order: Order): Order {
    assertPending(order, 'expired');
    order.state = 'expired';
    order.expiresAt = this.now();
    return order;
  }

  /** Refunds part or all of a paid order; a repeated `refundNo` with the same amount is a replay. */
  refund(order: Order, refundNo: string, amount: number): { refund: Refund; replay: boolean } {
    const key = `${order.partnerNo}\u0000${refundNo}`;
    const previous = this.#refunds.get(key);
    if (previous) {
      if (previous.order === order && previous.refund.amount === amount) {
        return { refund: previous.refund, replay: true };
      }
      throw new SandboxError(
        RESULT_CODES.duplicateRefund,
        `refundNo ${refundNo} was already used for another refund`,
        409,
      );
    }
    if (order.state === 'refunded') {
      throw new SandboxError(RESULT_CODES.overRefund, 'order is already fully refunded', 409);
    }
    if (order.state !== 'paid') {
      throw new SandboxError(
        order.state === 'expired' ? RESULT_CODES.orderExpired : RESULT_CODES.notRefundable,
        `order is ${order.state}, not paid: nothing to refund`,
        409,
      );
    }
    const left = order.orderAmount - order.refundedAmount;
    if (amount > left) {
      throw new SandboxError(
        RESULT_CODES.overRefund,
        `refund of ${amount} exceeds the ${left} left to refund on this order`,
        409,
      );
    }
    const refund: Refund = { refundNo, amount, at: this.now() };
    order.refunds.push(refund);
    order.refundedAmount += amount;
    if (order.refundedAmount === order.orderAmount) order.state = 'refunded';
    this.#refunds.set(key, { order, refund });
    return { refund, replay: false };
  }

  /** payQuery/notify fields, keys in the order of the docs' notify sample. */
  paymentFields(order: Order, status: number = STATUS_OF[order.state]): PaymentFields {
    const fields: PaymentFields = { orderNo: order.orderNo, partnerOrderNo: order.partnerOrderNo };
    if (order.payTime) fields.payTime = formatTime(order.payTime);
    fields.orderAmount = order.orderAmount;
    fields.wallet = order.wallet;
    fields.currency = order.currency;
    fields.status = status;
    if (order.buyer !== undefined && order.buyerId !== undefined) {
      fields.buyer = order.buyer;
      fields.buyerId = order.buyerId;
    }
    return fields;
  }

  view(order: Order): OrderView {
    return {
      partnerNo: order.partnerNo,
      storeNo: order.storeNo,
      orderNo: order.orderNo,
      partnerOrderNo: order.partnerOrderNo,
      state: order.state,
      status: STATUS_OF[order.state],
      endpoint: order.endpoint,
      wallet: order.wallet,
      currency: order.currency,
      orderAmount: order.orderAmount,
      refundedAmount: order.refundedAmount,
      refunds: order.refunds.map((r) => ({
        refundNo: r.refundNo,
        amount: r.amount,
        at: r.at.toISOString(),
      })),
      orderTitle: order.orderTitle,
      notifyUrl: order.notifyUrl,
      returnUrl: order.returnUrl,
      payUrl: order.payUrl,
      createdAt: order.createdAt.toISOString(),
      expiresAt: order.expiresAt.toISOString(),
      payTime: order.payTime ? order.payTime.toISOString() : null,
    };
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
    let signature = notice.signature;
    if (this.#chaos.wrongKey) {
      const partner = this.partner(order.partnerNo) ?? this.defaultPartner;
      signature = await sign(notice.text, `wrong-${partner.signKey}`, this.hash);
    }
    this.notifier.send(
      {
        partnerNo: order.partnerNo,
        partnerOrderNo: order.partnerOrderNo,
        orderNo: order.orderNo,
        url: order.notifyUrl,
        body: `{"response":${notice.text},"signature":"${signature}"}`,
      },
      firstCopy,
    );
  }
}

function assertPending(order: Order, wanted: string): void {
  if (order.state === 'pending') return;
  const code = order.state === 'expired' ? RESULT_CODES.orderExpired : RESULT_CODES.notRefundable;
  throw new SandboxError(code, `order is ${order.state}; it cannot become ${wanted}`, 409);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function checkUrl(text: string): string {
  if (!isHttpUrl(text)) throw new TypeError(`publicUrl: an absolute http(s) URL, got "${text}"`);
  return text.replace(/\/+$/, '');
}

function checkSchedule(schedule: readonly number[]): readonly number[] {
  if (
    schedule.length === 0 ||
    schedule.some((ms) => !Number.isInteger(ms) || ms < 0 || ms > 86_400_000)
  ) {
    throw new TypeError(
      'notifySchedule: one or more whole numbers of milliseconds, e.g. [0, 1000]',
    );
  }
  return [...schedule];
}

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function hexToDigits(hex: string, length: number): string {
  return BigInt(`0x${hex}`).toString().padStart(length, '0').slice(-length);
}
