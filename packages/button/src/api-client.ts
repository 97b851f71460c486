import { ApiError } from './api-error.js';
import type { Wallet } from './wallets.js';

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
  context?: string;
  hints?: Record<Wallet, string>;
  notice?: string;
  scan?: string;
  here?: string;
  close?: string;
  copy?: string;
}

/** The body of `POST /orders`; amounts are integers in minor units. */
export interface OrderRequest {
  item: string;
  wallet: Wallet;
  quantity?: number;
  amount?: number;
  token?: string;
  reference?: string;
  context?: string;
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
}

const TIMEOUT_MS = 20_000;

async function call<T>(endpoint: string, path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(endpoint.replace(/\/+$/, '') + path, {
      ...init,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new ApiError('network_error');
  }
  // A problem+json body carries the stable `code`; a body that is not JSON is left null.
  const body = (await response.json().catch(() => null)) as (T & { code?: string }) | null;
  if (!response.ok || !body) {
    throw new ApiError(body?.code ?? 'http_error', response.status);
  }
  return body;
}

/** `query`: `?context=…&lang=…`, for the offer in the shopper's context and language. */
export function getItem(endpoint: string, id: string, query = ''): Promise<Item> {
  return call(endpoint, '/items/' + encodeURIComponent(id) + query);
}

export function createOrder(
  endpoint: string,
  order: OrderRequest,
  idempotencyKey: string,
): Promise<CreatedOrder> {
  return call(endpoint, '/orders', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(order),
  });
}

export function getOrder(endpoint: string, orderId: string): Promise<Order> {
  return call(endpoint, '/orders/' + encodeURIComponent(orderId));
}
