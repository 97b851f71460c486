import type { NotificationOutcome } from '../domain/notification.js';
import type { Order } from '../domain/order.js';
import { reportMismatch, reportTransition, type PaymentReport } from '../domain/payment-report.js';
import type { Logger } from '../logging/create-logger.js';
import type { OrderStore } from '../store/order-store.js';

export interface SettlePaymentDeps {
  store: Pick<OrderStore, 'transition' | 'recordNotification'>;
  logger: Logger;
}

/** Where a verified report came from: it decides what is written with the transition. */
export type ReportSource =
  /** A signed notification: its row is written in the same store unit as the transition. */
  | { via: 'notify'; rawBody: string; receivedAt: number }
  /** A signed payQuery answer (`/return`, result polls, reconciliation): the transition alone. */
  | { via: 'payQuery'; receivedAt: number };

/** What applying a verified report did. `recorded`: the notification row's outcome (notify only). */
export type Settlement =
  /** The report is about another amount, currency or gateway order: logged, not applied. */
  | { outcome: 'mismatch'; reason: string }
  /** The report is final (paid, failed, refunded); `applied` when it changed the order. */
  | {
      outcome: 'settled';
      applied: boolean;
      order: Order | undefined;
      recorded?: NotificationOutcome;
    }
  /** The report says nothing final (unpaid, or a code other than 1): nothing changed. */
  | { outcome: 'not_final'; recorded?: NotificationOutcome };

/**
 * Applies a verified payment report to its order, whichever way it came: the mismatch check,
 * then the transition with its merchant event, once (compare-and-set), in one store unit — for
 * a notification that unit also writes the notification row. What a "not final" report means
 * (expiry, for payQuery) is the caller's: see `checkOrder`.
 */
export async function settlePayment(
  deps: SettlePaymentDeps,
  order: Order,
  report: PaymentReport,
  source: ReportSource,
): Promise<Settlement> {
  const mismatch = reportMismatch(order, report);
  const transition = mismatch ? undefined : reportTransition(order, report, source.receivedAt);
  if (source.via === 'payQuery') {
    if (mismatch) return mismatched(deps, 'payQuery does not match the order', order, mismatch);
    if (!transition) return { outcome: 'not_final' };
    return { outcome: 'settled', ...(await deps.store.transition(order.orderId, transition)) };
  }

  const row = notificationRow(report, source);
  if (mismatch) {
    await deps.store.recordNotification({ ...row, outcome: 'mismatch', reason: mismatch });
    return mismatched(deps, 'notification does not match the order', order, mismatch);
  }
  const result = await deps.store.recordNotification({
    ...row,
    outcome: 'ignored',
    reason: transition ? null : `code ${report.code}, status ${report.status}`,
    ...(transition ? { transition: { orderId: order.orderId, input: transition } } : {}),
  });
  if (!transition) return { outcome: 'not_final', recorded: result.outcome };
  return {
    outcome: 'settled',
    applied: result.applied,
    order: result.order,
    recorded: result.outcome,
  };
}

/**
 * A verified notification: settled against its order, or recorded as `unknown_order` when the
 * proxy does not know the order it names.
 */
export async function settleNotification(
  deps: SettlePaymentDeps & { store: Pick<OrderStore, 'getOrder'> },
  report: PaymentReport,
  source: Extract<ReportSource, { via: 'notify' }>,
): Promise<Settlement | { outcome: 'unknown_order' }> {
  const order = await deps.store.getOrder(report.partnerOrderNo);
  if (order) return settlePayment(deps, order, report, source);
  await deps.store.recordNotification({
    ...notificationRow(report, source),
    orderId: null,
    outcome: 'unknown_order',
    reason: null,
  });
  return { outcome: 'unknown_order' };
}

/** The verified notification's row; its dedupe key is the order, the code and the status. */
function notificationRow(report: PaymentReport, source: { rawBody: string; receivedAt: number }) {
  const orderId = report.partnerOrderNo;
  return {
    orderId,
    dedupeKey: `${orderId}:${report.code}:${report.status}`,
    rawBody: source.rawBody,
    verified: true,
    receivedAt: source.receivedAt,
  } as const;
}

function mismatched(
  deps: SettlePaymentDeps,
  message: string,
  order: Order,
  reason: string,
): Settlement {
  deps.logger.warn(message, { orderId: order.orderId, mismatch: reason });
  return { outcome: 'mismatch', reason };
}
