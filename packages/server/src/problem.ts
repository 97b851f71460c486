/**
 * Problem codes of the proxy's HTTP API. Every error leaves the proxy as an RFC 9457
 * `application/problem+json` body `{type, title, status, detail, code}`; `code` is stable and
 * is what clients branch on.
 */
export const PROBLEM_CODES = {
  invalid_request: { status: 400, title: 'Invalid request' },
  invalid_notification: { status: 400, title: 'Invalid notification' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  origin_not_allowed: { status: 403, title: 'Origin not allowed' },
  item_not_found: { status: 404, title: 'Item not found' },
  order_not_found: { status: 404, title: 'Order not found' },
  not_found: { status: 404, title: 'Not found' },
  event_not_found: { status: 404, title: 'Event not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  idempotency_conflict: { status: 409, title: 'Idempotency key conflict' },
  not_refundable: { status: 409, title: 'Order not refundable' },
  order_not_payable: { status: 409, title: 'Order not payable' },
  refund_in_flight: { status: 409, title: 'Another refund is in flight' },
  webhook_not_configured: { status: 409, title: 'No webhook configured' },
  event_in_flight: { status: 409, title: 'Event being delivered' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  amount_out_of_range: { status: 422, title: 'Amount out of range' },
  wallet_not_allowed: { status: 422, title: 'Wallet not allowed' },
  refund_too_large: { status: 422, title: 'Refund exceeds what is left' },
  invalid_token: { status: 422, title: 'Invalid checkout token' },
  token_expired: { status: 422, title: 'Checkout token expired' },
  token_used: { status: 422, title: 'Checkout token already used' },
  notification_mismatch: { status: 422, title: 'Notification does not match the order' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  gateway_error: { status: 502, title: 'Payment gateway error' },
  store_unavailable: { status: 503, title: 'Store unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The `type` URI of a problem: stable, not meant to be fetched. */
export function problemType(code: ProblemCode): string {
  return `urn:scanforpay:problem:${code}`;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  [extra: string]: unknown;
}

export interface ProblemErrorOptions {
  /** Extra members of the problem body, e.g. `gatewayCode`. */
  extra?: Record<string, unknown>;
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The one error type of the proxy; `onError` turns it into a problem response. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly code: ProblemCode;
  readonly status: number;
  readonly detail: string;
  readonly extra: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ProblemCode, detail?: string, options: ProblemErrorOptions = {}) {
    const { status, title } = PROBLEM_CODES[code];
    super(detail ?? title, { cause: options.cause });
    this.code = code;
    this.status = status;
    this.detail = detail ?? title;
    this.extra = options.extra;
    this.headers = options.headers;
  }

  toBody(): ProblemBody {
    return {
      type: problemType(this.code),
      title: PROBLEM_CODES[this.code].title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...this.extra,
    };
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
