/** Why a signed ScanForPay message was refused. */
export type SignatureErrorReason =
  | 'too_large'
  | 'malformed'
  | 'duplicate_member'
  | 'missing_payload'
  | 'missing_signature'
  | 'bad_signature_format'
  | 'mismatch'
  | 'unexpected_kind'
  | 'partner_mismatch';

const SIGNATURE_HINTS: Record<SignatureErrorReason, string> = {
  too_large: 'the message is larger than the size limit',
  malformed: 'the message is not a well-formed ScanForPay envelope',
  duplicate_member: 'a JSON member appears twice, so the message is ambiguous',
  missing_payload: 'the message has neither a "request" nor a "response" object',
  missing_signature: 'the message has no "signature" string',
  bad_signature_format: 'the signature is not 64 hexadecimal characters',
  mismatch:
    'the signature does not match: are you verifying the raw body exactly as received, with the right sign key?',
  unexpected_kind: 'the message is of the wrong kind for this endpoint',
  partner_mismatch: 'the message is signed for another partner',
};

/** A signed message failed verification; `reason` says precisely why. */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  readonly reason: SignatureErrorReason;

  constructor(reason: SignatureErrorReason, detail?: string) {
    super(detail ? `${SIGNATURE_HINTS[reason]} (${detail})` : SIGNATURE_HINTS[reason]);
    this.reason = reason;
  }
}

/** ScanForPay answered with a verified business error (`body.code !== 1`). */
export class ScanForPayError extends Error {
  override readonly name = 'ScanForPayError';
  readonly code: number;
  readonly msg: string;

  constructor(code: number, msg: string) {
    super(`ScanForPay answered code ${code}: ${msg}`);
    this.code = code;
    this.msg = msg;
  }
}

/** The call did not produce a readable answer: network failure, timeout or non-2xx status. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly timeout: boolean;
  readonly status: number | undefined;

  constructor(message: string, options: { timeout?: boolean; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.timeout = options.timeout ?? false;
    this.status = options.status;
  }
}

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.orderTitle`. */
  readonly path: string;
  readonly message: string;
}

/** A message to or from ScanForPay does not fit the documented field types and lengths. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly issues: readonly FieldIssue[];

  constructor(what: string, issues: readonly FieldIssue[]) {
    super(`${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}
