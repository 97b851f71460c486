import type { NewOrder, Order, OrderStatus } from '../domain/order.js';
import type { OutboxEvent, TransitionInput } from '../domain/transition.js';

/** The orders, with the idempotency keys and checkout tokens claimed when they were written. */
export interface OrderRecords {
  insertOrder(input: InsertOrderInput): Promise<InsertOrderResult>;
  /**
   * Records the gateway's answer to an order written before its create call: its `payUrl` (the
   * order stays pending), or its failure (the order fails and its checkout-token claim is
   * released, so the token can be tried again). Applies only to a pending order without a
   * `payUrl`; `applied` says whether it did.
   */
  recordCreation(orderId: string, outcome: CreationOutcome): Promise<TransitionResult>;
  getOrder(orderId: string): Promise<Order | undefined>;
  getIdempotencyKey(key: string): Promise<IdempotencyRecord | undefined>;
  /** Whether a checkout token id has already been claimed by an order. */
  isCheckoutTokenUsed(tokenId: string): Promise<boolean>;
  transition(orderId: string, input: TransitionInput): Promise<TransitionResult>;
  /** `pending → expired` when `expires_at <= now`, with its event. */
  expire(orderId: string, now: number, event?: OutboxEvent): Promise<TransitionResult>;
  /** Newest first (order ids sort by time); `before` is the last id of the previous page. */
  listOrders(query: ListOrdersQuery): Promise<Order[]>;
  /**
   * The orders matching `filter`, newest first: `limit` of them after skipping `offset`, or,
   * with `before` (an order id), those older than it (keyset pages for long exports).
   */
  searchOrders(filter: OrderFilter, page: OrderSearchPage): Promise<Order[]>;
  /** How many orders match `filter`, and their amounts, one row per currency (sorted by code). */
  orderTotals(filter: OrderFilter): Promise<OrderTotals[]>;
}

/** The orders a merchant looks for: every field given narrows the set. */
export interface OrderFilter {
  status?: OrderStatus;
  /** An exact order id, merchant reference or gateway order number. */
  text?: string;
  /** Created at or after (epoch ms). */
  from?: number;
  /** Created before (epoch ms). */
  to?: number;
}

export interface OrderSearchPage {
  limit: number;
  offset?: number;
  before?: string;
}

/** One currency's share of a filtered set of orders. */
export interface OrderTotals {
  currency: string;
  count: number;
  /** Minor units: what the orders were for, and what has been refunded of them. */
  amount: number;
  refundedAmount: number;
}

export interface IdempotencyRecord {
  key: string;
  requestHash: string;
  orderId: string;
  createdAt: number;
}

/**
 * An order is written before the gateway is called, together with its idempotency key and
 * checkout-token claim, in one transaction: concurrent requests with one key or one token
 * make one gateway call, and a crash after the call leaves an order the proxy knows.
 */
export interface InsertOrderInput {
  order: NewOrder;
  /** Claimed in the same transaction as the order. */
  idempotency?: { key: string; requestHash: string };
  /** A single-use checkout token id, claimed in the same transaction as the order. */
  checkoutToken?: { id: string; expiresAt: number };
  /** First reconciliation check of a pending order. Default `createdAt + 60 s`. */
  nextCheckAt?: number;
}

/** The gateway's answer to an order's create call, recorded by `recordCreation`. */
export type CreationOutcome =
  | { at: number; payUrl: string; gatewayOrderNo: string | null }
  | {
      at: number;
      failure: { code: string; message: string };
      /** The checkout token the order claimed: released with the failure. */
      checkoutTokenId?: string;
    };

export type InsertOrderResult =
  | { ok: true }
  | { ok: false; conflict: 'idempotency_key'; existing: IdempotencyRecord }
  | { ok: false; conflict: 'token_used' };

export interface TransitionResult {
  /** True when this call changed the order; false when the compare-and-set did not match. */
  applied: boolean;
  /** The order as it stands after the call; undefined when there is no such order. */
  order: Order | undefined;
}

export interface ListOrdersQuery {
  status?: OrderStatus;
  limit: number;
  before?: string;
}
