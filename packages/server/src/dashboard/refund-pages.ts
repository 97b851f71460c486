import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { randomHex } from '@scanforpay/protocol';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';
import type { Order } from '../domain/order.js';
import { ProblemError } from '../problem.js';
import {
  MAX_REFUND_REASON,
  REFUND_NO_SHAPE,
  refundOrder,
  type RefundOrderDeps,
} from '../orders/refund-order.js';
import type { OrderStore } from '../store/order-store.js';
import type { DashboardContext, DashboardEnv } from './dashboard-env.js';
import { money, parseMajorUnits, currencyDigits } from './format.js';
import { csrfField, layout, notice, type Html, type PageContext } from './layout.js';
import { statusLabel } from './messages.js';
import { orderPage, summary, type OrderView } from './order-detail.js';

export interface RefundPagesDeps extends RefundOrderDeps {
  store: RefundOrderDeps['store'] & Pick<OrderStore, 'listEvents' | 'listNotifications'>;
  /** An order changed: deliver its event soon. */
  changed: (c: Context) => void;
}

/** What the script is told about a refund it sent (and what a no-script page shows). */
interface RefundAnswer {
  outcome: 'succeeded' | 'pending' | 'failed';
  message: string;
  status?: string;
  statusLabel?: string;
  refunded?: string;
}

/** One order's page, and a refund: typed → confirmed → sent, its outcome shown without a reload. */
export function refundPages(app: Hono<DashboardEnv>, deps: RefundPagesDeps): void {
  const { store } = deps;

  async function load(orderId: string, page: PageContext): Promise<OrderView> {
    const order = ORDER_ID_SHAPE.test(orderId) ? await store.getOrder(orderId) : undefined;
    if (!order) throw new ProblemError('order_not_found', page.t('noSuchOrder'));
    const [refunds, events, notifications] = await Promise.all([
      store.listRefunds(orderId),
      store.listEvents(orderId),
      store.listNotifications(orderId),
    ]);
    return {
      order: redactOrder(order),
      refunds: refunds.map((r) => ({ ...r, failureMessage: redact(r.failureMessage) })),
      events,
      notifications: notifications.map((n) => ({ ...n, reason: redact(n.reason) })),
    };
  }
  const redact = (text: string | null) => (text === null ? null : deps.redact(text));
  const redactOrder = (order: Order): Order => ({
    ...order,
    failureMessage: redact(order.failureMessage),
  });

  app.get('/admin/ui/orders/:orderId', async function showOrder(c) {
    const page = c.get('page');
    const view = await load(c.req.param('orderId'), page);
    return c.html(orderPage(page, view));
  });

  app.get('/admin/ui/orders/:orderId/refund', async function confirmRefund(c) {
    const page = c.get('page');
    const view = await load(c.req.param('orderId'), page);
    const { order } = view;
    const typed = (c.req.query('amount') ?? '').trim();
    const reason = (c.req.query('reason') ?? '').trim().slice(0, MAX_REFUND_REASON);
    const left = order.amount - order.refundedAmount;
    const amount = typed === '' ? left : parseMajorUnits(typed, order.currency);
    let error: string | undefined;
    if (amount === undefined) {
      error = page.t('amountFormat', {
        currency: order.currency,
        digits: currencyDigits(order.currency),
      });
    } else if (amount > left) {
      error = page.t('amountTooLarge', { left: money(page.locale, left, order.currency) });
    }
    const refundable = order.status === 'paid' || order.status === 'partially_refunded';
    if (error !== undefined || !refundable || left < 1) {
      return c.html(orderPage(page, view, html``, { ...(error ? { error } : {}), typed }), 400);
    }
    const refundNo = `d${deps.clock().toString(36)}${randomHex(8)}`;
    return c.html(confirmPage(page, order, amount!, reason, refundNo));
  });

  app.post('/admin/ui/orders/:orderId/refund', async function sendRefund(c) {
    const page = c.get('page');
    const orderId = c.req.param('orderId');
    const body = await c.req.parseBody();
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const amount = Number(field('amount'));
    const refundNo = field('refundNo');
    const reason = field('reason').slice(0, MAX_REFUND_REASON);
    const wantsJson = (c.req.header('accept') ?? '').includes('application/json');
    c.get('logFields').orderId = orderId;
    c.get('logFields').refundNo = refundNo;
    // The confirmation page always sends all three: anything else is not a confirmed refund.
    if (
      !ORDER_ID_SHAPE.test(orderId) ||
      !REFUND_NO_SHAPE.test(refundNo) ||
      !/^[1-9][0-9]{0,15}$/.test(field('amount')) ||
      !Number.isSafeInteger(amount)
    ) {
      throw new ProblemError('invalid_request', page.t('badRefundForm'));
    }
    let answer: RefundAnswer;
    let order: Order | undefined;
    try {
      const result = await refundOrder(deps, {
        orderId,
        refundNo,
        amount,
        ...(reason !== '' ? { reason } : {}),
      });
      if (result.outcome === 'pending') {
        answer = { outcome: 'pending', message: page.t('refundPending', { refundNo }) };
      } else {
        if (!result.replayed) deps.changed(c);
        order = result.order;
        answer = {
          outcome: 'succeeded',
          message: page.t('refundSucceeded', {
            amount: money(page.locale, result.refund.amount, order.currency),
            status: statusLabel(page.locale, order.status),
          }),
          status: order.status,
          statusLabel: statusLabel(page.locale, order.status),
          refunded: money(page.locale, order.refundedAmount, order.currency),
        };
      }
    } catch (error) {
      if (
        !(error instanceof ProblemError) ||
        (error.status >= 500 && error.code !== 'gateway_error')
      ) {
        throw error;
      }
      const currency = (await store.getOrder(orderId))?.currency ?? 'HKD';
      answer = { outcome: 'failed', message: ruleMessage(page, error, refundNo, currency) };
    }
    if (wantsJson) return c.json(answer, answer.outcome === 'failed' ? 422 : 200);
    const view = await load(orderId, page);
    if (answer.outcome === 'pending') {
      const pending = notice('ok', page.t('refundStillPending', { refundNo }));
      return c.html(confirmPage(page, view.order, amount, reason, refundNo, pending), 202);
    }
    return c.html(
      orderPage(page, view, notice(answer.outcome === 'failed' ? 'error' : 'ok', answer.message)),
      answer.outcome === 'failed' ? 422 : 200,
    );
  });

  /** The rules the refund use-case enforces, in the operator's words. */
  function ruleMessage(
    page: PageContext,
    error: ProblemError,
    refundNo: string,
    currency: string,
  ): string {
    const extra = error.extra ?? {};
    switch (error.code) {
      case 'refund_too_large':
        return page.t('amountTooLarge', {
          left: money(page.locale, Number(extra.refundable ?? 0), currency),
        });
      case 'not_refundable':
        return page.t('notRefundable', {
          status: statusLabel(page.locale, String(extra.orderStatus ?? '')),
        });
      case 'refund_in_flight':
        return page.t('refundStillPending', { refundNo: String(extra.refundNo ?? refundNo) });
      case 'order_not_found':
        return page.t('noSuchOrder');
      default:
        return page.t('refundFailed', { detail: deps.redact(error.detail) });
    }
  }
}

