// The baseline for figures 1 and 2: a bare `node:http` server doing only the protocol work the
// proxy must do, with no framework and no store.
//   POST /orders  {"item","wallet"} → sign the create request (protocol `signRequest`,
//                 node:crypto), POST it to the gateway over a keep-alive http.Agent, verify the
//                 signed answer (`openSigned`), answer {orderId, payUrl}.
//   POST /notify  verify the notification (`openNotification`), answer `success`.
//
// With BASELINE_SQLITE=<file> it also stores each order as the proxy's SQLite store does, and
// nothing more: better-sqlite3 on the proxy's schema (its migrations), WAL, synchronous=NORMAL,
// the order row inserted (pending, one commit) before the gateway call and its payUrl written
// (a second commit) before the answer, with the proxy's two statements, prepared once. The
// baseline of what durable creation costs on SQLite without the proxy's framework and checks.
//
// env: PORT, GATEWAY_URL, PARTNER_NO, STORE_NO, SIGN_KEY, ITEM_AMOUNT, ITEM_CURRENCY, ITEM_TITLE,
// BASELINE_SQLITE. Prints `listening <port>` when ready.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import {
  createHeader,
  openNotification,
  openSigned,
  signRequest,
} from '../packages/protocol/dist/index.js';
import { nodeSha256 } from '../packages/protocol/dist/node.js';

const env = process.env;
const gateway = new URL('/api/online/create', env.GATEWAY_URL);
const partnerNo = env.PARTNER_NO ?? '100000000000001';
const storeNo = env.STORE_NO ?? '200000000000001';
const signKey = env.SIGN_KEY ?? 'sandbox-demo-sign-key';
const item = {
  amount: Number(env.ITEM_AMOUNT ?? 19900),
  currency: env.ITEM_CURRENCY ?? 'HKD',
  title: env.ITEM_TITLE ?? 'Red tee',
};
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const store = env.BASELINE_SQLITE ? await openStore(env.BASELINE_SQLITE) : undefined;

/** The proxy's schema and its two creation statements on a better-sqlite3 connection. */
async function openStore(file) {
  const { createRequire } = await import('node:module');
  const serverDir = new URL('../packages/server/', import.meta.url);
  const Database = createRequire(new URL('package.json', serverDir))('better-sqlite3');
  const { SQLITE_MIGRATIONS } = await import(
    new URL('dist/store/sql/migrations.js', serverDir).href
  );
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const migration of SQLITE_MIGRATIONS) db.exec(migration.sql);
  const insert = db.prepare(`INSERT INTO orders (order_id, item_id, title, amount, currency, wallet,
      quantity, reference, status, pay_url, gateway_order_no, failure_code, failure_message,
      created_at, expires_at, updated_at, next_check_at, context, gateway_endpoint)
    VALUES (?, 'tee', ?, ?, ?, ?, 1, NULL, 'pending', NULL, NULL, NULL, NULL, ?, ?, ?, ?, NULL, 'online')`);
  const record =
    db.prepare(`UPDATE orders SET pay_url = ?, gateway_order_no = COALESCE(gateway_order_no, ?),
      updated_at = ?, transition_id = ?
    WHERE order_id = ? AND status = 'pending' AND pay_url IS NULL`);
  return {
    insert(orderId, wallet) {
      const now = Date.now();
      insert.run(
        orderId,
        item.title,
        item.amount,
        item.currency,
        wallet,
        now,
        now + 1_800_000,
        now,
        now + 60_000,
      );
    },
    record(orderId, payUrl, gatewayOrderNo) {
      if (record.run(payUrl, gatewayOrderNo ?? null, Date.now(), orderId, orderId).changes !== 1) {
        throw new Error('the order was not pending');
      }
    },
  };
}

function readBody(req, limit = 65536) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) reject(new Error('too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function post(url, body) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': payload.length,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () =>
          resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

function send(res, status, type, text) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function createOrder(req, res) {
  const input = JSON.parse(await readBody(req));
  if (input.item !== 'tee' || typeof input.wallet !== 'string') {
    return send(res, 400, 'application/json', '{"error":"bad_request"}');
  }
  const orderId = randomUUID().replaceAll('-', '');
  store?.insert(orderId, input.wallet);
  const signed = await signRequest(
    {
      header: createHeader({ partnerNo }),
      body: {
        storeNo,
        partnerOrderNo: orderId,
        wallet: input.wallet,
        orderAmount: item.amount,
        orderTitle: item.title,
        operatorId: '',
        terminalNo: '',
        currency: item.currency,
        notifyUrl: 'http://127.0.0.1/notify',
        returnUrl: 'http://127.0.0.1/return',
        timeoutRule: '30m',
      },
    },
    signKey,
    nodeSha256,
  );
  const answer = await post(gateway, signed.body);
  if (answer.status !== 200) return send(res, 502, 'application/json', '{"error":"upstream"}');
  const opened = await openSigned(answer.text, signKey, nodeSha256, { expect: 'response' });
  if (opened.header.partnerNo !== partnerNo || opened.body.code !== 1) {
    return send(res, 502, 'application/json', '{"error":"upstream"}');
  }
  store?.record(orderId, opened.body.payUrl, opened.body.orderNo);
  send(res, 200, 'application/json', JSON.stringify({ orderId, payUrl: opened.body.payUrl }));
}

async function notify(req, res) {
  await openNotification(await readBody(req), signKey, { partnerNo, hash: nodeSha256 });
  send(res, 200, 'text/plain', 'success');
}

const server = http.createServer((req, res) => {
  const handler =
    req.method === 'POST' && req.url === '/orders'
      ? createOrder
      : req.method === 'POST' && req.url === '/notify'
        ? notify
        : null;
  if (!handler) return send(res, 404, 'text/plain', 'not found');
  handler(req, res).catch((error) => {
    if (!res.headersSent) send(res, 400, 'text/plain', String(error?.message ?? error));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`listening ${port}`);
});
process.on('SIGTERM', () => {
  agent.destroy();
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
