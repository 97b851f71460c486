// A minimal signing stub of the ScanForPay gateway's `POST /api/online/create`, for figure 1.
// It verifies each request's signature (fast path: the envelope is exactly
// `{"request":<text>,"signature":"<hex>"}`, as the protocol package writes it), then answers
// with a signed `{code:1,msg:'success',payUrl,orderNo}` response. It keeps what it created so
// the bench can send matching notifications (GET /__created), and nothing else.
//
// env: PORT (0 = any), SIGN_KEY, PARTNER_NO. Prints `listening <port>` when ready.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { encodeJson, formatTime } from '../packages/protocol/dist/index.js';

const signKey = process.env.SIGN_KEY ?? 'sandbox-demo-sign-key';
const partnerNo = process.env.PARTNER_NO ?? '100000000000001';
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** @type {Array<[string, string, number, string, string]>} orderNo, partnerOrderNo, amount, currency, wallet */
let created = [];
let counter = 0;
let origin = '';

const PREFIX = '{"request":';
const SUFFIX_LENGTH = ',"signature":"'.length + 64 + 2;

function fail(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}

function create(raw, res) {
  if (!raw.startsWith(PREFIX) || raw.length < PREFIX.length + SUFFIX_LENGTH) {
    return fail(res, 400, 'malformed');
  }
  const text = raw.slice(PREFIX.length, raw.length - SUFFIX_LENGTH);
  const signature = raw.slice(raw.length - 66, raw.length - 2);
  const expected = sha256(text + signKey);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature.toLowerCase().padEnd(64)))) {
    return fail(res, 400, 'bad signature');
  }
  const { header, body } = JSON.parse(text);
  const orderNo = 'ST' + String(++counter).padStart(18, '0');
  created.push([orderNo, body.partnerOrderNo, body.orderAmount, body.currency, body.wallet]);
  const responseText = encodeJson({
    header: {
      version: '1.0',
      partnerNo,
      reqMsgId: header.reqMsgId,
      respTime: formatTime(new Date()),
      signType: 'SHA256',
    },
    body: { code: 1, msg: 'success', payUrl: `${origin}/cashier/${orderNo}`, orderNo },
  });
  const answer = `{"response":${responseText},"signature":"${sha256(responseText + signKey)}"}`;
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(answer),
  });
  res.end(answer);
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/online/create') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => create(Buffer.concat(chunks).toString('utf8'), res));
    return;
  }
  if (req.method === 'GET' && req.url === '/__created') {
    const json = JSON.stringify(created);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(json);
    return;
  }
  if (req.method === 'POST' && req.url === '/__reset') {
    created = [];
    res.end('ok');
    return;
  }
  if (req.method === 'GET' && req.url.startsWith('/cashier/')) {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>stub cashier</title>');
    return;
  }
  fail(res, 404, 'not found');
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  origin = `http://127.0.0.1:${port}`;
  console.log(`listening ${port}`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
