const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Only `https:` pay URLs are followed, and `http:` on the local machine for development. */
export function isSafePayUrl(value: string): boolean {
  try {
    const { protocol, hostname } = new URL(value);
    return protocol === 'https:' || (protocol === 'http:' && LOCAL_HOSTS.includes(hostname));
  } catch {
    return false;
  }
}
