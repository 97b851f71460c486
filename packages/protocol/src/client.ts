import { ScanForPayError, SignatureError, TransportError } from './errors.js';
import { webCryptoSha256, type HashFn } from './hash.js';
import { openSigned } from './open-signed.js';
import {
  assertValid,
  CreateOrderBodySchema,
  CreateOrderResponseSchema,
  PayQueryBodySchema,
  PayQueryResponseSchema,
  RefundBodySchema,
  RefundResponseSchema,
  ResponseHeaderSchema,
  type CreateOrderResponse,
  type PayQueryResponse,
  type RefundResponse,
  type Wallet,
} from './schemas.js';
import { createHeader, signRequest } from './sign.js';
import { fetchTransport, type Transport } from './transport.js';

export const PRODUCTION_API_URL = 'https://pay.scanforpay.com';
export const TEST_API_URL = 'https://dev-pay.scan4pay.com';

export interface ClientOptions {
  /** Gateway base URL, e.g. `https://pay.scanforpay.com`. */
  apiUrl: string;
  partnerNo: string;
  storeNo: string;
  signKey: string;
  transport?: Transport;
  hash?: HashFn;
  now?: () => Date;
  /** Per-attempt timeout. Default 15 s. */
  timeoutMs?: number;
  /** Extra attempts for `queryPayment` after a transport failure. Default 2. */
  queryRetries?: number;
  /** First back-off delay for query retries; doubles each time, with jitter. Default 250 ms. */
  retryDelayMs?: number;
  /** Injected for tests; defaults to `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CreateOrderInput {
  partnerOrderNo: string;
  wallet: Wallet;
  /** Minor units. */
  orderAmount: number;
  currency: string;
  orderTitle?: string;
  notifyUrl?: string;
  returnUrl?: string;
  /** Milliseconds since the epoch, as digits. */
  orderCreate?: string;
  timeoutRule?: string;
  operatorId?: string;
  terminalNo?: string;
  /** `online` → `/api/online/create` (default); `qrcode` → `/api/offline/qrcode`. */
  mode?: 'online' | 'qrcode';
}

export interface CreateOrderResult extends CreateOrderResponse {
  payUrl: string;
  /**
   * What ties the answer to its request, for callers that check the echo: the `reqMsgId` that
   * was sent and the verified response header (which may carry `reqMsgId` back).
   */
  exchange: { reqMsgId: string; header: Record<string, unknown> };
}

export interface QueryPaymentInput {
  partnerOrderNo?: string;
  orderNo?: string;
}

export interface RefundInput {
  partnerOrderNo: string;
  refundNo: string;
  /** Amount to refund, minor units. */
  amount: number;
  operatorId?: string;
  terminalNo?: string;
}

export interface RefundResult extends RefundResponse {
  /** `status === 1`: the refund went through. */
  done: boolean;
}

export interface ScanForPayClient {
  createOrder(input: CreateOrderInput): Promise<CreateOrderResult>;
  queryPayment(input: QueryPaymentInput): Promise<PayQueryResponse>;
  refund(input: RefundInput): Promise<RefundResult>;
}

/**
 * A typed ScanForPay client. Every request is validated against the documented field rules,
 * signed in the production byte format, sent with a timeout; every answer is verified over
 * its raw text before anything in it is read.
 */
