import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { createWebhookSecret } from '@scanforpay/server';
import { newOrder } from '../contract/store-contract.js';
import { CATALOG } from './catalog.js';
import { startCrashProxy, type CrashProxy, type CrashProxyConfig } from './crash-process.js';
import { freePort, paidNotification } from './processes.js';

type NewOrder = ReturnType<typeof newOrder>;

/** `count` pending orders with a gateway order number, created now, ids `<prefix>00000`… */
export function crashOrders(prefix: string, count: number): NewOrder[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) =>
    newOrder({
      orderId: `${prefix}${String(i).padStart(5, '0')}`,
      createdAt: now,
      expiresAt: now + 1_800_000,
      gatewayOrderNo: `GW${i}`,
    }),
  );
}

/**
 * Starts a crash proxy on `location` (its store already holding `orders`), sends each order's
 * signed paid notification from 32 clients at once (as the gateway's retries would: many
 * units per group) and SIGKILLs the process (or whatever `kill` kills) once `killAfter` have
 * been answered `success`.
 * Returns the orders answered `success` and how many notifications were sent in all.
 */
export async function notifyUntilKilled(
  location: Pick<CrashProxyConfig, 'databasePath' | 'postgresUrl'>,
  orders: readonly NewOrder[],
  options: {
    killAfter: number;
    webhookUrl: string;
    /** What dies once `killAfter` notifications were answered. Default: the proxy (SIGKILL). */
    kill?: (proxy: CrashProxy) => void;
  },
): Promise<{ acked: Set<string>; sent: number; killed: boolean }> {
  const bodies = await Promise.all(
    orders.map((o) => paidNotification(o.orderId, o.gatewayOrderNo!, o.amount)),
  );
  const proxy = await startCrashProxy({
    port: await freePort(),
    gatewayUrl: 'http://127.0.0.1:9',
    credentials: {
      partnerNo: DEFAULT_PARTNER.partnerNo,
      storeNo: DEFAULT_PARTNER.storeNo,
      signKey: DEFAULT_PARTNER.signKey,
    },
    catalog: CATALOG,
    ...location,
    webhook: { url: options.webhookUrl, secret: createWebhookSecret() },
    adminToken: 'group-commit-admin-token-0123456789abcdef',
  });
  const acked = new Set<string>();
  let sent = 0;
  let killed = false;
  try {
    await Promise.all(
      Array.from({ length: 32 }, async (_, k) => {
        for (let i = k; i < orders.length && !killed; i += 32) {
          sent++;
          try {
            const response = await fetch(`${proxy.url}/notify`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: bodies[i],
            });
            if ((await response.text()) !== 'success') continue;
            acked.add(orders[i]!.orderId);
            if (acked.size >= options.killAfter && !killed) {
              killed = true;
              if (options.kill) options.kill(proxy);
              else proxy.child.kill('SIGKILL');
            }
          } catch {
            // The connection died with the process.
          }
        }
      }),
    );
  } finally {
    await proxy.kill();
  }
  return { acked, sent, killed };
}
