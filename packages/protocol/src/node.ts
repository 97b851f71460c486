/**
 * Node-only helpers, kept out of the Web-standard core: a `node:crypto` hash (faster than
 * `crypto.subtle` on Node) and a keep-alive `node:http` transport (several times the
 * throughput of global `fetch` on a loopback upstream). Import from `@scanforpay/protocol/node`.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
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

/** A keep-alive `node:http`/`node:https` transport. Call `close()` to free its sockets. */
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

  const send = (url: string, init: TransportRequest, retried: boolean) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const payload = Buffer.from(init.body, 'utf8');
      let answered = false;
      const request = (secure ? https : http).request(
        target,
        {
          method: init.method,
          agent: secure ? agents.https : agents.http,
          headers: { ...init.headers, 'content-length': String(payload.length) },
          signal: init.signal,
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
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the upstream closed as this request went out: the upstream never
        // read it (Node's documented case for a retry), so it goes once more on a new socket.
        const stale = request.reusedSocket && !answered && STALE_SOCKET_CODES.has(error.code ?? '');
        if (stale && !retried && !init.signal?.aborted) resolve(send(url, init, true));
        else reject(error);
      });
      request.end(payload);
    });

  const transport: Transport = (url, init) => send(url, init, false);

  return Object.assign(transport, {
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}
