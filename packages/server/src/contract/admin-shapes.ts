import * as v from 'valibot';
import { CHECKOUT_CONTEXTS, GATEWAY_ENDPOINTS } from '../domain/checkout-context.js';
import { SAMPLE_EVENT_TYPES } from '../domain/sample-event.js';
import { NOTIFICATION_OUTCOMES } from '../domain/notification.js';
import { ORDER_STATUSES } from '../domain/order.js';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';
import { REFUND_STATUSES } from '../domain/refund.js';
import { MAX_REFUND_REASON, REFUND_NO_SHAPE } from '../orders/refund-order.js';
import { readJsonBody } from './requests.js';
import { OrderIdSchema, OrderStatusSchema, WalletSchema } from './shapes.js';

/**
 * The admin API's requests and answers (`/admin/*`, behind the bearer token), as valibot
 * schemas: the admin route validates with them and the OpenAPI document describes them.
 */

const about = <S extends v.GenericSchema>(schema: S, text: string) =>
  v.pipe(schema, v.description(text));
const int = v.pipe(v.number(), v.safeInteger());
const ms = (text: string) => about(int, `${text} (epoch milliseconds).`);
const text = v.nullable(v.string());

/** A stored order, as the merchant's tools see it (gateway text redacted of secrets). */
export const AdminOrderSchema = v.object({
  orderId: OrderIdSchema,
  itemId: v.string(),
  title: v.string(),
  amount: about(int, 'Minor units.'),
  currency: v.string(),
  wallet: WalletSchema,
  quantity: int,
  reference: text,
  status: OrderStatusSchema,
  gatewayOrderNo: text,
  payUrl: text,
  failureCode: text,
  failureMessage: text,
  createdAt: ms('Created'),
  expiresAt: ms('Payable until'),
  paidAt: v.nullable(ms('Paid')),
  refundedAmount: about(int, 'Minor units refunded so far.'),
  updatedAt: ms('Last changed'),
  context: v.nullable(v.picklist(CHECKOUT_CONTEXTS)),
  endpoint: v.picklist(GATEWAY_ENDPOINTS),
  checks: about(int, 'payQuery checks made so far.'),
  nextCheckAt: v.nullable(ms('Next check due')),
});

/** One refund of an order. */
export const RefundSchema = v.object({
  refundNo: v.string(),
  orderId: OrderIdSchema,
  amount: about(int, 'Minor units.'),
  status: v.picklist(REFUND_STATUSES),
  refundedBefore: about(int, "The order's refunded total when the refund was reserved."),
  reason: text,
  failureCode: text,
  failureMessage: text,
  createdAt: ms('Created'),
  updatedAt: ms('Last changed'),
});

/** A merchant event in the outbox, its Standard Webhooks payload parsed. */
export const AdminEventSchema = v.object({
  eventId: v.string(),
  type: about(v.string(), 'e.g. order.paid'),
  orderId: v.nullable(v.string()),
  payload: about(v.unknown(), 'The payload `{type, timestamp, data}` as delivered.'),
  createdAt: ms('Created'),
  attempts: int,
  nextAttemptAt: ms('Next attempt'),
  deliveredAt: v.nullable(ms('Delivered')),
  givenUpAt: v.nullable(ms('Given up')),
  lastError: text,
});

/** `GET /admin/events/:eventId` and its resend: the event, and where it is delivered. */
export const AdminEventAnswerSchema = v.object({
  event: AdminEventSchema,
  url: about(v.nullable(v.string()), 'The merchant webhook; null when none is configured.'),
});

/** `POST /admin/webhook/test`: the body (empty: `order.paid`). */
export const WebhookTestRequestSchema = v.strictObject(
  {
    type: v.optional(
      about(
        v.picklist(SAMPLE_EVENT_TYPES, `type: one of ${SAMPLE_EVENT_TYPES.join(', ')}`),
        'The sample event to send; default `order.paid`.',
      ),
    ),
  },
  (issue) =>
    issue.expected === 'never'
      ? `${String(issue.input)}: unknown field (type)`
      : 'the body must be a JSON object',
);

/** `POST /admin/webhook/test`: how the signed sample event went. */
export const AdminWebhookTestSchema = v.object({
  url: v.string(),
  eventId: v.string(),
  type: v.picklist(SAMPLE_EVENT_TYPES),
  outcome: v.picklist(['delivered', 'gone', 'failed']),
  status: about(v.nullable(int), "The receiver's HTTP status; null without an answer in time."),
  answer: about(v.string(), "The start of the receiver's answer (200 characters)."),
  error: text,
});