/** Step two: what will be refunded, and the one button that sends it (with its refundNo). */
function confirmPage(
  p: PageContext,
  order: Order,
  amount: number,
  reason: string,
  refundNo: string,
  messages: Html = html``,
): Html {
  const { t } = p;
  const shown = money(p.locale, amount, order.currency);
  return layout(
    p,
    t('confirmTitle'),
    'orders',
    html`${messages}
      <section class="card" aria-labelledby="confirm-h">
        <h2 id="confirm-h">${t('order')} ${order.orderId}</h2>
        ${summary(p, order)}
        <form
          method="post"
          action="${p.base}/orders/${order.orderId}/refund"
          data-refund-form
          data-pending-text="${t('refundStillPending', { refundNo })}"
          data-session-text="${t('sessionEnded')}"
          data-stale-text="${t('forbidden')}"
          data-error-text="${t('internalError')}"
        >
          ${csrfField(p)}
          <input type="hidden" name="amount" value="${amount}" />
          <input type="hidden" name="refundNo" value="${refundNo}" />
          <input type="hidden" name="reason" value="${reason}" />
          <p>
            ${t('confirmText', { amount: shown, order: order.orderId, total: money(p.locale, order.amount, order.currency) })}
          </p>
          <div class="actions">
            <button type="submit" class="danger">${t('confirm', { amount: shown })}</button>
            <a href="${p.base}/orders/${order.orderId}">${t('cancel')}</a>
          </div>
        </form>
        <div id="refund-outcome" role="status" aria-live="polite" data-refund-outcome></div>
        <p><a href="${p.base}/orders/${order.orderId}" data-back-link>${t('backToOrder')}</a></p>
      </section>`,
  );
}

export type { DashboardContext };
