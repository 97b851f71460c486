import { openNotification, SignatureError, ValidationError } from '@scanforpay/protocol';
import { Hono } from 'hono';
import { maskIdentifier } from '../logging/create-logger.js';
import { reportMismatch, reportTransition } from '../orders/payment-result.js';
import { ProblemError } from '../problem.js';
import type { ProxyEnv, ProxyRuntime } from '../proxy-runtime.js';

/** Raw bodies of refused notifications are kept for audit up to this many characters. */
const MAX_REJECTED_BODY = 8 * 1024;

/**
 * `POST /notify`: ScanForPay's signed notification. Verified over the raw body, checked against
 * the stored order, recorded, applied once (compare-and-set), and only after the commit
 * answered with exactly `success`. Anything refused is recorded and answered with a 4xx.
 */
export function notifyRoute(runtime: ProxyRuntime): Hono<ProxyEnv> {
  const { store, credentials } = runtime;
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
      await store.recordNotification({
        orderId: null,
        dedupeKey: null,
        rawBody: raw.slice(0, MAX_REJECTED_BODY),
        verified: false,
        outcome: 'rejected',
        reason,
        receivedAt,
      });
      Object.assign(logFields, { outcome: 'rejected', reason });
      throw new ProblemError('invalid_notification', 'the notification failed verification');
    }

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
    if (result.applied) runtime.changed(c);
    return c.text('success');
  });
}
