import type { CreateOrderInput, HashFn, ScanForPayClient } from '@scanforpay/protocol';
import { routeOrder, type RouteOverrides } from '../domain/checkout-context.js';
import type { Order } from '../domain/order.js';
import type { FaultHook } from '../fault-hook.js';
import type { Logger } from '../logging/create-logger.js';
import { ProblemError } from '../problem.js';
import type { ProxyMetrics } from '../telemetry/proxy-metrics.js';
import type { IdempotencyRecord, OrderStore } from '../store/order-store.js';
import {
  AnswerMismatch,
  describeFailure,
  echoMismatch,
  gatewayProblem,
  PayUrlRefused,
  storedFailure,
  type CreationFailure,
} from './creation-failure.js';
import { priceOrder, type OrderRequest, type PriceOrderDeps } from './price-order.js';

export interface PlaceOrderDeps extends Omit<PriceOrderDeps, 'now'> {
  store: Pick<
    OrderStore,
    'getIdempotencyKey' | 'isCheckoutTokenUsed' | 'insertOrder' | 'recordCreation' | 'getOrder'
  >;
  /** The create client (its per-attempt timeout is `gatewayTimeoutMs`). */
  client: Pick<ScanForPayClient, 'createOrder'>;
  clock: () => number;
  /** Waits between checks of another request's outcome (idempotent replays). */
  sleep: (ms: number) => Promise<void>;
  hash: HashFn;
  newOrderId: () => string;
  logger: Logger;
  /** Whether a gateway's `payUrl` may be handed to a shopper. */
  isPayUrlAllowed: (url: string) => boolean;
  notifyUrl: string;
  returnUrl: string;
  timeoutRule: string;
  timeoutMs: number;
  gatewayTimeoutMs: number;
  /** Delay from creation to a pending order's first payQuery check. */
  reconcileAfterMs: number;
  /** The proxy's overrides of the routing table (an item's own overrides win). */
  routes?: RouteOverrides | undefined;
  /** Testing only: awaited at `create:reserved`, `create:answered`, `create:recorded`. */
  faultHook?: FaultHook | undefined;
  /** Counts each order the gateway answered for, by wallet and outcome (off: undefined). */
  metrics?: Pick<ProxyMetrics, 'orderCreated'> | undefined;
}

/** The answer to a successful `POST /orders`. */
export interface CreatedOrder {
  orderId: string;
  payUrl: string;
  amount: number;
  currency: string;
  wallet: string;
  expiresAt: string;
}

/** How long a repeated request waits for the first one with its `Idempotency-Key`. */
export const IDEMPOTENCY_WAIT_MS = 5_000;
/** Past the gateway timeout by this much, a first request still without an answer has died. */
const ABANDONED_AFTER_MS = 30_000;
const RETRY_AFTER_SECONDS = 2;