/** A notification from the gateway as it was received (secrets redacted). */
export const AdminNotificationSchema = v.object({
  id: int,
  orderId: v.nullable(v.string()),
  dedupeKey: v.nullable(v.string()),
  rawBody: v.string(),
  verified: v.boolean(),
  outcome: v.picklist(NOTIFICATION_OUTCOMES),
  reason: text,
  receivedAt: ms('Received'),
});

/** `GET /admin/orders`: newest first; `next` is the `before` of the next page. */
export const AdminOrderPageSchema = v.object({
  orders: v.array(AdminOrderSchema),
  next: v.nullable(OrderIdSchema),
});

/** `GET /admin/orders/:orderId`. */
export const AdminOrderDetailSchema = v.object({
  order: AdminOrderSchema,
  refunds: v.array(RefundSchema),
  events: v.array(AdminEventSchema),
  notifications: v.array(AdminNotificationSchema),
});

/** `GET /admin/webhook`: the merchant endpoint and whether deliveries to it are paused. */
export const AdminWebhookStateSchema = v.union([
  v.object({ url: v.string(), disabledAt: v.nullable(ms('Disabled')), reason: text }),
  v.object({ url: v.null() }),
]);

/** `POST /admin/orders/:orderId/refunds`: 201 refunded (200 a replay of the same refundNo). */
export const RefundResultSchema = v.object({ refund: RefundSchema, order: AdminOrderSchema });

/** 202: the gateway has not decided yet; retry with the same `refundNo`. */
export const RefundPendingSchema = v.object({ refund: RefundSchema, detail: v.string() });

/** `GET /admin/orders`: the query. */
export const AdminOrdersQuerySchema = v.object({
  status: v.optional(v.picklist(ORDER_STATUSES, `status: one of ${ORDER_STATUSES.join(', ')}`)),
  limit: v.optional(
    about(
      v.pipe(
        v.string('limit: a whole number from 1 to 200'),
        // 1 to 200, in at most three digits (`007` is 7).
        v.regex(
          /^(?=[0-9]{1,3}$)0*(?:[1-9][0-9]?|1[0-9]{2}|200)$/,
          'limit: a whole number from 1 to 200',
        ),
      ),
      'Orders per page, 1 to 200 (default 50).',
    ),
  ),
  before: v.optional(
    about(
      v.pipe(v.string(), v.regex(ORDER_ID_SHAPE, 'before: an order id')),
      'The `next` of the previous page.',
    ),
  ),
});

const AMOUNT = 'amount: a positive integer in minor units';
const REFUND_NO = 'refundNo: 1-32 of A-Z a-z 0-9 _ -';
const REASON = `reason: text of at most ${MAX_REFUND_REASON} characters`;

/** `POST /admin/orders/:orderId/refunds`: the body; empty refunds everything left. */
export const RefundRequestSchema = v.strictObject(
  {
    amount: v.optional(
      about(
        v.pipe(v.number(AMOUNT), v.safeInteger(AMOUNT), v.minValue(1, AMOUNT)),
        'Minor units; default: everything not yet refunded.',
      ),
    ),
    refundNo: v.optional(
      about(
        v.pipe(v.string(REFUND_NO), v.regex(REFUND_NO_SHAPE, REFUND_NO)),
        'Your id for this refund: a retry with the same refundNo is the same refund.',
      ),
    ),
    reason: v.optional(v.pipe(v.string(REASON), v.maxLength(MAX_REFUND_REASON, REASON))),
  },
  (issue) =>
    issue.expected === 'never'
      ? `${String(issue.input)}: unknown field (amount, refundNo, reason)`
      : 'the body must be a JSON object',
);

export type RefundRequest = v.InferOutput<typeof RefundRequestSchema>;

/** Reads a refund request: an empty body refunds everything left; unknown fields are refused. */
export function parseRefundBody(text: string, contentType: string | undefined): RefundRequest {
  const body = readJsonBody(RefundRequestSchema, text, contentType, 'refund') ?? {};
  const out: RefundRequest = {};
  if (body.amount !== undefined) out.amount = body.amount;
  if (body.refundNo !== undefined) out.refundNo = body.refundNo;
  if (body.reason !== undefined) out.reason = body.reason;
  return out;
}
