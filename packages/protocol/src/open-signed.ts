import { SignatureError } from './errors.js';
import { timingSafeEqual, webCryptoSha256, type HashFn } from './hash.js';
import { JsonScanError, scanTopLevelMembers, type MemberSpan } from './json-scanner.js';
import { sign } from './sign.js';

export type SignedKind = 'request' | 'response';

export interface OpenedMessage {
  kind: SignedKind;
  header: Record<string, unknown>;
  body: Record<string, unknown>;
  /** The exact text the signature covers, as received. */
  signedText: string;
  signature: string;
}

export interface OpenSignedOptions {
  /** Largest accepted message, in UTF-16 code units of `raw`. Default 64 KiB. */
  maxLength?: number;
  /** Refuse any kind but this one. */
  expect?: SignedKind;
}

export const DEFAULT_MAX_MESSAGE_LENGTH = 64 * 1024;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;
/** With the `u` flag a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Verifies a signed ScanForPay envelope (`{"request"|"response": {...}, "signature": "..."}`)
 * over the raw text of its payload member exactly as received, then parses it.
 * Throws `SignatureError` with a precise `reason`; never returns unverified data.
 */
export async function openSigned(
  raw: string,
  signKey: string,
  hash: HashFn = webCryptoSha256,
  options: OpenSignedOptions = {},
): Promise<OpenedMessage> {
  if (typeof raw !== 'string') {
    throw new SignatureError('malformed', 'pass the raw body text, not a parsed object');
  }
  const maxLength = options.maxLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
  if (raw.length > maxLength) throw new SignatureError('too_large', `${raw.length} > ${maxLength}`);
  // UTF-8 cannot carry a lone surrogate: the hash would cover U+FFFD in its place, so a
  // signature over "\ufffd" would also pass for any lone surrogate, a value never signed.
  // Text decoded from bytes (`Response.text()`, `TextDecoder`) never holds one.
  if (LONE_SURROGATE.test(raw)) {
    throw new SignatureError(
      'malformed',
      'the text holds a lone UTF-16 surrogate: pass the body as decoded from its bytes',
    );
  }

  let members: MemberSpan[];
  try {
    members = scanTopLevelMembers(raw);
  } catch (error) {
    if (error instanceof JsonScanError) {
      throw new SignatureError(error.duplicate ? 'duplicate_member' : 'malformed', error.message);
    }
    throw error;
  }

  let payload: MemberSpan | undefined;
  let kind: SignedKind | undefined;
  let signatureSpan: MemberSpan | undefined;
  for (const member of members) {
    if (member.key === 'signature') signatureSpan = member;
    else if (member.key === 'request' || member.key === 'response') {
      if (payload) throw new SignatureError('malformed', 'both "request" and "response" present');
      payload = member;
      kind = member.key;
    }
  }
  if (!payload || !kind) throw new SignatureError('missing_payload');
  if (raw.charCodeAt(payload.start) !== 0x7b) {
    throw new SignatureError('malformed', `"${kind}" is not an object`);
  }
  if (!signatureSpan || raw.charCodeAt(signatureSpan.start) !== 0x22) {
    throw new SignatureError('missing_signature');
  }
  const signature = JSON.parse(raw.slice(signatureSpan.start, signatureSpan.end)) as string;
  if (!SIGNATURE.test(signature)) throw new SignatureError('bad_signature_format');
  if (options.expect && options.expect !== kind) {
    throw new SignatureError('unexpected_kind', `expected "${options.expect}", got "${kind}"`);
  }

  const signedText = raw.slice(payload.start, payload.end);
  const expected = await sign(signedText, signKey, hash);
  if (!timingSafeEqual(expected, signature.toLowerCase())) throw new SignatureError('mismatch');

  const parsed = JSON.parse(signedText) as Record<string, unknown>;
  const { header, body } = parsed;
  if (!isObject(header) || !isObject(body)) {
    throw new SignatureError('malformed', `"${kind}" needs "header" and "body" objects`);
  }
  return { kind, header, body, signedText, signature };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
