import { formatTime } from '@scanforpay/protocol';

/** The sandbox's own view of an order's life; `status` is what the API reports for it. */
export type OrderState = 'pending' | 'paid' | 'failed' | 'cancelled' | 'expired' | 'refunded';

/**
 * payQuery/notify `status` per state: 0 to be paid, 1 paid, 2 failed, 3 refunded. A cancelled
 * order is still "to be paid" (0): a hosted cashier leaves the trade open when the shopper backs
 * out, and closes it at its expiry; the API has no cancelled status.
 */
export const STATUS_OF: Readonly<Record<OrderState, 0 | 1 | 2 | 3>> = {
  pending: 0,
  paid: 1,
  failed: 2,
  cancelled: 0,
  expired: 2,
  refunded: 3,
};

/** Which create endpoint made the order. */
export type OrderEndpoint = 'online' | 'qrcode';

export interface Refund {
  readonly refundNo: string;
  readonly amount: number;
  readonly at: Date;
}

export interface Order {
  readonly partnerNo: string;
  readonly storeNo: string;
  readonly orderNo: string;
  readonly partnerOrderNo: string;
  /** The opaque part of `payUrl`. */
  readonly token: string;
  readonly endpoint: OrderEndpoint;
  readonly wallet: string;
  readonly currency: string;
  readonly orderAmount: number;
  readonly orderTitle: string;
  readonly notifyUrl: string;
  readonly returnUrl: string;
  /** The create request's fields, to tell a replay (same order back) from a conflict. */
  readonly content: Readonly<Record<string, string | number | null>>;
  readonly payUrl: string;
  readonly createdAt: Date;
  expiresAt: Date;
  state: OrderState;
  payTime?: Date;
  buyer?: string;
  buyerId?: string;
  readonly refunds: Refund[];
  refundedAmount: number;
  /** The signed notification, made once when the order is paid. */
  notice?: { readonly text: string; readonly signature: string };
}

export type NewOrder = Omit<Order, 'orderNo' | 'state' | 'refunds' | 'refundedAmount'>;

/**
 * In-memory orders, keyed by (partnerNo, partnerOrderNo), by (partnerNo, orderNo) and by
 * cashier token. Expiry is applied lazily against the injected clock whenever an order is read.
 */
export class OrderBook {
  readonly #byPartnerOrderNo = new Map<string, Order>();
  readonly #byOrderNo = new Map<string, Order>();
  readonly #byToken = new Map<string, Order>();
  #lastOrderNo = 0;

  constructor(private readonly now: () => Date) {}

  add(input: NewOrder): Order {
    const order: Order = {
      ...input,
      orderNo: this.#nextOrderNo(input.createdAt),
      state: 'pending',
      refunds: [],
      refundedAmount: 0,
    };
    this.#byPartnerOrderNo.set(key(order.partnerNo, order.partnerOrderNo), order);
    this.#byOrderNo.set(key(order.partnerNo, order.orderNo), order);
    this.#byToken.set(order.token, order);
    return order;
  }

  byPartnerOrderNo(partnerNo: string, partnerOrderNo: string): Order | undefined {
    return this.#fresh(this.#byPartnerOrderNo.get(key(partnerNo, partnerOrderNo)));
  }

  byOrderNo(partnerNo: string, orderNo: string): Order | undefined {
    return this.#fresh(this.#byOrderNo.get(key(partnerNo, orderNo)));
  }

  byToken(token: string): Order | undefined {
    return this.#fresh(this.#byToken.get(token));
  }

  /** Every order with this `partnerOrderNo`, across partners. */
  withPartnerOrderNo(partnerOrderNo: string): Order[] {
    return this.all().filter((o) => o.partnerOrderNo === partnerOrderNo);
  }

  all(): Order[] {
    return [...this.#byToken.values()].map((o) => this.#fresh(o) ?? o);
  }

  clear(): void {
    this.#byPartnerOrderNo.clear();
    this.#byOrderNo.clear();
    this.#byToken.clear();
  }

  #fresh(order: Order | undefined): Order | undefined {
    if (order?.state === 'pending' && this.now().getTime() >= order.expiresAt.getTime()) {
      order.state = 'expired';
    }
    return order;
  }

  /**
   * 16 digits: `yyyyMMddHHmmss` (Hong Kong time) + a 2-digit sequence, as in the docs'
   * samples. More than 100 orders in one second borrow numbers from the next second, so the
   * numbers stay unique and increasing.
   */
  #nextOrderNo(at: Date): string {
    const stamp = formatTime(at).slice(0, 19).replace(/[-T:]/g, '');
    const next = Math.max(Number(stamp) * 100 + 1, this.#lastOrderNo + 1);
    this.#lastOrderNo = next;
    return String(next);
  }
}

function key(a: string, b: string): string {
  return `${a}\u0000${b}`;
}
