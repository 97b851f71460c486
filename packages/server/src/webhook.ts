/**
 * `@scanforpay/server/webhook`: what the merchant's backend needs to receive the proxy's events.
 * Web-standard only (no Node modules), so it runs in Node, Deno, Bun, Workers and browsers.
 */
import { assertWebhookSecret, signWebhook } from './events/deliver-webhook.js';
import type { MerchantEvent, MerchantEventType } from './domain/merchant-event-types.js';

export {
  createWebhookSecret,
  signWebhook,
  type WebhookSignatureHeaders,
} from './events/deliver-webhook.js';
export {
  MERCHANT_EVENT_TYPES,
  type MerchantEvent,
  type MerchantEventData,
  type MerchantEventType,
} from './domain/merchant-event-types.js';

/** Why a webhook was refused. */
export const WEBHOOK_VERIFICATION_REASONS = [
  'missing_headers',
  'bad_signature',
  'too_old',
  'too_new',
  'malformed',
] as const;
export type WebhookVerificationReason = (typeof WEBHOOK_VERIFICATION_REASONS)[number];

/** The one error {@link verifyMerchantWebhook} throws for a message it refuses; answer it with 400. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  /** Stable: branch on this, not on the message. */
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface VerifyMerchantWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** Epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** Fetch `Headers`, or a plain object such as Node's `IncomingHttpHeaders`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Verifies a Standard Webhooks message from the proxy and returns its event, `id` taken from
 * `webhook-id` (the same on every redelivery: use it to ignore duplicates). `payload` must be the
 * raw request body, exactly as received. Throws {@link WebhookVerificationError} for any message
 * it refuses, and a TypeError when `secret` is not a `whsec_…` secret.
 */
export function verifyMerchantWebhook(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyMerchantWebhookOptions = {},
): MerchantEvent {
  assertWebhookSecret(secret);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError('toleranceSeconds must be a non-negative number');
  }
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    throw new WebhookVerificationError(
      'missing_headers',
      'webhook-id, webhook-timestamp and webhook-signature are all required (does your framework pass the request headers through?)',
    );
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    throw new WebhookVerificationError('malformed', 'webhook-timestamp is not a number of seconds');
  }
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (nowSeconds - seconds > tolerance) {
    throw new WebhookVerificationError(
      'too_old',
      `webhook-timestamp is more than ${tolerance} s old (a replayed message, or a wrong clock here)`,
    );
  }
  if (seconds - nowSeconds > tolerance) {
    throw new WebhookVerificationError(
      'too_new',
      `webhook-timestamp is more than ${tolerance} s ahead (is this machine's clock right?)`,
    );
  }

  const text = typeof payload === 'string' ? payload : decodeUtf8(payload);
  const expected = signWebhook(secret, id, seconds * 1000, text)['webhook-signature'];
  const matches = signature
    .split(' ')
    .map((entry) => entry.replace(/,$/, ''))
    .some((entry) => entry.startsWith('v1,') && constantTimeEqual(entry, expected));
  if (!matches) {
    throw new WebhookVerificationError(
      'bad_signature',
      'no webhook-signature matches (a wrong secret, or a changed body: pass the raw request body, not parsed and re-serialized JSON)',
    );
  }
  return parseEvent(id, text);
}

function parseEvent(id: string, text: string): MerchantEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WebhookVerificationError('malformed', 'the signed payload is not JSON');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('type' in parsed) ||
    typeof parsed.type !== 'string' ||
    !('timestamp' in parsed) ||
    typeof parsed.timestamp !== 'string' ||
    !('data' in parsed) ||
    typeof parsed.data !== 'object' ||
    parsed.data === null
  ) {
    throw new WebhookVerificationError(
      'malformed',
      'the signed payload is not an event {type, timestamp, data}',
    );
  }
  // Types this version does not know yet are passed through: the merchant decides what to ignore.
  return {
    id,
    type: parsed.type as MerchantEventType,
    timestamp: parsed.timestamp,
    data: parsed.data as MerchantEvent['data'],
  };
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : value;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new WebhookVerificationError('malformed', 'the payload is not UTF-8');
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
