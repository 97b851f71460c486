import * as v from 'valibot';
import { NotifyBodySchema, ResponseHeaderSchema } from '@scanforpay/protocol';
import { ITEM_ID } from '../catalog/parse-catalog.js';
import { OrderFormSchema } from '../orders/parse-order-request.js';
import type { Operation } from './operation.js';
import {
  IdempotencyKeySchema,
  ItemQuerySchema,
  LooseLangQuerySchema,
  OrderQuerySchema,
} from './requests.js';
import {
  CreatedOrderSchema,
  HealthSchema,
  ItemOfferSchema,
  ItemSchema,
  OrderIdSchema,
  OrderRequestSchema,
  OrderSchema,
  OrderViewSchema,
} from './shapes.js';

const JSON_TYPE = 'application/json';
const ItemIdSchema = v.pipe(v.string(), v.regex(ITEM_ID), v.description("The item's id."));

/** The gateway's signed notification: the envelope around the payQuery fields. */
export const NotificationSchema = v.pipe(
  v.object({
    response: v.object({ header: ResponseHeaderSchema, body: NotifyBodySchema }),
    signature: v.pipe(v.string(), v.regex(/^[0-9a-fA-F]{64}$/)),
  }),
  v.description('Signed with the sign key over the raw text of `response`, as received.'),
);

/** The JSON API the button calls, the gateway's calls and the operations routes. */
export const SHOP_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/items/',
    operationId: 'noItem',
    tag: 'Shop',
    summary: 'An item id is missing',
    description: 'What a button without `item="…"` asks for: the problem names the fix.',
    answers: {},
    problems: ['item_not_found'],
  },
  {
    method: 'get',
    path: '/items/:id',
    operationId: 'getItem',
    tag: 'Shop',
    summary: 'Read a catalog item',
    description:
      'Without `lang` or `context`: the public facts, cacheable by anyone. With them (the button ' +
      'sends `lang`): the offer for this shopper, the wallets filtered and ordered for their ' +
      "context, and the button's words; private to the browser (`Vary: User-Agent`).",
    params: { id: ItemIdSchema },
    query: ItemQuerySchema,
    answers: {
      200: {
        description: 'The item, or its offer when `lang` or `context` is given.',
        type: JSON_TYPE,
        schema: v.union([ItemOfferSchema, ItemSchema]),
      },
    },
    problems: ['invalid_request', 'item_not_found', 'wallet_not_allowed'],
  },
  {
    method: 'post',
    path: '/orders',
    operationId: 'createOrder',
    tag: 'Shop',
    summary: 'Create an order',
    description:
      'Prices the order (catalog or checkout token), stores it, creates it at the gateway and ' +
      'answers its cashier URL. Only from an allowed origin; rate-limited per client.',
    query: LooseLangQuerySchema,
    headers: { 'Idempotency-Key': IdempotencyKeySchema },
    body: { type: JSON_TYPE, schema: OrderRequestSchema, required: true },
    answers: {
      201: {
        description: 'Created: send the shopper to `payUrl`.',
        type: JSON_TYPE,
        schema: CreatedOrderSchema,
      },
    },
    problems: [
      'invalid_request',
      'origin_not_allowed',
      'item_not_found',
      'idempotency_conflict',
      'order_not_payable',
      'payload_too_large',
      'unsupported_media_type',
      'amount_out_of_range',
      'wallet_not_allowed',
      'invalid_token',
      'token_expired',
      'token_used',
      'rate_limited',
      'gateway_error',
      'store_unavailable',
    ],
  },
  {
    method: 'get',
    path: '/orders/',
    operationId: 'noOrder',
    tag: 'Shop',
    summary: 'An order id is missing',
    description: 'What a result page without `?order=` asks for: the problem names the fix.',
    answers: {},
    problems: ['order_not_found'],
  },
  {
    method: 'get',
    path: '/orders/:orderId',
    operationId: 'getOrder',
    tag: 'Shop',
    summary: 'Read an order',
    description:
      'The id is the capability. A pending order past its time is checked with the gateway ' +
      "first. With `lang`: the result page's words.",
    params: { orderId: OrderIdSchema },
    query: OrderQuerySchema,
    answers: {
      200: {
        description: 'The order, with words when `lang` is given.',
        type: JSON_TYPE,
        schema: v.union([OrderViewSchema, OrderSchema]),
      },
    },
    problems: ['invalid_request', 'order_not_found'],
  },
  {
    method: 'post',
    path: '/checkout',
    operationId: 'checkout',
    tag: 'Pages',
    summary: 'Create an order from a form (no JavaScript)',
    description:
      "The no-script path: a 303 to the gateway's cashier; an error is a small HTML page with " +
      "the problem's status, linking back to the shop.",
    query: LooseLangQuerySchema,
    body: {
      type: 'application/x-www-form-urlencoded',
      schema: OrderFormSchema,
      required: true,
      description: 'The fields of `POST /orders`, as form text (multipart/form-data too).',
    },
    answers: {
      303: {
        description: "To the gateway's cashier.",
        headers: { Location: "The cashier's URL." },
      },
    },
    problems: [
      'invalid_request',
      'origin_not_allowed',
      'item_not_found',
      'unsupported_media_type',
      'amount_out_of_range',
      'wallet_not_allowed',
      'rate_limited',
      'gateway_error',
    ],
  },
  ...(['get', 'post'] as const).map((method): Operation => ({
    method,
    path: '/return',
    operationId: method === 'get' ? 'returnGet' : 'returnPost',
    tag: 'Gateway',
    summary: "The shopper's way back from the cashier",
    description:
      'Confirms the outcome with a signed payQuery (bounded per order and client) and always ' +
      'answers 303 to the result page, even for an unknown order.',
    query: v.object({
      partnerOrderNo: v.optional(v.pipe(v.string(), v.description('The order id.'))),
      via: v.optional(v.pipe(v.string(), v.description('`form`: a no-script order.'))),
    }),
    ...(method === 'post'
      ? {
          body: {
            type: 'application/x-www-form-urlencoded',
            schema: v.object({ partnerOrderNo: v.optional(v.string()) }),
            required: false,
            description: 'Or JSON; an unreadable body still lands on the result page.',
          },
        }
      : {}),
    answers: {
      303: { description: 'To the result page.', headers: { Location: 'The result page.' } },
    },
  })),
  {
    method: 'post',
    path: '/notify',
    operationId: 'notify',
    tag: 'Gateway',
    summary: "ScanForPay's payment notification",
    description:
      'Verified over the raw body, applied once, and answered `success` only after the commit. ' +
      "A refused one counts against its client's budget.",
    body: { type: JSON_TYPE, schema: NotificationSchema, required: true },
    answers: { 200: { description: 'Applied (or already applied).', type: 'text/plain' } },
    problems: [
      'invalid_notification',
      'order_not_found',
      'notification_mismatch',
      'payload_too_large',
      'rate_limited',
      'store_unavailable',
    ],
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'Operations',
    summary: 'Health',
    answers: {
      200: { description: 'The store answers.', type: JSON_TYPE, schema: HealthSchema },
      503: { description: 'The store cannot be reached.', type: JSON_TYPE, schema: HealthSchema },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    tag: 'Operations',
    summary: 'This document',
    description: 'OpenAPI 3.1, generated from the schemas that validate the requests.',
    answers: {
      200: { description: 'The document.', type: JSON_TYPE },
      304: { description: 'Not modified.' },
    },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'apiReference',
    tag: 'Operations',
    summary: 'This reference, as a page',
    answers: { 200: { description: 'The reference.', type: 'text/html' } },
  },
];
