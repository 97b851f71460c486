import {
  ScanForPayError,
  SignatureError,
  TransportError,
  type CreateOrderResult,
} from '@scanforpay/protocol';
import type { Order } from '../domain/order.js';
import { ProblemError } from '../problem.js';
import { gatewayMessage } from './gateway-message.js';

/** The longest gateway `msg` kept with a failed order (documented: 100 characters). */
const MAX_FAILURE_MESSAGE = 200;

/**
 * What of the request the answer echoes and does not match: the order number in the body, the
 * request id in the header (each checked when present). A signed answer to another request
 * (replayed, or mixed up by a broken gateway) is not this order's answer.
 */
export function echoMismatch(created: CreateOrderResult, orderId: string): string | undefined {
  const { partnerOrderNo } = created;
  if (partnerOrderNo !== undefined && partnerOrderNo !== orderId) {
    return `partnerOrderNo ${clip(String(partnerOrderNo))}`;
  }
  const { reqMsgId, header } = created.exchange;
  if (header.reqMsgId !== undefined && header.reqMsgId !== reqMsgId) {
    return `reqMsgId ${clip(String(header.reqMsgId))}`;
  }
  return undefined;
}

export class PayUrlRefused extends Error {}

export class AnswerMismatch extends Error {}

/** Why a create call did not give a usable `payUrl`: for the log, the admin and the shopper. */
export interface CreationFailure {
  /** The gateway's numeric code as text, or one of ours: `signature`, `transport`, `pay_url`, … */
  code: string;
  /** For the log and the admin view: may quote the gateway. */
  message: string;
  /** For the shopper: our own words only. */
  detail: string;
}

export function describeFailure(error: unknown): CreationFailure {
  if (error instanceof ScanForPayError) {
    return {
      code: String(error.code),
      message: clip(error.msg),
      detail: gatewayMessage(error.code),
    };
  }
  if (error instanceof AnswerMismatch) {
    return {
      code: 'mismatch',
      message: `the gateway answer is for another request (${error.message})`,
      detail: MISMATCH_DETAIL,
    };
  }
  if (error instanceof PayUrlRefused) {
    return ours('pay_url', 'the payUrl is not a clean https URL on an allowed gateway host');
  }
  if (error instanceof SignatureError) {
    return ours('signature', `the gateway answer failed verification (${error.reason})`);
  }
  if (error instanceof TransportError) {
    return ours(
      'transport',
      error.timeout ? 'the gateway timed out' : 'the gateway could not be reached',
    );
  }
  return ours('invalid', 'the gateway exchange was invalid');
}

/** Seconds a shopper is asked to wait after the gateway could not be reached. */
const TRANSPORT_RETRY_AFTER_S = 10;

const MISMATCH_DETAIL = 'the payment gateway’s answer does not belong to this order';

function ours(code: string, message: string): CreationFailure {
  return { code, message, detail: message };
}

/** A failed order's stored failure, for a replay: the shopper gets our words again. */
export function storedFailure(order: Order): CreationFailure {
  const code = order.failureCode ?? 'failed';
  const message = order.failureMessage ?? '';
  if (/^-?\d+$/.test(code)) return { code, message, detail: gatewayMessage(Number(code)) };
  if (code === 'mismatch') return { code, message, detail: MISMATCH_DETAIL };
  return { code, message, detail: message || 'the payment gateway refused the order' };
}

export function gatewayProblem(failure: CreationFailure, cause?: unknown): ProblemError {
  const numeric = /^-?\d+$/.test(failure.code);
  return new ProblemError('gateway_error', failure.detail, {
    extra: numeric ? { gatewayCode: Number(failure.code) } : {},
    // Unreachable or slow: worth another try soon. A refusal is not.
    headers: failure.code === 'transport' ? { 'Retry-After': String(TRANSPORT_RETRY_AFTER_S) } : {},
    cause,
  });
}

/** Gateway text as kept with an order: no control characters, bounded. */
function clip(text: string): string {
  const clean = text.replace(/[\p{Cc}\u2028\u2029]/gu, ' ');
  return clean.length > MAX_FAILURE_MESSAGE ? `${clean.slice(0, MAX_FAILURE_MESSAGE - 1)}…` : clean;
}