export function createClient(options: ClientOptions): ScanForPayClient {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const transport = options.transport ?? fetchTransport;
  const hash = options.hash ?? webCryptoSha256;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 15_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));

  const transportError = (path: string, timeout: boolean, cause: unknown) =>
    new TransportError(
      timeout ? `${path} timed out after ${timeoutMs} ms` : `${path} failed: ${describe(cause)}`,
      { timeout, cause },
    );

  async function call(path: string, body: object): Promise<Answer> {
    const header = createHeader({ partnerNo: options.partnerNo, now: now() });
    const signed = await signRequest({ header, body }, options.signKey, hash);
    const request = {
      method: 'POST' as const,
      headers: JSON_HEADERS,
      body: signed.body,
      timeoutMs,
    };
    let answer;
    if (transport.handlesTimeout) {
      try {
        answer = await transport(apiUrl + path, request);
      } catch (cause) {
        throw transportError(path, (cause as Error | null)?.name === 'TimeoutError', cause);
      }
    } else {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        answer = await transport(apiUrl + path, { ...request, signal: controller.signal });
      } catch (cause) {
        throw transportError(path, controller.signal.aborted, cause);
      } finally {
        clearTimeout(timer);
      }
    }
    if (answer.status < 200 || answer.status > 299) {
      throw new TransportError(`${path} answered HTTP ${answer.status}`, { status: answer.status });
    }
    const opened = await openSigned(answer.text, options.signKey, hash, { expect: 'response' });
    assertValid(ResponseHeaderSchema, opened.header, `${path} response header`, 'header');
    if (opened.header.partnerNo !== options.partnerNo) {
      throw new SignatureError(
        'partner_mismatch',
        `answer is for ${String(opened.header.partnerNo)}`,
      );
    }
    const result = normalize(opened.body);
    if (result.code !== 1) {
      throw new ScanForPayError(
        typeof result.code === 'number' ? result.code : Number(result.code),
        typeof result.msg === 'string' ? result.msg : '',
      );
    }
    return { body: result, exchange: { reqMsgId: header.reqMsgId, header: opened.header } };
  }

  return {
    async createOrder(input) {
      const body = stripUndefined({
        storeNo: options.storeNo,
        partnerOrderNo: input.partnerOrderNo,
        wallet: input.wallet,
        orderAmount: input.orderAmount,
        orderTitle: input.orderTitle,
        // The production clients always send these two, empty when unused.
        operatorId: input.operatorId ?? '',
        terminalNo: input.terminalNo ?? '',
        currency: input.currency,
        notifyUrl: input.notifyUrl,
        returnUrl: input.returnUrl,
        orderCreate: input.orderCreate,
        timeoutRule: input.timeoutRule,
      });
      assertValid(CreateOrderBodySchema, body, 'create order request');
      const path = input.mode === 'qrcode' ? '/api/offline/qrcode' : '/api/online/create';
      const { body: result, exchange } = await call(path, body);
      const created = assertValid(CreateOrderResponseSchema, result, 'create order response');
      return { ...created, exchange } as CreateOrderResult;
    },

    async queryPayment(input) {
      const body = stripUndefined({
        storeNo: options.storeNo,
        partnerOrderNo: input.partnerOrderNo,
        orderNo: input.orderNo,
      });
      assertValid(PayQueryBodySchema, body, 'payQuery request');
      const retries = options.queryRetries ?? 2;
      const baseDelay = options.retryDelayMs ?? 250;
      for (let attempt = 0; ; attempt++) {
        try {
          const { body: result } = await call('/api/common/payQuery', body);
          return assertValid(PayQueryResponseSchema, result, 'payQuery response');
        } catch (error) {
          // A query is safe to repeat; only transport failures are worth repeating.
          if (!(error instanceof TransportError) || attempt >= retries) throw error;
          const delay = baseDelay * 2 ** attempt;
          await sleep(delay / 2 + Math.random() * (delay / 2));
        }
      }
    },

    async refund(input) {
      const body = stripUndefined({
        partnerOrderNo: input.partnerOrderNo,
        refundNo: input.refundNo,
        orderAmount: input.amount,
        operatorId: input.operatorId,
        terminalNo: input.terminalNo,
      });
      assertValid(RefundBodySchema, body, 'refund request');
      const { body: result } = await call('/api/common/refund', body);
      const refund = assertValid(RefundResponseSchema, result, 'refund response');
      return { ...refund, done: refund.status === 1 };
    },
  };
}

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json',
  accept: 'application/json',
});

/** A verified answer with `code === 1`, and the exchange it belongs to. */
interface Answer {
  body: Record<string, unknown>;
  exchange: CreateOrderResult['exchange'];
}

/** Tolerates documented quirks of the gateway's answers. */
export function normalize(body: Record<string, unknown>): Record<string, unknown> {
  // A create response sample carries the key "payUrl " with a stray space.
  if (body.payUrl === undefined && typeof body['payUrl '] === 'string') {
    const { ['payUrl ']: payUrl, ...rest } = body;
    return { ...rest, payUrl };
  }
  return body;
}

function stripUndefined<T extends Record<string, unknown>>(object: T): T {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
