import * as v from 'valibot';
import { JsonScanError, scanTopLevelMembers } from '@scanforpay/protocol';
import { CHECKOUT_CONTEXTS } from '../domain/checkout-context.js';
import { OFFER_LANGS } from '../domain/offer-texts.js';
import { ProblemError } from '../problem.js';

/**
 * The query strings and headers of the public routes, as valibot schemas: the routes validate
 * with them ({@link readInput}) and the OpenAPI document describes them. Each message is the
 * whole sentence of the 400 answer.
 */

const about = <S extends v.GenericSchema>(schema: S, text: string) =>
  v.pipe(schema, v.description(text));
const LANG_MESSAGE = 'lang: en, zh-HK or zh-CN';

/** `?lang=` where it is checked: the proxy answers in the shopper's words. */
export const LangQuerySchema = v.optional(
  about(v.picklist(OFFER_LANGS, LANG_MESSAGE), "The shopper's language: the answer has its words."),
);

/** `GET /items/:id`. */
export const ItemQuerySchema = v.object({
  context: v.optional(
    about(
      v.union(
        [v.literal(''), v.picklist(CHECKOUT_CONTEXTS)],
        'context: desktop, mobile, wechat, alipay or social',
      ),
      "The shopper's context when the page knows it; else read from the User-Agent.",
    ),
  ),
  lang: LangQuerySchema,
  coarse: v.optional(about(v.string(), '`1`: the page has a coarse pointer (a phone).')),
  wallets: v.optional(
    about(v.string(), "The page's `wallets` attribute as set (comma or space separated)."),
  ),
  amount: v.optional(
    about(v.string(), "The page's `amount` attribute as set: a wrong one is a warning."),
  ),
});

/** `GET /orders/:orderId`. */
export const OrderQuerySchema = v.object({
  lang: LangQuerySchema,
  returned: v.optional(
    about(v.string(), '`unpaid`: the shopper came back from the cashier without paying.'),
  ),
});

/** `?lang=` of the pages and problems: any value, the best match or `Accept-Language` wins. */
export const LooseLangQuerySchema = v.object({
  lang: v.optional(about(v.string(), "The shopper's language (en, zh-HK, zh-CN), else theirs.")),
});

/** The `Idempotency-Key` header of `POST /orders`. */
export const IdempotencyKeySchema = about(
  v.pipe(
    v.string(),
    v.regex(/^[\x21-\x7e]{1,255}$/, 'Idempotency-Key: 1-255 visible ASCII characters'),
  ),
  'The same key with the same body answers the same order (a retry creates nothing).',
);

/**
 * Validates `input` (a query record, a header, a JSON body) against `schema`: its output, or a
 * 400 `invalid_request` problem with the first issue's message (the schemas' messages name
 * their field). `pick` chooses another issue first, e.g. an unknown field over a bad value.
 */
export function readInput<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  pick: (issues: readonly v.BaseIssue<unknown>[]) => v.BaseIssue<unknown> | undefined = () =>
    undefined,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = pick(result.issues) ?? result.issues[0];
  throw new ProblemError('invalid_request', issue.message);
}

/**
 * Reads an optional JSON object body against `schema` (a `strictObject`): an empty body is
 * `undefined`; another media type is a 415, text that is not a JSON object a 400, and an unknown
 * field is named before a wrong value, as the fields are listed. `what` names the body in the
 * 415's words ("send the refund as application/json").
 */
export function readJsonBody<S extends v.GenericSchema>(
  schema: S,
  text: string,
  contentType: string | undefined,
  what: string,
): v.InferOutput<S> | undefined {
  if (text.trim() === '') return undefined;
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType ?? '')) {
    throw new ProblemError('unsupported_media_type', `send the ${what} as application/json`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProblemError('invalid_request', 'the body is not valid JSON');
  }
  // JSON Schema's `object` is never an array; valibot's would take `[]`.
  if (Array.isArray(json) || typeof json !== 'object' || json === null) {
    throw new ProblemError('invalid_request', 'the body must be a JSON object');
  }
  // `JSON.parse` keeps the last of a repeated key; `{"amount":100,"amount":19900}` would refund
  // what the sender's own parser may not have meant. Refused, as the protocol refuses it.
  try {
    scanTopLevelMembers(text);
  } catch (error) {
    if (!(error instanceof JsonScanError)) throw error;
    throw new ProblemError('invalid_request', `the body is not accepted: ${error.message}`);
  }
  return readInput(schema, json, (issues) => issues.find((issue) => issue.expected === 'never'));
}
