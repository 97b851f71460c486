/**
 * Node-only helpers, kept out of the Web-standard core: a `node:crypto` hash (faster than
 * `crypto.subtle` on Node) and a keep-alive `node:http` transport (several times the
 * throughput of global `fetch` on a loopback upstream). Import from `@scanforpay/protocol/node`.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { HashFn } from './hash.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

export const nodeSha256: HashFn = (text) =>
  Promise.resolve(createHash('sha256').update(text, 'utf8').digest('hex'));

export interface NodeTransportOptions {
  /** Sockets kept per upstream host. Default 64. */
  maxSockets?: number;
  /** Largest answer accepted, in bytes. Default 1 MiB. */
  maxResponseBytes?: number;
}

/** How long a kept-alive socket may sit idle in the pool. */
const FREE_SOCKET_TIMEOUT_MS = 4_000;

/** What a request on a socket the upstream already closed fails with. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** What a request past its `timeoutMs` fails with. */
class TransportTimeoutError extends Error {
  override name = 'TimeoutError';
}

/** The parts of an upstream URL `http.request` needs, parsed once per URL. */
interface Target {
  secure: boolean;
  options: ReturnType<typeof urlToHttpOptions>;
}

/**
 * A keep-alive `node:http`/`node:https` transport. Call `close()` to free its sockets. It keeps
 * the client's deadlines itself (`handlesTimeout`): one timer for all requests in flight, armed
 * for the earliest deadline, instead of an `AbortController` and a timer per call.
 */
export function createNodeTransport(
  options: NodeTransportOptions = {},
): Transport & { close(): void } {
  // Free sockets are dropped after 4 s idle, before the 5 s keep-alive of Node servers (and most
  // others) closes them under a request.
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 64,
    timeout: FREE_SOCKET_TIMEOUT_MS,
  };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;
  const targets = new Map<string, Target>();
  const deadlines = createDeadlines();

  const targetOf = (url: string): Target => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { secure: parsed.protocol === 'https:', options: urlToHttpOptions(parsed) };
      // A handful of gateway endpoints in practice; bounded all the same.
      if (targets.size >= 64) targets.clear();
      targets.set(url, target);
    }
    return target;
  };

  const send = (url: string, init: TransportRequest, retried: boolean) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const { secure, options: where } = targetOf(url);
      let answered = false;
      let settled = false;
      const finish = (error: Error | undefined, response?: TransportResponse) => {
        if (settled) return;
        settled = true;
        deadlines.remove(request);
        if (error) reject(error);
        else resolve(response!);
      };
      const request = (secure ? https : http).request(
        {
          ...where,
          method: init.method,
          agent: secure ? agents.https : agents.http,
          headers: { ...init.headers, 'content-length': Buffer.byteLength(init.body, 'utf8') },
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              response.destroy(new Error(`answer larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () =>
            finish(undefined, {
              status: response.statusCode ?? 0,
              text: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'),
            }),
          );
          response.on('error', finish);
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        // A kept-alive socket the upstream closed as this request went out: the upstream never
        // read it (Node's documented case for a retry), so it goes once more on a new socket.
        const stale = request.reusedSocket && !answered && STALE_SOCKET_CODES.has(error.code ?? '');
        if (stale && !retried && !init.signal?.aborted) {
          settled = true;
          deadlines.remove(request);
          resolve(send(url, init, true));
        } else finish(error);
      });
      if (init.timeoutMs !== undefined) {
        const ms = init.timeoutMs;
        deadlines.add(request, ms, () => {
          finish(new TransportTimeoutError(`no answer within ${ms} ms`));
          request.destroy();
        });
      }
      request.end(init.body, 'utf8');
    });

  const transport = (url: string, init: TransportRequest) => send(url, init, false);

  return Object.assign(transport, {
    handlesTimeout: true,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

/**
 * Deadlines of the requests in flight, with one timer armed for the earliest. A retried request
 * keeps its first deadline only approximately: the retry gets a full one (it is rare).
 */
function createDeadlines() {
  const pending = new Map<object, { at: number; expire: () => void }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedAt = Infinity;

  const arm = (at: number) => {
    if (timer) clearTimeout(timer);
    armedAt = at;
    timer = setTimeout(sweep, Math.max(0, at - Date.now()));
    // Only requests in flight keep the process alive, not their deadline.
    timer.unref();
  };
  function sweep() {
    timer = undefined;
    armedAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [key, entry] of pending) {
      if (entry.at <= now) {
        pending.delete(key);
        entry.expire();
      } else if (entry.at < next) next = entry.at;
    }
    if (next !== Infinity) arm(next);
  }
  return {
    add(key: object, ms: number, expire: () => void) {
      const at = Date.now() + ms;
      pending.set(key, { at, expire });
      if (at < armedAt) arm(at);
    },
    remove(key: object) {
      pending.delete(key);
    },
  };
}