/**
 * Creates an order end to end: server-side price, then one transaction that writes the order
 * (pending, no `payUrl` yet) with its idempotency key and checkout-token claim, then the signed
 * gateway call, then a second write of the answer: the verified `payUrl`, or the failure (which
 * gives the token back). Concurrent requests with one key make one gateway call: the others
 * wait for its outcome. A crash between the call and the second write leaves a pending order
 * that reconciliation's payQuery settles, never an order only the gateway knows.
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  request: OrderRequest,
  idempotencyKey?: string,
): Promise<CreatedOrder> {
  const { store } = deps;
  let idempotency: { key: string; requestHash: string } | undefined;
  if (idempotencyKey !== undefined) {
    const requestHash = await deps.hash(canonicalRequest(request));
    const existing = await store.getIdempotencyKey(idempotencyKey);
    if (existing) return replay(deps, existing, requestHash);
    idempotency = { key: idempotencyKey, requestHash };
  }

  const priced = await priceOrder(request, {
    lookupItem: deps.lookupItem,
    resolveOrder: deps.resolveOrder,
    checkoutTokenSecret: deps.checkoutTokenSecret,
    now: deps.clock,
  });
  if (priced.checkoutToken && (await store.isCheckoutTokenUsed(priced.checkoutToken.id))) {
    throw tokenUsed();
  }
  const createdAt = deps.clock();
  const orderId = deps.newOrderId();
  const orderTitle =
    priced.quantity > 1 && priced.title.length + 4 + String(priced.quantity).length <= 100
      ? `${priced.title} × ${priced.quantity}`
      : priced.title;

  const context = request.context ?? null;
  const endpoint = routeOrder(priced.wallet, context, priced.routes, deps.routes);

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
      expiresAt: createdAt + deps.timeoutMs,
      status: 'pending',
      payUrl: null,
      gatewayOrderNo: null,
      failureCode: null,
      failureMessage: null,
      context,
      endpoint,
    },
    nextCheckAt: createdAt + deps.reconcileAfterMs,
    ...(idempotency ? { idempotency } : {}),
    ...(priced.checkoutToken ? { checkoutToken: priced.checkoutToken } : {}),
  });
  if (!inserted.ok) {
    // A concurrent request won the key or the token; its gateway order is the one that counts.
    if (inserted.conflict === 'token_used') throw tokenUsed();
    return replay(deps, inserted.existing, idempotency!.requestHash);
  }
  if (deps.faultHook) await deps.faultHook('create:reserved');

  const answer = await askGateway(deps, {
    partnerOrderNo: orderId,
    wallet: priced.wallet,
    orderAmount: priced.amount,
    currency: priced.currency,
    orderTitle,
    notifyUrl: deps.notifyUrl,
    returnUrl: deps.returnUrl,
    orderCreate: String(createdAt),
    timeoutRule: deps.timeoutRule,
    mode: endpoint,
  });
  if (deps.faultHook) await deps.faultHook('create:answered');
  if (answer.ok) {
    const recorded = await store.recordCreation(orderId, {
      at: deps.clock(),
      payUrl: answer.payUrl,
      gatewayOrderNo: answer.gatewayOrderNo,
    });
    if (!recorded.applied || !recorded.order) throw incomplete();
    deps.metrics?.orderCreated(priced.wallet, 'created');
    if (deps.faultHook) await deps.faultHook('create:recorded');
    return createdView(recorded.order, answer.payUrl);
  }

  const { failure } = answer;
  await store.recordCreation(orderId, {
    at: deps.clock(),
    failure: { code: failure.code, message: failure.message },
    ...(priced.checkoutToken ? { checkoutTokenId: priced.checkoutToken.id } : {}),
  });
  deps.logger.warn('gateway refused order', {
    orderId,
    failure: failure.code,
    reason: failure.message,
  });
  const problem = gatewayProblem(failure, answer.cause);
  deps.metrics?.orderCreated(priced.wallet, problem.code);
  throw problem;
}

/** The signed create call, and its answer checked: for this request, with a clean `payUrl`. */
async function askGateway(
  deps: PlaceOrderDeps,
  input: CreateOrderInput & { partnerOrderNo: string },
): Promise<
  | { ok: true; payUrl: string; gatewayOrderNo: string | null }
  | { ok: false; failure: CreationFailure; cause: unknown }
> {
  try {
    const created = await deps.client.createOrder(input);
    const mismatch = echoMismatch(created, input.partnerOrderNo);
    if (mismatch) throw new AnswerMismatch(mismatch);
    if (!deps.isPayUrlAllowed(created.payUrl)) throw new PayUrlRefused();
    return { ok: true, payUrl: created.payUrl, gatewayOrderNo: created.orderNo ?? null };
  } catch (error) {
    return { ok: false, failure: describeFailure(error), cause: error };
  }
}

function tokenUsed(): ProblemError {
  return new ProblemError('token_used', 'this checkout token has already been used for an order');
}

/**
 * Answers a repeated request exactly as the first one was answered, waiting a little (with
 * backoff) while the first is still at the gateway; past the wait, a 409 to retry later.
 */
async function replay(
  deps: PlaceOrderDeps,
  first: IdempotencyRecord,
  requestHash: string,
): Promise<CreatedOrder> {
  if (first.requestHash !== requestHash) {
    throw new ProblemError(
      'idempotency_conflict',
      'this Idempotency-Key was already used with a different request',
    );
  }
  const deadline = deps.clock() + IDEMPOTENCY_WAIT_MS;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const order = await deps.store.getOrder(first.orderId);
    if (order?.payUrl) return createdView(order, order.payUrl);
    if (order?.status === 'failed') throw gatewayProblem(storedFailure(order));
    if (order && order.status !== 'pending') throw incomplete();
    const now = deps.clock();
    if (order && now - order.createdAt > deps.gatewayTimeoutMs + ABANDONED_AFTER_MS) {
      throw incomplete();
    }
    if (now >= deadline) {
      throw new ProblemError(
        'idempotency_conflict',
        'the first request with this Idempotency-Key is still in progress: retry shortly',
        { headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
      );
    }
    await deps.sleep(Math.min(delay, deadline - now));
  }
}

/** The first request never recorded the gateway's answer (its process stopped, or the order moved on). */
function incomplete(): ProblemError {
  return gatewayProblem({
    code: 'incomplete',
    message: 'the order was not completed',
    detail:
      'the first request with this Idempotency-Key did not complete: send the order again with a new key',
  });
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

/** Stable text of a request for idempotency: same fields, same order, absent = null. */
function canonicalRequest(request: OrderRequest): string {
  return JSON.stringify([
    request.item ?? null,
    request.wallet ?? null,
    request.quantity ?? null,
    request.amount ?? null,
    request.token ?? null,
    request.reference ?? null,
    // Appended only when sent, so that keys stored before contexts existed still match.
    ...(request.context ? [request.context] : []),
  ]);
}
