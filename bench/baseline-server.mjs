// The baseline for figures 1 and 2: a bare `node:http` server doing only the protocol work the
// proxy must do, with no framework and no store.
//   POST /orders  {"item","wallet"} → sign the create request (protocol `signRequest`,
//                 node:crypto), POST it to the gateway over a keep-alive http.Agent, verify the
//                 signed answer (`openSigned`), answer {orderId, payUrl}.
//   POST /notify  verify the notification (`openNotification`), answer `success`.
//
// env: PORT, GATEWAY_URL, PARTNER_NO, STORE_NO, SIGN_KEY, ITEM_AMOUNT, ITEM_CURRENCY, ITEM_TITLE.
// Prints `listening <port>` when ready.
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
