import { Webhook } from 'standardwebhooks';
import {
  WEBHOOK_SECRET_BYTES,
  WEBHOOK_SECRET_PREFIX,
  webhookSecretProblem,
} from '../config/checks.js';
import { DEFAULTS } from '../config/defaults.js';

/** How long one delivery may take, answer included, unless told otherwise. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = DEFAULTS.webhookTimeoutMs;

/** The merchant's answer body is read (so the connection can be reused) up to this, then dropped. */
const MAX_ANSWER_BYTES = 4096;

/** A new signing secret for a merchant endpoint: `whsec_` + base64 of `bytes` random bytes. */
export function createWebhookSecret(bytes = 32): string {
  const { min, max } = WEBHOOK_SECRET_BYTES;
  if (!Number.isInteger(bytes) || bytes < min || bytes > max) {
    throw new RangeError(`a webhook secret holds ${min} to ${max} bytes`);
  }
  const key = crypto.getRandomValues(new Uint8Array(bytes));
  return WEBHOOK_SECRET_PREFIX + btoa(String.fromCharCode(...key));
}

/**
 * Throws a one-line TypeError unless `secret` is a Standard Webhooks secret (`whsec_` + base64
 * of 24 to 64 bytes). The message never repeats the secret.
 */
export function assertWebhookSecret(secret: unknown): asserts secret is string {
  const problem = webhookSecretProblem(secret);
  if (problem !== undefined) throw new TypeError(`the webhook secret ${problem}`);
}

/** The three Standard Webhooks headers for one message. */
export interface WebhookSignatureHeaders {
  'webhook-id': string;
  /** Seconds since the epoch. */
  'webhook-timestamp': string;
  /** `v1,<base64 HMAC-SHA256 of "id.timestamp.payload">`. */
  'webhook-signature': string;
}

/** Signs `payload` as message `id` at `at` (epoch ms): the headers a receiver verifies. */
export function signWebhook(
  secret: string,
  id: string,
  at: number,
  payload: string,
): WebhookSignatureHeaders {
  assertWebhookSecret(secret);
  const date = new Date(at);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, date, payload),
  };
}

export interface DeliverWebhookOptions {
  /** The merchant's endpoint. */
  url: string;
  secret: string;
  /** Sent as `webhook-id`: the same on every redelivery. */
  eventId: string;
  /** The stored JSON text, sent byte for byte. */
  payload: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The whole exchange, answer included. Default 10 s. */
  timeoutMs?: number;
  /** Epoch ms for `webhook-timestamp`. Default `Date.now`. */
  now?: () => number;
  /** Keep the start of the merchant's answer as `answer` (a test send shows it). Default false. */
  keepAnswer?: boolean;
}

/**
 * How one delivery went. `error` is short and never holds the secret or the payload; `answer`
 * (with `keepAnswer`) is the start of the merchant's answer body, whitespace collapsed.
 */
export type WebhookDelivery = (
  | { outcome: 'delivered'; status: number }
  | { outcome: 'gone'; status: 410 }
  | { outcome: 'failed'; status?: number; error: string }
) & { answer?: string };

/** Characters of the answer kept with `keepAnswer`. */
const ANSWER_EXCERPT = 200;

/**
 * Sends one event to the merchant: a signed POST of the stored payload. Any 2xx is delivered,
 * 410 means the merchant retired the endpoint, everything else (3xx included: redirects are
 * never followed, so a signed body cannot be bounced elsewhere) is a failure to retry.
 * Never throws for what the network or the merchant does.
 */
export async function deliverWebhook(options: DeliverWebhookOptions): Promise<WebhookDelivery> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const headers = signWebhook(
    options.secret,
    options.eventId,
    (options.now ?? Date.now)(),
    options.payload,
  );
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await send(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'scanforpay-proxy',
        ...headers,
      },
      body: options.payload,
      redirect: 'manual',
      signal: controller.signal,
    });
    const answer = await discardAnswer(response, options.keepAnswer === true);
    return answer === undefined ? classify(response) : { ...classify(response), answer };
  } catch (error) {
    if (controller.signal.aborted)
      return { outcome: 'failed', error: `timeout after ${timeoutMs} ms` };
    return { outcome: 'failed', error: networkError(error) };
  } finally {
    clearTimeout(timer);
  }
}

function classify(response: Response): WebhookDelivery {
  const { status } = response;
  if (status >= 200 && status < 300) return { outcome: 'delivered', status };
  if (status === 410) return { outcome: 'gone', status };
  // A browser-style fetch hides a manual redirect behind status 0.
  if (response.type === 'opaqueredirect' || status === 0) {
    return { outcome: 'failed', error: 'redirect (not followed)' };
  }
  if (status >= 300 && status < 400) {
    return { outcome: 'failed', status, error: `HTTP ${status} redirect (not followed)` };
  }
  return { outcome: 'failed', status, error: `HTTP ${status}` };
}

/**
 * The status decides the outcome; the body is read (up to 4 KiB) so the connection can be
 * reused, and its start returned when `keep` is set.
 */
async function discardAnswer(response: Response, keep: boolean): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  const excerpt = () => {
    if (!keep) return undefined;
    const text = new TextDecoder().decode(concat(chunks)).replace(/\s+/g, ' ').trim();
    return text.length > ANSWER_EXCERPT ? `${text.slice(0, ANSWER_EXCERPT)}…` : text;
  };
  if (!response.body) return excerpt();
  const reader = response.body.getReader();
  let read = 0;
  try {
    while (read < MAX_ANSWER_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) return excerpt();
      read += chunk.value.byteLength;
      if (keep) chunks.push(chunk.value);
    }
  } catch {
    return excerpt();
  }
  await reader.cancel().catch(() => undefined);
  return excerpt();
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

function networkError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  // Only a system error code (ECONNREFUSED, ENOTFOUND…): messages can carry the URL.
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,31}$/.test(code)
    ? `network error (${code})`
    : 'network error';
}
