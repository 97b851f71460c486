import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyMerchantWebhook } from '@scanforpay/server/webhook';

/** A proxy with the dashboard on, as the shared suite drives it (Node or workerd). */
export interface DashboardTarget {
  /** The proxy's URL. */
  base: string;
  token: string;
  /** A new order with this reference, paid at the sandbox and recorded as paid. */
  paidOrder(reference: string): Promise<string>;
  receiver: Receiver;
  /** Every log line the proxy wrote so far. */
  logs(): string[];
  /** Moves the proxy's clock (Node only: the Worker's clock is workerd's). */
  advance?: (ms: number) => void;
}

/** The merchant's webhook endpoint: a real server that answers 204, or 410 when told to. */
export interface Receiver {
  url: string;
  secret: string;
  gone: boolean;
  /** Verified deliveries (a bad signature fails the test). */
  events(): { id: string; type: string; orderId: string | undefined }[];
  close(): Promise<void>;
}

export async function startReceiver(secret: string): Promise<Receiver> {
  const raw: { headers: IncomingHttpHeaders; body: string }[] = [];
  const state = { gone: false };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (state.gone) {
        response.writeHead(410).end();
        return;
      }
      raw.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/scanforpay`;
  return {
    url,
    secret,
    get gone() {
      return state.gone;
    },
    set gone(value: boolean) {
      state.gone = value;
    },
    events: () =>
      raw.map(({ headers, body }) => {
        const event = verifyMerchantWebhook(body, headers, secret);
        return {
          id: event.id,
          type: event.type as string,
          orderId: (event.data as { orderId?: string } | undefined)?.orderId,
        };
      }),
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

/** Creates an order through the proxy's public API and pays it at the sandbox. */
export async function payOrder(options: {
  base: string;
  sandboxUrl: string;
  origin: string;
  reference: string;
}): Promise<string> {
  const created = await fetch(`${options.base}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: options.origin },
    body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK', reference: options.reference }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const { orderId } = (await created.json()) as { orderId: string };
  const paid = await fetch(`${options.sandboxUrl}/__sandbox/orders/${orderId}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (paid.status !== 200) throw new Error(`pay: ${paid.status}`);
  const until = Date.now() + 10_000;
  for (;;) {
    const shown = (await (await fetch(`${options.base}/orders/${orderId}`)).json()) as {
      status: string;
    };
    if (shown.status === 'paid') return orderId;
    if (Date.now() > until) throw new Error(`order ${orderId} is ${shown.status}, not paid`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
