/**
 * A SHA-256 function: UTF-8 bytes of `text` in, lowercase hex digest out. Web Crypto is the
 * default; the Node entry injects `node:crypto`, which is faster there.
 */
export type HashFn = (text: string) => Promise<string>;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

/** SHA-256 through `crypto.subtle`: runs on Node, workerd, Deno, Bun and browsers. */
export const webCryptoSha256: HashFn = async (text) => {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return toHex(new Uint8Array(digest));
};

/** Compares two strings in time that depends only on their lengths. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
