import {
  assertValid,
  JsonScanError,
  openSigned,
  RequestHeaderSchema,
  scanTopLevelMembers,
  SignatureError,
  ValidationError,
  type MemberSpan,
  type SignatureErrorReason,
} from '@scanforpay/protocol';
import type { Context } from 'hono';
import type { Partner } from './partner.js';
import { RESULT_CODES } from './result-codes.js';
import { invalidField, SandboxError } from './sandbox-error.js';
import type { SandboxEnv } from './sandbox-env.js';
import type { Sandbox } from './sandbox.js';

/** Largest accepted request body, in characters. */
export const MAX_REQUEST_LENGTH = 64 * 1024;

export interface GatewayRequest {
  partner: Partner;
  header: Record<string, unknown>;
  body: Record<string, unknown>;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a signed gateway request the way the sandbox believes ScanForPay does: finds the raw
 * `request` text, reads `header.partnerNo` to pick the key, verifies the signature over the
 * raw text as received, then checks the header. Throws `SandboxError` with a clear `msg`.
 */
export async function readGatewayRequest(
  sandbox: Sandbox,
  raw: string,
  c: Context<SandboxEnv>,
): Promise<GatewayRequest> {
  if (raw.length > MAX_REQUEST_LENGTH) {
    throw invalidField(`message too large: ${raw.length} > ${MAX_REQUEST_LENGTH} characters`);
  }
  let members: MemberSpan[];
  try {
    members = scanTopLevelMembers(raw);
  } catch (error) {
    if (error instanceof JsonScanError) throw invalidField(`malformed JSON: ${error.message}`);
    throw error;
  }
  const span = members.find((m) => m.key === 'request');
  if (!span || raw.charCodeAt(span.start) !== 0x7b) {
    throw invalidField('malformed envelope: no "request" object at the top level');
  }
  const request = JSON.parse(raw.slice(span.start, span.end)) as Record<string, unknown>;
  const header = request.header;
  if (!isObject(header) || !isObject(request.body)) {
    throw invalidField('malformed envelope: request.header and request.body must be objects');
  }
  const partnerNo = header.partnerNo;
  if (typeof partnerNo !== 'string' || partnerNo === '') {
    throw invalidField('missing field header.partnerNo');
  }
  if (partnerNo.length <= 15) c.set('claimedPartnerNo', partnerNo);
  const partner = sandbox.partner(partnerNo);
  if (!partner) {
    throw new SandboxError(
      RESULT_CODES.unknownPartner,
      `unknown partner ${partnerNo.slice(0, 40)}`,
    );
  }
  c.set('partner', partner);

  let body: Record<string, unknown>;
  try {
    ({ body } = await openSigned(raw, partner.signKey, sandbox.hash, {
      expect: 'request',
      maxLength: MAX_REQUEST_LENGTH,
    }));
  } catch (error) {
    if (error instanceof SignatureError) {
      const msg = SIGN_MESSAGES[error.reason];
      const code = msg.startsWith(BAD_SIGN) ? RESULT_CODES.badSign : RESULT_CODES.invalidField;
      throw new SandboxError(code, msg);
    }
    throw error;
  }
  checkHeader(header);
  return { partner, header, body };
}

function checkHeader(header: Record<string, unknown>): void {
  try {
    assertValid(RequestHeaderSchema, header, 'request header', 'header');
  } catch (error) {
    if (error instanceof ValidationError) throw invalidField(describeIssue(error));
    throw error;
  }
  if (header.version !== '1.0') throw invalidField('header.version: must be "1.0"');
  const time = header.reqTime ?? header.requestTime;
  if (time === undefined || time === '') {
    throw invalidField('missing field header.reqTime (or requestTime)');
  }
  if (typeof time !== 'string' || !RFC3339.test(time)) {
    throw invalidField('header.reqTime: RFC 3339 like 2024-05-01T10:00:00+08:00');
  }
  const signType = header.signType;
  if (signType !== undefined && signType !== '' && signType !== 'SHA256') {
    throw invalidField('header.signType: only SHA256 is supported');
  }
}

/** `body.orderTitle: at most 100 characters`, from a `ValidationError`'s first issue. */
export function describeIssue(error: ValidationError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid field';
  const message = issue.message.startsWith('Invalid key') ? 'required' : issue.message;
  return `invalid field ${issue.path}: ${message}`;
}

const BAD_SIGN = 'sign check failed:';

/** Clear messages that avoid the words the plugin's split check trips over. */
const SIGN_MESSAGES: Record<SignatureErrorReason, string> = {
  too_large: `message too large`,
  malformed: `malformed envelope`,
  duplicate_member: `malformed JSON: a member appears twice`,
  missing_payload: `malformed envelope: no request object`,
  missing_signature: `${BAD_SIGN} the envelope has no sign string after "request"`,
  bad_signature_format: `${BAD_SIGN} the sign value must be 64 hex characters`,
  mismatch: `${BAD_SIGN} sha256(raw request text + key) differs; sign the exact bytes you send`,
  unexpected_kind: `malformed envelope: expected a request`,
  partner_mismatch: `${BAD_SIGN} signed for another partner`,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
