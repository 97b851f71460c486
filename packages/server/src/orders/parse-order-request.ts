import * as v from 'valibot';
import { CHECKOUT_CONTEXTS } from '../domain/checkout-context.js';
import { ProblemError } from '../problem.js';
import type { OrderRequest } from './price-order.js';

const shortText = (max: number) =>
  v.pipe(
    v.string(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `at most ${max} characters`),
  );

/** The body of `POST /orders` (and, read from a form, of `POST /checkout`). */
export const OrderRequestSchema = v.object({
  item: v.optional(shortText(64)),
  wallet: v.optional(shortText(16)),
  quantity: v.optional(
    v.pipe(
      v.number(),
      v.integer('a whole number'),
      v.minValue(1, 'at least 1'),
      v.maxValue(99, 'at most 99'),
    ),
  ),
  amount: v.optional(
    v.pipe(v.number(), v.safeInteger('an integer in minor units'), v.minValue(1, 'at least 1')),
  ),
  token: v.optional(shortText(2048)),
  reference: v.optional(v.pipe(shortText(64), v.regex(/^[\x20-\x7e]+$/, 'printable ASCII'))),
  context: v.optional(v.picklist(CHECKOUT_CONTEXTS, `one of ${CHECKOUT_CONTEXTS.join(', ')}`)),
});

/** Validates a JSON order request; unknown members are ignored. */
export function parseOrderRequest(input: unknown): OrderRequest {
  const result = v.safeParse(OrderRequestSchema, input);
  if (!result.success) {
    const issues = result.issues.map((issue) => ({
      field: v.getDotPath(issue) ?? '',
      message: issue.message,
    }));
    throw new ProblemError(
      'invalid_request',
      issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '),
      { extra: { issues } },
    );
  }
  const out: OrderRequest = {};
  for (const [key, value] of Object.entries(result.output)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** A whole number in a form field; blank is no value. */
const FORM_WHOLE = /^\s*(?:[0-9]{1,15})?\s*$/;
const formText = v.optional(v.string());

/** The fields of the no-script form (`POST /checkout`): text, read into the JSON shape. */
export const OrderFormSchema = v.object({
  item: formText,
  wallet: formText,
  quantity: v.optional(v.pipe(v.string(), v.regex(FORM_WHOLE, 'quantity: a whole number'))),
  amount: v.optional(v.pipe(v.string(), v.regex(FORM_WHOLE, 'amount: a whole number'))),
  token: formText,
  reference: formText,
  context: formText,
});

/** Reads an HTML form's text fields (files are ignored) into the JSON shape, then validates it. */
export function parseOrderForm(form: Record<string, unknown>): OrderRequest {
  const text = Object.fromEntries(
    Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const fields = v.safeParse(OrderFormSchema, text);
  if (!fields.success) throw new ProblemError('invalid_request', fields.issues[0].message);
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields.output)) {
    const whole = key === 'quantity' || key === 'amount';
    if (value === undefined || (whole ? value.trim() : value) === '') continue;
    input[key] = whole ? Number(value.trim()) : value;
  }
  return parseOrderRequest(input);
}
