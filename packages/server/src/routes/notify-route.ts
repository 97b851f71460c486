import { openNotification, SignatureError, ValidationError } from '@scanforpay/protocol';
import { Hono, type Context } from 'hono';
import { maskIdentifier } from '../logging/create-logger.js';
import { createRefusalBudget } from '../notify/refusal-budget.js';
import { reportMismatch, reportTransition } from '../domain/payment-report.js';
import { ProblemError } from '../problem.js';
import type { ProxyEnv, ProxyRuntime } from '../proxy-runtime.js';

/** Raw bodies of refused notifications are kept for audit up to this many characters. */
const MAX_REJECTED_BODY = 8 * 1024;

/**
 * `POST /notify`: ScanForPay's signed notification. Verified over the raw body, checked against
 * the stored order, recorded, applied once (compare-and-set), and only after the commit
 * answered with exactly `success`. Anything refused is recorded and answered with a 4xx.
 * Verification comes first and a verified notification is never limited: only refused ones
 * count against their client's budget (see `refusedNotifications`).
 */
export function notifyRoute(runtime: ProxyRuntime): Hono<ProxyEnv> {
  const { store, credentials } = runtime;
  const limits = runtime.refusedNotifications;
  const budget = createRefusalBudget({ ...limits, now: runtime.clock });

  /** Keeps what the client's budget allows of a refused notification, then refuses it. */
  async function reject(c: Context<ProxyEnv>, raw: string, reason: string, receivedAt: number) {
    const client = runtime.clientKey(c);
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
      runtime.logger.warn('refused notifications over budget: 429 until the minute ends', {
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
    return `${bytes} bytes, sha256 ${await runtime.hash(raw)}`;
  }

  return new Hono<ProxyEnv>().post('/notify', async function notify(c) {
    const raw = await c.req.text();
    const receivedAt = runtime.clock();
    const logFields = c.get('logFields');

    let notification;
    try {
      notification = await openNotification(raw, credentials.signKey, {
        partnerNo: credentials.partnerNo,
        hash: runtime.hash,
      });
    } catch (error) {
      const reason =
        error instanceof SignatureError
          ? `signature: ${error.reason}`
          : error instanceof ValidationError
            ? `invalid: ${error.message}`
            : 'unreadable';
      return reject(c, raw, reason, receivedAt);
    }
    if (runtime.faultHook) await runtime.faultHook('notify:verified');

    const report = notification.body;
    const orderId = report.partnerOrderNo;
    const dedupeKey = `${orderId}:${report.code}:${report.status}`;
    const verified = { orderId, dedupeKey, rawBody: raw, verified: true, receivedAt } as const;
    Object.assign(logFields, { orderId, buyer: maskIdentifier(report.buyerId ?? report.buyer) });

    const order = await store.getOrder(orderId);
    if (!order) {
      await store.recordNotification({
        ...verified,
        orderId: null,
        outcome: 'unknown_order',
        reason: null,
      });
      logFields.outcome = 'unknown_order';
      throw new ProblemError(
        'order_not_found',
        'the notification is for an order this proxy does not know',
      );
    }
    const mismatch = reportMismatch(order, report);
    if (mismatch) {
      await store.recordNotification({ ...verified, outcome: 'mismatch', reason: mismatch });
      Object.assign(logFields, { outcome: 'mismatch', reason: mismatch });
      runtime.logger.warn('notification does not match the order', { orderId, mismatch });
      throw new ProblemError(
        'notification_mismatch',
        'the notification does not match the stored order',
      );
    }
    const transition = reportTransition(order, report, receivedAt);
    const result = await store.recordNotification({
      ...verified,
      outcome: 'ignored',
      reason: transition ? null : `code ${report.code}, status ${report.status}`,
      ...(transition ? { transition: { orderId, input: transition } } : {}),
    });
    logFields.outcome = result.outcome;
    if (runtime.faultHook) await runtime.faultHook('notify:committed');
    if (result.applied) runtime.changed(c);
    return c.text('success');
  });
}
