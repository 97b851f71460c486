import * as v from 'valibot';
import { WALLETS } from '@scanforpay/protocol';
import { CHECKOUT_CONTEXTS } from '../domain/checkout-context.js';
import { OFFER_LANGS } from '../domain/offer-texts.js';
import { ORDER_STATUSES } from '../domain/order.js';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';
import { PROBLEM_CODES, type ProblemCode } from '../problem.js';
import { OrderRequestSchema } from '../orders/parse-order-request.js';

/**
 * The JSON the proxy's public API answers with, as valibot schemas. They are the source of the
 * OpenAPI document (`GET /openapi.json`): each named schema here becomes one of its
 * `components.schemas`, and tests check the proxy's real answers against them.
 */

const about = <S extends v.GenericSchema>(schema: S, text: string) =>
  v.pipe(schema, v.description(text));
const minor = (text: string) => about(v.pipe(v.number(), v.safeInteger(), v.minValue(0)), text);

export const WalletSchema = about(
  v.picklist(WALLETS),
  'A wallet, spelled as the gateway spells it.',
);
export const OrderStatusSchema = about(
  v.picklist(ORDER_STATUSES),
  "An order's status; it never moves backwards.",
);
export const LangSchema = about(v.picklist(OFFER_LANGS), "The shopper's language.");
export const OrderIdSchema = about(
  v.pipe(v.string(), v.regex(ORDER_ID_SHAPE)),
  "The order's id, also the gateway's partnerOrderNo; it is the capability to read the order.",
);
const byWallet = (text: string) =>
  about(v.object({ Alipay: v.string(), AlipayHK: v.string(), Wechat: v.string() }), text);

/** `GET /items/:id` without `lang` or `context`: the item's public facts, cacheable. */
export const ItemSchema = about(
  v.object({
    id: v.string(),
    title: v.string(),
    currency: about(v.string(), 'ISO 4217 code, e.g. HKD.'),
    wallets: v.array(WalletSchema),
    amount: v.optional(minor('A fixed-price item: its price in minor units.')),
    min: v.optional(minor('An open-amount item: the smallest amount in minor units.')),
    max: v.optional(minor('An open-amount item: the largest amount in minor units.')),
  }),
  'A catalog item: a fixed-price item has `amount`, an open-amount item `min` and `max`.',
);

/** `GET /items/:id?lang=…`: the item as this shopper is offered it, with the button's words. */
export const ItemOfferSchema = about(
  v.object({
    ...ItemSchema.entries,
    wallets: about(v.array(WalletSchema), 'The wallets offered in this context, in order.'),
    digits: about(v.pipe(v.number(), v.integer()), "The currency's decimal places."),
    context: v.picklist(CHECKOUT_CONTEXTS),
    hints: byWallet('A one-line hint per wallet.'),
    notice: v.optional(about(v.string(), 'In an in-app browser: how to reach the wallets.')),
    scan: v.string(),
    here: v.string(),
    close: v.string(),
    copy: v.optional(about(v.string(), "The copy-link button's label (social apps).")),
    names: byWallet("Each wallet's name in the shopper's language."),
    pay: byWallet("The pay button's label per wallet."),
    method: about(v.string(), 'The accessible name of the wallet choice.'),
    label: about(v.string(), "The amount field's label."),
    range: v.optional(about(v.string(), "An open amount's bounds in words.")),
    warnings: about(
      v.array(v.string()),
      "What is wrong with the page's `wallets` or `amount` attributes, for the console.",
    ),
    css: about(v.string(), 'The styles of the parts the offer brings.'),
  }),
  "A catalog item as offered to this shopper (`?lang=`), with the button's words.",
);

/** `POST /orders`: the body. The same schema validates the request. */
export { OrderRequestSchema };

/** The 201 answer of `POST /orders`. */
export const CreatedOrderSchema = about(
  v.object({
    orderId: OrderIdSchema,
    payUrl: about(v.pipe(v.string(), v.url()), "The gateway's cashier: send the shopper there."),
    amount: minor('The total in minor units.'),
    currency: v.string(),
    wallet: WalletSchema,
    expiresAt: about(v.pipe(v.string(), v.isoTimestamp()), 'When the order stops being payable.'),
  }),
  'A created order.',
);

/** `GET /orders/:orderId`: nothing secret, nothing about the buyer. */
export const OrderSchema = about(
  v.object({
    orderId: OrderIdSchema,
    status: OrderStatusSchema,
    amount: minor('The total in minor units.'),
    currency: v.string(),
    wallet: WalletSchema,
    title: v.string(),
    paidAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  }),
  'An order as anyone holding its id may read it.',
);

/** `GET /orders/:orderId?lang=…`: the order with the result page's words. */
export const OrderViewSchema = about(
  v.object({
    ...OrderSchema.entries,
    message: about(v.string(), "The status in the shopper's words."),
    total: about(v.string(), 'The total as money.'),
    late: v.optional(about(v.string(), 'A pending order: the words for a wait that ran out.')),
    again: v.optional(about(v.pipe(v.string(), v.url()), 'A new attempt on the pay page.')),
    retry: v.optional(about(v.string(), 'The label of the link to `again`.')),
  }),
  "An order with the result page's words (`?lang=`).",
);

/** `GET /healthz`. */
export const HealthSchema = v.union([
  v.object({ ok: v.literal(true), store: v.literal('ok') }),
  v.object({ ok: v.literal(false), store: v.literal('unavailable') }),
]);

/** `GET /scanforpay-button.json`: the button bundle's manifest. */
export const ButtonManifestSchema = v.object({
  name: v.literal('@scanforpay/button'),
  version: v.string(),
  url: about(v.pipe(v.string(), v.url()), 'The pinned, immutable script URL.'),
  integrity: about(v.pipe(v.string(), v.startsWith('sha384-')), 'Its subresource integrity.'),
  bytes: v.pipe(v.number(), v.integer()),
});

/** Every error answer: RFC 9457 `application/problem+json`; clients branch on `code`. */
export const ProblemSchema = about(
  v.looseObject({
    type: about(v.pipe(v.string(), v.startsWith('urn:scanforpay:problem:')), 'Stable per code.'),
    title: v.string(),
    status: v.pipe(v.number(), v.integer()),
    detail: about(v.string(), 'For the merchant: what is wrong and how to fix it.'),
    code: about(
      v.picklist(Object.keys(PROBLEM_CODES) as ProblemCode[]),
      'Stable: what clients branch on.',
    ),
    message: v.optional(about(v.string(), 'For the shopper, in their language (`?lang=`).')),
    issues: v.optional(
      about(
        v.array(v.object({ field: v.string(), message: v.string() })),
        'An invalid order request: each field that is wrong.',
      ),
    ),
    min: v.optional(minor('amount_out_of_range: the smallest amount.')),
    max: v.optional(minor('amount_out_of_range: the largest amount.')),
    currency: v.optional(v.string()),
    gatewayCode: v.optional(about(v.number(), "The gateway's own code, when it refused.")),
  }),
  'An error (RFC 9457).',
);
