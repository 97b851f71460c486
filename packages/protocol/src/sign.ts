import { encodeJson } from './encode-json.js';
import { webCryptoSha256, type HashFn } from './hash.js';

/** `sha256hex(text + signKey)`: ScanForPay's signature, no HMAC, no separator. */
export function sign(
  text: string,
  signKey: string,
  hash: HashFn = webCryptoSha256,
): Promise<string> {
  return hash(text + signKey);
}

export interface RequestHeader {
  version: string;
  partnerNo: string;
  reqMsgId: string;
  reqTime: string;
  signType: string;
}

export interface CreateHeaderOptions {
  partnerNo: string;
  now?: Date;
  /** Defaults to 32 random lowercase hex characters. */
  reqMsgId?: string;
}

/** Builds a request header with the keys in the order the production clients send them. */
export function createHeader(options: CreateHeaderOptions): RequestHeader {
  return {
    version: '1.0',
    partnerNo: options.partnerNo,
    reqMsgId: options.reqMsgId ?? randomHex(16),
    reqTime: formatTime(options.now ?? new Date()),
    signType: 'SHA256',
  };
}

export interface SignedMessage {
  /** The signed text: the JSON of the payload, byte for byte as it appears in `body`. */
  text: string;
  signature: string;
  /** The exact HTTP body to send. */
  body: string;
}

/**
 * Signs a `{header, body}` request and splices the signed text verbatim into the HTTP body
 * `{"request":<text>,"signature":"<hex>"}`, so the bytes sent are the bytes signed.
 */
export function signRequest(
  request: { header: object; body: object },
  signKey: string,
  hash?: HashFn,
): Promise<SignedMessage> {
  return signEnvelope('request', request, signKey, hash);
}

/**
 * Signs a `{header, body}` response or notification as ScanForPay emits it: compact,
 * `response` first, `signature` last, lowercase hex, nothing after the final brace.
 */
export function signResponse(
  response: { header: object; body: object },
  signKey: string,
  hash?: HashFn,
): Promise<SignedMessage> {
  return signEnvelope('response', response, signKey, hash);
}

async function signEnvelope(
  member: 'request' | 'response',
  payload: { header: object; body: object },
  signKey: string,
  hash?: HashFn,
): Promise<SignedMessage> {
  const text = encodeJson(payload);
  const signature = await sign(text, signKey, hash);
  return { text, signature, body: `{"${member}":${text},"signature":"${signature}"}` };
}

const HK_OFFSET_MS = 8 * 60 * 60 * 1000;

/** RFC 3339 at Hong Kong time, e.g. `2024-05-01T10:00:00+08:00` (25 characters). */
export function formatTime(date: Date): string {
  const t = new Date(date.getTime() + HK_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}` +
    `T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}+08:00`
  );
}

const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let taken = 0;

/**
 * `n` bytes from the platform's CSPRNG (`crypto.getRandomValues`), drawn from a 4 KiB pool
 * refilled as needed: one call into the engine serves hundreds of ids (each call costs several
 * microseconds on Node). Every byte is handed out once.
 */
export function randomBytes(n: number): Uint8Array {
  if (n > POOL_SIZE / 4) return crypto.getRandomValues(new Uint8Array(n));
  if (taken + n > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
    taken = 0;
  }
  taken += n;
  return pool.slice(taken - n, taken);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `2n` random lowercase hex characters. */
export function randomHex(bytes: number): string {
  let out = '';
  for (const b of randomBytes(bytes)) out += HEX[b]!;
  return out;
}
