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

const OrderRequestSchema = v.object({
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

const WHOLE = /^[0-9]{1,15}$/;

/** Reads an HTML form's string fields into the JSON shape, then validates it. */
export function parseOrderForm(form: Record<string, unknown>): OrderRequest {
  const input: Record<string, unknown> = {};
  for (const key of ['item', 'wallet', 'token', 'reference', 'context'] as const) {
    const value = form[key];
    if (typeof value === 'string' && value !== '') input[key] = value;
  }
  for (const key of ['quantity', 'amount'] as const) {
    const value = form[key];
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (!WHOLE.test(value.trim())) {
      throw new ProblemError('invalid_request', `${key}: a whole number`);
    }
    input[key] = Number(value.trim());
  }
  return parseOrderRequest(input);
}
