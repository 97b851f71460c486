/** Only `https:` pay URLs are followed, and `http:` on the local machine for development. */
export function isSafePayUrl(value: string): boolean {
  return /^(https:|http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/])/.test(value);
}
