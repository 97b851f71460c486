import { isTimeoutRule, parseTimeoutRule, type CreateOrderBody } from '@scanforpay/protocol';
import type { Order, OrderBook, OrderEndpoint } from './order-book.js';
import type { Partner } from './partner.js';
import { RESULT_CODES } from './result-codes.js';
import { invalidField, SandboxError, unknownStore } from './sandbox-error.js';
import { DEFAULT_TIMEOUT_RULE, isHttpUrl } from './sandbox-options.js';

export interface CreateOrderDeps {
  readonly orders: OrderBook;
  readonly now: () => Date;
  readonly random: (bytes: number) => string;
  /** The base of `payUrl`: the fixed public URL, else the request's origin. */
  readonly payUrlBase: string;
}

/**
 * Creates an order, or returns the existing one when the same `partnerOrderNo` comes again
 * with the same content. `body` has passed the field schema.
 */
export function createOrder(
  deps: CreateOrderDeps,
  partner: Partner,
  endpoint: OrderEndpoint,
  body: CreateOrderBody,
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
  if (!isTimeoutRule(timeoutRule)) {
    throw invalidField('body.timeoutRule: from 1m to 15d, like 90m, 12h or 3d');
  }
  const lifetime = parseTimeoutRule(timeoutRule);
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

  const existing = deps.orders.byPartnerOrderNo(partner.partnerNo, body.partnerOrderNo);
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

  const now = deps.now();
  const start = body.orderCreate ? Number(body.orderCreate) : now.getTime();
  const expiresAt = new Date(start + lifetime);
  if (expiresAt.getTime() <= now.getTime()) {
    throw new SandboxError(
      RESULT_CODES.orderExpired,
      'order would already be expired: orderCreate + timeoutRule is in the past',
    );
  }
  const token = deps.random(16);
  const order = deps.orders.add({
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
    payUrl: `${deps.payUrlBase}/cashier/${token}`,
    createdAt: now,
    expiresAt,
  });
  return { order, replay: false };
}
