import * as v from 'valibot';
import { ValidationError } from './errors.js';
import { isTimeoutRule } from './timeout-rule.js';

/** Wallet codes exactly as the API spells them. */
export const WALLETS = ['Alipay', 'AlipayHK', 'Wechat'] as const;
export type Wallet = (typeof WALLETS)[number];

/** payQuery / notify `status`: 0 to be paid, 1 paid, 2 failed, 3 refunded. */
export const ORDER_STATUS = { unpaid: 0, paid: 1, failed: 2, refunded: 3 } as const;
export type OrderStatusCode = (typeof ORDER_STATUS)[keyof typeof ORDER_STATUS];

/** refund `status`: 0 in progress, 1 done (labelled "Cancelled" in the docs), 2 failed. */
export const REFUND_STATUS = { processing: 0, done: 1, failed: 2 } as const;
export type RefundStatusCode = (typeof REFUND_STATUS)[keyof typeof REFUND_STATUS];

const text = (max: number) => v.pipe(v.string(), v.maxLength(max, `at most ${max} characters`));
const required = (max: number) => v.pipe(text(max), v.minLength(1, 'required'));
const amount = v.pipe(
  v.number(),
  v.safeInteger('an integer amount in minor units'),
  v.minValue(0, 'not negative'),
);
const positiveAmount = v.pipe(
  v.number(),
  v.safeInteger('an integer amount in minor units'),
  v.minValue(1, 'at least 1 minor unit'),
);
const code = v.pipe(v.number(), v.integer());
const msg = v.string();

export const WalletSchema = v.picklist(WALLETS, 'one of Alipay, AlipayHK, Wechat');

export const RequestHeaderSchema = v.object({
  version: required(6),
  partnerNo: required(15),
  // Documented String(32); the docs' own samples send 36-char UUIDs and one client sends "".
  reqMsgId: v.optional(text(36)),
  reqTime: v.optional(text(25)),
  requestTime: v.optional(text(25)),
  signType: v.optional(text(10)),
});

export const ResponseHeaderSchema = v.looseObject({
  version: v.optional(text(6)),
  partnerNo: text(15),
  respMsgId: v.optional(text(36)),
  reqMsgId: v.optional(text(36)),
  respTime: v.optional(text(25)),
  signType: v.optional(text(10)),
});

/** Body of `/api/online/create` and `/api/offline/qrcode`. */
export const CreateOrderBodySchema = v.object({
  storeNo: required(15),
  partnerOrderNo: required(32),
  wallet: WalletSchema,
  orderAmount: positiveAmount,
  goodsAmount: v.optional(amount),
  goodsExtraAmount: v.optional(amount),
  currency: required(10),
  orderTitle: v.optional(text(100)),
  operatorId: v.optional(text(20)),
  terminalNo: v.optional(text(20)),
  notifyUrl: v.optional(text(200)),
  returnUrl: v.optional(text(200)),
  orderCreate: v.optional(v.pipe(text(20), v.regex(/^[0-9]+$/, 'milliseconds since the epoch'))),
  timeoutRule: v.optional(
    v.pipe(text(10), v.check(isTimeoutRule, 'from 1m to 15d, like 90m, 12h or 3d')),
  ),
});
export type CreateOrderBody = v.InferOutput<typeof CreateOrderBodySchema>;

export const CreateOrderResponseSchema = v.looseObject({
  code,
  msg,
  payUrl: v.pipe(v.string(), v.url('an absolute URL')),
  orderNo: v.optional(text(32)),
});
export type CreateOrderResponse = v.InferOutput<typeof CreateOrderResponseSchema>;

/** Body of `/api/common/payQuery`: `orderNo` wins when both identifiers are present. */
export const PayQueryBodySchema = v.pipe(
  v.object({
    storeNo: v.optional(text(15)),
    partnerOrderNo: v.optional(text(32)),
    orderNo: v.optional(text(32)),
  }),
  v.check((b) => Boolean(b.partnerOrderNo || b.orderNo), 'partnerOrderNo or orderNo is required'),
);
export type PayQueryBody = v.InferOutput<typeof PayQueryBodySchema>;

const paymentFields = {
  code,
  msg,
  orderNo: v.optional(text(32)),
  partnerOrderNo: text(32),
  orderAmount: amount,
  wallet: text(10),
  status: v.picklist([0, 1, 2, 3], 'an order status 0-3'),
  payTime: v.optional(text(25)),
  currency: text(10),
  buyer: v.optional(text(30)),
  buyerId: v.optional(text(30)),
};

/** A successful payQuery answer. */
export const PayQueryResponseSchema = v.looseObject(paymentFields);
export type PayQueryResponse = v.InferOutput<typeof PayQueryResponseSchema>;

/** The body of a notification POSTed to `notifyUrl`: the payQuery fields. */
export const NotifyBodySchema = v.looseObject(paymentFields);
export type NotifyBody = v.InferOutput<typeof NotifyBodySchema>;

/** Body of `/api/common/refund`. */
export const RefundBodySchema = v.object({
  partnerOrderNo: required(32),
  refundNo: required(32),
  orderAmount: positiveAmount,
  operatorId: v.optional(text(20)),
  terminalNo: v.optional(text(20)),
});
export type RefundBody = v.InferOutput<typeof RefundBodySchema>;

export const RefundResponseSchema = v.looseObject({
  code,
  msg,
  orderAmount: amount,
  status: v.picklist([0, 1, 2], 'a refund status 0-2'),
  currency: text(10),
  refundNo: v.optional(text(32)),
});
export type RefundResponse = v.InferOutput<typeof RefundResponseSchema>;

/** Any answer: only `code` and `msg` are certain. */
export const ResultSchema = v.looseObject({ code, msg: v.optional(msg) });

/**
 * Validates `input` against `schema`, throwing a `ValidationError` that names each bad field.
 * Returns the input itself (not a copy), so key order, which the signature covers, is kept.
 */
export function assertValid<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  what: string,
  prefix = 'body',
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new ValidationError(
      what,
      result.issues.map((issue) => ({
        path: [prefix, v.getDotPath(issue)].filter(Boolean).join('.'),
        message: issue.message,
      })),
    );
  }
  return input as v.InferOutput<S>;
}
