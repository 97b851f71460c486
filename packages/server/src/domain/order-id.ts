import { randomBytes } from '@scanforpay/protocol';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32

/**
 * A new order id, used as the gateway's `partnerOrderNo`: 10 characters of millisecond time
 * (sortable) + 20 characters (100 bits) of randomness = 30 characters, within String(32).
 */
export function createOrderId(now: number = Date.now()): string {
  let time = '';
  let t = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(20);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte & 31];
  return time + random;
}

export const ORDER_ID = /^[0-9A-HJKMNP-TV-Z]{30}$/;

/** What an order id may look like on the way in (ours are 30 characters; the gateway allows 32). */
export const ORDER_ID_SHAPE = /^[A-Za-z0-9_-]{1,32}$/;
