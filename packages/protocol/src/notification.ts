import { SignatureError } from './errors.js';
import type { HashFn } from './hash.js';
import { openSigned, type OpenSignedOptions } from './open-signed.js';
import { assertValid, NotifyBodySchema, ResponseHeaderSchema, type NotifyBody } from './schemas.js';

export interface Notification {
  header: Record<string, unknown>;
  body: NotifyBody;
  /** The exact signed text, for audit. */
  signedText: string;
}

/**
 * Verifies and parses a notification POSTed to `notifyUrl` (a `response` envelope).
 * Pass the raw body text exactly as received.
 */
export async function openNotification(
  raw: string,
  signKey: string,
  options: { partnerNo?: string; hash?: HashFn } & Pick<OpenSignedOptions, 'maxLength'> = {},
): Promise<Notification> {
  const opened = await openSigned(raw, signKey, options.hash, {
    expect: 'response',
    ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength }),
  });
  const header = assertValid(ResponseHeaderSchema, opened.header, 'notification header', 'header');
  if (options.partnerNo !== undefined && header.partnerNo !== options.partnerNo) {
    throw new SignatureError('partner_mismatch', `notification is for ${header.partnerNo}`);
  }
  const body = assertValid(NotifyBodySchema, opened.body, 'notification body');
  return { header: opened.header, body, signedText: opened.signedText };
}
