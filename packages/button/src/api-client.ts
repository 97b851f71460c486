import { ApiError } from './api-error.js';
import type { Wallet } from './wallets.js';

/** The shopper's context as the proxy reads it; an order carries it back unchanged. */
export type CheckoutContext = 'desktop' | 'mobile' | 'wechat' | 'alipay' | 'social';

/** `GET /items/:id`: a fixed-price item has `amount`, an open-amount item `min` and `max`. */
export interface Item {
  id: string;
  title: string;
  currency: string;
  wallets: Wallet[];
  amount?: number;
  min?: number;
  max?: number;
  /**
   * From a proxy that routes by context: the shopper's context as it read it, a hint per
   * wallet, the in-app notice, and the dialog's and copy button's labels.
   */
  context?: CheckoutContext;
  hints?: Partial<Record<Wallet, string>>;
  notice?: string;
  scan?: string;
  here?: string;
  close?: string;
  copy?: string;
  /** The wallets' names, the pay button's label per wallet, the wallet choice's name. */
  names?: Partial<Record<Wallet, string>>;
  pay?: Partial<Record<Wallet, string>>;
  method?: string;
  /** An open-amount item: the amount field's label and its bounds in words. */
  label?: string;
  range?: string;
  /** The currency's decimal places (HKD 2, JPY 0). */
  digits?: number;
  /** What the proxy found wrong with the page's `wallets` or `amount`, for the console. */
  warnings?: string[];
  /** The styles of the parts the offer brings (tiles, amount field, notice, dialog). */
  css?: string;
}

/** The body of `POST /orders`; amounts are integers in minor units. */
export interface OrderRequest {
  item: string;
  wallet: Wallet;
  quantity?: number;
  amount?: number;
  token?: string;
  reference?: string;
  context?: CheckoutContext;
}

/** The 201 answer of `POST /orders`. */
export interface CreatedOrder {
  orderId: string;
  payUrl: string;
  amount: number;
  currency: string;
  wallet: Wallet;
  expiresAt: string;
}

export const ORDER_STATUSES = [
  'pending',
  'paid',
  'failed',
  'expired',
  'refunded',
  'partially_refunded',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** `GET /orders/:orderId`. */
export interface Order {
  orderId: string;
  status: OrderStatus;
  amount: number;
  currency: string;
  wallet: Wallet;
  title: string;
  paidAt?: string;
  /**
   * With `?lang=`: the status in the shopper's words (for a shopper back from the cashier unpaid,
   * `&returned=unpaid`, that they left), the total as money, a pending order's words for a wait
   * that ran out (`late`), and a new attempt where one is right (`again`, labelled `retry`).
   */
  message?: string;
  total?: string;
  late?: string;
  again?: string;
  /** The label of the link to `again`. */
  retry?: string;
}

/**
 * One call to the proxy. `query` carries `lang` (the proxy answers in the shopper's words) and
 * more. A poll gives up sooner than an order: the result page says "can't reach the shop" within
 * seconds and keeps trying, while creating an order may wait on the gateway.
 */
/** What fixes an answer that is not the proxy's, or none at all. */
const FIX = 'endpoint must be the origin of a running proxy';

async function call<T>(endpoint: string, path: string, init?: RequestInit): Promise<T> {
  const url = endpoint.replace(/\/+$/, '') + path;
  const asked = `${init?.method ?? 'GET'} ${url}`;
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(init ? 20e3 : 8e3) });
  } catch {
    throw new ApiError('network_error', undefined, undefined, `${asked}: no answer; ${FIX}`);
  }
  // A problem+json body carries the stable `code`; a body that is not JSON is left null.
  const body = (await response.json().catch(() => null)) as
    (T & { code?: string; message?: string; detail?: string }) | null;
  if (!response.ok || !body) {
    throw new ApiError(
      body?.code ?? 'http_error',
      response.status,
      body?.message,
      body?.code
        ? `${asked}: ${body.detail}`
        : `${asked}: ${response.status}, not the proxy's answer; ${FIX}`,
    );
  }
  return body;
}

/** The item as this shopper sees it: `query` has `lang`, `context` and the page's attributes. */
export function getItem(
  endpoint: string,
  id: string,
  query: Record<string, string>,
): Promise<Item> {
  return call(endpoint, '/items/' + encodeURIComponent(id) + '?' + new URLSearchParams(query));
}

export function createOrder(
  endpoint: string,
  order: OrderRequest,
  idempotencyKey: string,
  lang: string,
): Promise<CreatedOrder> {
  return call(endpoint, '/orders?lang=' + lang, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(order),
  });
}

/** `query`: `lang=…`, and `returned=unpaid` when the shopper came back from the cashier unpaid. */
export function getOrder(endpoint: string, orderId: string, query: string): Promise<Order> {
  return call(endpoint, '/orders/' + encodeURIComponent(orderId) + '?' + query);
}
