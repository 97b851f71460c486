import { randomHex } from '@scanforpay/protocol';

/** 128 random bits as hex: transition ids, claim ids and refund request ids. */
export function newId(): string {
  return randomHex(16);
}
