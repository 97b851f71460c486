import {
  openNotification,
  SignatureError,
  ValidationError,
  type HashFn,
} from '@scanforpay/protocol';
import { Hono, type Context } from 'hono';
import { maskIdentifier, type Logger } from '../logging/create-logger.js';
import type { FaultHook } from '../fault-hook.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { createRefusalBudget, type RefusedNotificationLimits } from '../notify/refusal-budget.js';
import { settleNotification, type SettlePaymentDeps } from '../orders/settle-payment.js';
import { ProblemError } from '../problem.js';
import type { OrderStore } from '../store/order-store.js';
import type { ProxyMetrics } from '../telemetry/proxy-metrics.js';

/** Raw bodies of refused notifications are kept for audit up to this many characters. */
const MAX_REJECTED_BODY = 8 * 1024;

export interface NotifyRouteDeps extends SettlePaymentDeps {
  store: SettlePaymentDeps['store'] & Pick<OrderStore, 'getOrder' | 'recordRejectedNotification'>;
  credentials: { partnerNo: string; signKey: string };
  hash: HashFn;
  clock: () => number;
  logger: Logger;
  clientKey: (c: Context) => string;
  refusedNotifications: Required<RefusedNotificationLimits>;
  /** A notification changed an order: deliver its event soon. */
  changed: (c: Context) => void;
  /** Testing only: awaited at `notify:verified` and `notify:committed`. */
  faultHook?: FaultHook | undefined;
  /** Counts each notification by outcome (and why a refused one was refused). */
  metrics?: Pick<ProxyMetrics, 'notification'> | undefined;
}

/**
 * `POST /notify`: ScanForPay's signed notification. Verify → settle → answer: verified over
 * the raw body, settled ({@link settleNotification}: checked against the stored order, recorded,
 * applied once), and only after the commit answered with exactly `success`. Anything refused is
 * recorded and answered with a 4xx. Verification comes first and a verified notification is
 * never limited: only refused ones count against their client's budget (`refusedNotifications`).
 */
export function notifyRoute(deps: NotifyRouteDeps): Hono<ProxyEnv> {
  const { store, credentials } = deps;
  const limits = deps.refusedNotifications;
  const budget = createRefusalBudget({ ...limits, now: deps.clock });

  /** Keeps what the client's budget allows of a refused notification, then refuses it. */
  async function reject(
    c: Context<ProxyEnv>,
    raw: string,
    reason: string,
    receivedAt: number,
    why: string,
  ) {
    deps.metrics?.notification('rejected', why);
    const client = deps.clientKey(c);
    const { retryAfterMs, refused, ...allowance } = budget.take(client);
    const keep = limits.maxStored > 0 ? allowance.keep : 'none';
    if (keep !== 'none') {
      await store.recordRejectedNotification({
        rawBody: keep === 'body' ? raw.slice(0, MAX_REJECTED_BODY) : '',
        reason: keep === 'body' ? reason : `${reason}; body not kept, ${await digest(raw)}`,
        receivedAt,
        keep: limits.maxStored,
      });
    }
    Object.assign(c.get('logFields'), { outcome: 'rejected', reason, kept: keep, refused });
    if (refused === limits.bodiesPerMinute + 1) {
      deps.logger.warn('refused notifications over budget: 429 until the minute ends', {
        client,
        refused,
      });
    }
    if (retryAfterMs > 0) {
      const retryAfter = Math.ceil(retryAfterMs / 1000);
      throw new ProblemError(
        'rate_limited',
        `too many refused notifications from this client; retry in ${retryAfter} s`,
        { headers: { 'retry-after': String(retryAfter) } },
      );
    }
    throw new ProblemError('invalid_notification', 'the notification failed verification');
  }

  async function digest(raw: string): Promise<string> {
    const bytes = new TextEncoder().encode(raw).length;
    return `${bytes} bytes, sha256 ${await deps.hash(raw)}`;
  }

  return new Hono<ProxyEnv>().post('/notify', async function notify(c) {
    const raw = await c.req.text();
    const receivedAt = deps.clock();
    const logFields = c.get('logFields');

    let notification;
    try {
      notification = await openNotification(raw, credentials.signKey, {
        partnerNo: credentials.partnerNo,
        hash: deps.hash,
      });
    } catch (error) {
      const reason =
        error instanceof SignatureError
          ? `signature: ${error.reason}`
          : error instanceof ValidationError
            ? `invalid: ${error.message}`
            : 'unreadable';
      // The metric's label: the signature check's reason, `invalid` or `unreadable` (a few values).
      const why =
        error instanceof SignatureError
          ? error.reason
          : error instanceof ValidationError
            ? 'invalid'
            : 'unreadable';
      return reject(c, raw, reason, receivedAt, why);
    }
    if (deps.faultHook) await deps.faultHook('notify:verified');

    const report = notification.body;
    Object.assign(logFields, {
      orderId: report.partnerOrderNo,
      buyer: maskIdentifier(report.buyerId ?? report.buyer),
    });

    const settled = await settleNotification(deps, report, {
      via: 'notify',
      rawBody: raw,
      receivedAt,
    });
    if (settled.outcome === 'unknown_order') {
      deps.metrics?.notification('unknown_order');
      logFields.outcome = 'unknown_order';
      throw new ProblemError(
        'order_not_found',
        'the notification is for an order this proxy does not know',
      );
    }
    if (settled.outcome === 'mismatch') {
      deps.metrics?.notification('mismatch');
      Object.assign(logFields, { outcome: 'mismatch', reason: settled.reason });
      throw new ProblemError(
        'notification_mismatch',
        'the notification does not match the stored order',
      );
    }
    logFields.outcome = settled.recorded;
    deps.metrics?.notification(settled.recorded ?? 'not_recorded');
    if (deps.faultHook) await deps.faultHook('notify:committed');
    if (settled.outcome === 'settled' && settled.applied) deps.changed(c);
    return c.text('success');
  });
}
