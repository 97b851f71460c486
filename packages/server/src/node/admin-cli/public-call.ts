import { CliError } from './cli-errors.js';
import type { AdminCliIo } from './proxy-connection.js';

/**
 * One call to the proxy's public API (no admin token), as a storefront or a shopper's browser
 * makes it. Returns the JSON of a 2xx answer; a problem answer throws a `CliError` with its
 * detail, a network failure one naming the proxy.
 */
export async function publicCall<T>(
  io: AdminCliIo,
  base: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await send(io, base, path, {
    ...(body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
  });
  let json: { detail?: unknown } | undefined;
  try {
    json = (await response.json()) as { detail?: unknown };
  } catch {
    throw new CliError(`the proxy at ${base} answered HTTP ${response.status} without JSON`);
  }
  if (response.ok) return json as T;
  throw new CliError(typeof json?.detail === 'string' ? json.detail : `HTTP ${response.status}`);
}

/** A request to the proxy; only a network failure throws. */
export async function send(
  io: AdminCliIo,
  base: string,
  path: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await (io.fetch ?? fetch)(base + path, {
      ...init,
      signal: AbortSignal.timeout(io.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const code = ((error as Error).cause as { code?: unknown } | undefined)?.code;
    const reason = typeof code === 'string' ? code : (error as Error).message;
    throw new CliError(`cannot reach the proxy at ${base}: ${reason} (set --url or PROXY_URL)`);
  }
}
