// The merchant's webhook endpoint under soak: verifies each delivery (Standard Webhooks, with the
// server's own verifier) and, while `chaotic`, answers badly some of the time: 500, a hang past
// the proxy's timeout, a slow 2xx, a reset socket, and now and then one 410 Gone (which disables
// the endpoint until the admin route re-enables it).
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/paths.mjs';

const { verifyMerchantWebhook } = await import(
  pathToFileURL(path.join(ROOT, 'packages/server/dist/webhook.js')).href
);

/**
 * @param {{secret: string, rng: () => number, goneEveryMs: number, firstGoneAt: number}} o
 */
export async function startReceiver(o) {
  const stats = {
    requests: 0,
    verified: 0,
    invalid: 0,
    answered: {},
    uniqueIds: 0,
    redelivered: 0,
    types: {},
    gone: 0,
  };
  const seen = new Set();
  const acked = new Set();
  /** @type {Set<import('node:http').ServerResponse>} */
  const hanging = new Set();
  let chaotic = true;
  let nextGoneAt = o.firstGoneAt;

  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 1 << 20) chunks.push(c);
    });
    req.on('error', () => {});
    req.on('end', () => {
      stats.requests += 1;
      const raw = Buffer.concat(chunks).toString('utf8');
      let event;
      try {
        event = verifyMerchantWebhook(raw, req.headers, o.secret);
        stats.verified += 1;
      } catch {
        stats.invalid += 1;
      }
      const id = String(req.headers['webhook-id'] ?? '');
      if (event) {
        if (!seen.has(id)) {
          seen.add(id);
          stats.uniqueIds += 1;
          stats.types[event.type] = (stats.types[event.type] ?? 0) + 1;
        }
        if (acked.has(id)) stats.redelivered += 1;
      }
      const answer = (status, delayMs = 0) => {
        stats.answered[status] = (stats.answered[status] ?? 0) + 1;
        const send = () => {
          if (res.destroyed) return;
          if (status >= 200 && status < 300 && event) acked.add(id);
          res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
        };
        if (delayMs > 0) setTimeout(send, delayMs).unref();
        else send();
      };
      if (!event) return answer(400);
      if (!chaotic) return answer(204);
      if (Date.now() >= nextGoneAt) {
        nextGoneAt = Date.now() + o.goneEveryMs;
        stats.gone += 1;
        return answer(410);
      }
      const r = o.rng();
      if (r < 0.08) return answer(500);
      if (r < 0.15) {
        // hang past the proxy's WEBHOOK_TIMEOUT_MS; the proxy gives up, we drop it later
        stats.answered.hang = (stats.answered.hang ?? 0) + 1;
        hanging.add(res);
        setTimeout(() => {
          hanging.delete(res);
          res.destroy();
        }, 15_000).unref();
        return;
      }
      if (r < 0.18) {
        stats.answered.reset = (stats.answered.reset ?? 0) + 1;
        return req.socket.destroy();
      }
      if (r < 0.23) return answer(200, 1500);
      return answer(204);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/hooks/scanforpay`,
    stats,
    /** Stops misbehaving: every later delivery is answered 204. */
    calm() {
      chaotic = false;
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
