import { ScanForPayError, SignatureError, TransportError } from '@scanforpay/protocol';
import { ProblemError } from '../problem.js';
import type { ProxyRuntime } from '../proxy-runtime.js';
import type { Order } from './order.js';
import { priceOrder, type OrderRequest } from './price-order.js';

/** The answer to a successful `POST /orders`. */
export interface CreatedOrder {
  orderId: string;
  payUrl: string;
  amount: number;
  currency: string;
  wallet: string;
  expiresAt: string;
}

/**
 * Creates an order end to end: idempotency, server-side price, the signed gateway call, the
 * verified `payUrl`, then one transaction that writes the order (pending with its `payUrl`, or
 * failed), its idempotency key and its checkout-token claim. Nothing is ever half-written; a
 * gateway failure is stored as a failed order and thrown as a `gateway_error` problem.
 */
export async function placeOrder(
  runtime: ProxyRuntime,
  request: OrderRequest,
  idempotencyKey?: string,
): Promise<CreatedOrder> {
  const { store } = runtime;
  let idempotency: { key: string; requestHash: string } | undefined;
  if (idempotencyKey !== undefined) {
    const requestHash = await runtime.hash(canonicalRequest(request));
    const existing = await store.getIdempotencyKey(idempotencyKey);
    if (existing) return replay(runtime, existing.orderId, existing.requestHash === requestHash);
    idempotency = { key: idempotencyKey, requestHash };
  }

  const priced = await priceOrder(request, {
    lookupItem: runtime.lookupItem,
    resolveOrder: runtime.resolveOrder,
    checkoutTokenSecret: runtime.checkoutTokenSecret,
    now: runtime.clock,
  });
  if (priced.checkoutToken && (await store.isCheckoutTokenUsed(priced.checkoutToken.id))) {
    throw tokenUsed();
  }
  const createdAt = runtime.clock();
  const orderId = runtime.newOrderId();
  const orderTitle =
    priced.quantity > 1 && priced.title.length + 4 + String(priced.quantity).length <= 100
      ? `${priced.title} × ${priced.quantity}`
      : priced.title;

  let payment: { payUrl: string; gatewayOrderNo: string | null } | undefined;
  let failure: Failure | undefined;
  let cause: unknown;
  try {
    const created = await runtime.client.createOrder({
      partnerOrderNo: orderId,
      wallet: priced.wallet,
      orderAmount: priced.amount,
      currency: priced.currency,
      orderTitle,
      notifyUrl: runtime.notifyUrl,
      returnUrl: runtime.returnUrl,
      orderCreate: String(createdAt),
      timeoutRule: runtime.timeoutRule,
    });
    if (!runtime.isPayUrlAllowed(created.payUrl)) throw new PayUrlRefused();
    payment = { payUrl: created.payUrl, gatewayOrderNo: created.orderNo ?? null };
  } catch (error) {
    failure = describeFailure(error);
    cause = error;
  }

  const inserted = await store.insertOrder({
    order: {
      orderId,
      itemId: priced.itemId,
      title: priced.title,
      amount: priced.amount,
      currency: priced.currency,
      wallet: priced.wallet,
      quantity: priced.quantity,
      reference: priced.reference,
      createdAt,
      expiresAt: createdAt + runtime.timeoutMs,
      status: payment ? 'pending' : 'failed',
      payUrl: payment?.payUrl ?? null,
      gatewayOrderNo: payment?.gatewayOrderNo ?? null,
      failureCode: failure?.code ?? null,
      failureMessage: failure?.message ?? null,
    },
    nextCheckAt: createdAt + runtime.reconcileAfterMs,
    ...(idempotency ? { idempotency } : {}),
    // A gateway failure does not burn the merchant's token: it can be tried again.
    ...(priced.checkoutToken && payment ? { checkoutToken: priced.checkoutToken } : {}),
  });
  if (!inserted.ok) {
    // A concurrent request won the key or the token; its gateway order is the one that counts.
    if (inserted.conflict === 'token_used') throw tokenUsed();
    return replay(
      runtime,
      inserted.existing.orderId,
      inserted.existing.requestHash === idempotency?.requestHash,
    );
  }
  if (!payment) {
    runtime.logger.warn('gateway refused order', {
      orderId,
      failure: failure?.code,
      reason: failure?.message,
    });
    throw gatewayProblem(failure!, cause);
  }
  return {
    orderId,
    payUrl: payment.payUrl,
    amount: priced.amount,
    currency: priced.currency,
    wallet: priced.wallet,
    expiresAt: new Date(createdAt + runtime.timeoutMs).toISOString(),
  };
}

function tokenUsed(): ProblemError {
  return new ProblemError('token_used', 'this checkout token has already been used for an order');
}

/** Answers a repeated request exactly as the first one was answered. */
async function replay(
  runtime: ProxyRuntime,
  orderId: string,
  sameRequest: boolean,
): Promise<CreatedOrder> {
  if (!sameRequest) {
    throw new ProblemError(
      'idempotency_conflict',
      'this Idempotency-Key was already used with a different request',
    );
  }
  const order = await runtime.store.getOrder(orderId);
  if (order?.payUrl) return createdView(order, order.payUrl);
  if (order?.status === 'failed') {
    throw gatewayProblem({
      code: order.failureCode ?? 'failed',
      message: order.failureMessage ?? '',
    });
  }
  throw new ProblemError(
    'idempotency_conflict',
    'the first request with this Idempotency-Key is still in progress',
  );
}

function createdView(order: Order, payUrl: string): CreatedOrder {
  return {
    orderId: order.orderId,
    payUrl,
    amount: order.amount,
    currency: order.currency,
    wallet: order.wallet,
    expiresAt: new Date(order.expiresAt).toISOString(),
  };
}

class PayUrlRefused extends Error {}

interface Failure {
  /** The gateway's numeric code as text, or one of ours: `signature`, `transport`, `pay_url`, … */
  code: string;
  message: string;
}

function describeFailure(error: unknown): Failure {
  if (error instanceof ScanForPayError) return { code: String(error.code), message: error.msg };
  if (error instanceof PayUrlRefused)
    return { code: 'pay_url', message: 'the payUrl is not on an allowed gateway host' };
  if (error instanceof SignatureError)
    return {
      code: 'signature',
      message: `the gateway answer failed verification (${error.reason})`,
    };
  if (error instanceof TransportError) {
    return {
      code: 'transport',
      message: error.timeout ? 'the gateway timed out' : 'the gateway could not be reached',
    };
  }
  return { code: 'invalid', message: 'the gateway exchange was invalid' };
}

function gatewayProblem(failure: Failure, cause?: unknown): ProblemError {
  const numeric = /^-?\d+$/.test(failure.code);
  return new ProblemError(
    'gateway_error',
    numeric ? `the payment gateway refused the order: ${failure.message}` : failure.message,
    {
      extra: numeric ? { gatewayCode: Number(failure.code), gatewayMsg: failure.message } : {},
      cause,
    },
  );
}

/** Stable text of a request for idempotency: same fields, same order, absent = null. */
function canonicalRequest(request: OrderRequest): string {
  return JSON.stringify([
    request.item ?? null,
    request.wallet ?? null,
    request.quantity ?? null,
    request.amount ?? null,
    request.token ?? null,
    request.reference ?? null,
  ]);
}
