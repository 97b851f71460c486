import type { Context } from 'hono';

/**
 * The client's address, the rate limits' key: from `X-Forwarded-For` counted back `trustProxy`
 * hops when trusted, else from `clientAddress` (the socket), else `unknown`.
 */
export function clientKeyReader(
  trustProxy: boolean | number,
  clientAddress: ((c: Context) => string | undefined) | undefined,
): (c: Context) => string {
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : Math.max(0, trustProxy);
  return (c) => {
    if (hops > 0) {
      const forwarded = c.req.header('x-forwarded-for');
      if (forwarded) {
        const chain = forwarded
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean);
        // Each trusted proxy appends the address it saw; count back from the right.
        const address = chain[Math.max(0, chain.length - hops)];
        if (address) return address;
      }
    }
    try {
      return clientAddress?.(c) ?? 'unknown';
    } catch {
      // e.g. a request made with app.request(), which has no socket.
      return 'unknown';
    }
  };
}
