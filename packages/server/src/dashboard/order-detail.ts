import { html } from 'hono/html';
import type { Order } from '../domain/order.js';
import type { OutboxRecord, RefundRecord, StoredNotification } from '../store/order-store.js';
import { majorUnits, money, when } from './format.js';
import { layout, notice, type Html, type PageContext } from './layout.js';
import { statusLabel } from './messages.js';

/** Everything the order page shows. */
export interface OrderView {
  order: Order;
  refunds: RefundRecord[];
  events: OutboxRecord[];
  notifications: StoredNotification[];
}

/** One order: summary, status history, refunds and the refund form, notifications, events. */
export function orderPage(
  p: PageContext,
  view: OrderView,
  messages: Html = html``,
  refund: { error?: string; typed?: string } = {},
): Html {
  const { t } = p;
  const { order } = view;
  return layout(
    p,
    `${t('order')} ${order.orderId}`,
    'orders',
    html`${messages}
      <section aria-labelledby="summary-h" class="card">
        <h2 id="summary-h">${t('summary')}</h2>
        ${summary(p, order)}
      </section>
      <section aria-labelledby="history-h" class="card">
        <h2 id="history-h">${t('history')}</h2>
        <ol class="history">
          ${history(view).map(
            (step) =>
              html`<li>
                <span class="status" data-status="${step.status}"
                  >${statusLabel(p.locale, step.status)}</span
                >
                <time>${when(step.at)}</time>
              </li>`,
          )}
        </ol>
      </section>
      <section aria-labelledby="refunds-h" class="card">
        <h2 id="refunds-h">${t('refunds')}</h2>
        ${refundsTable(p, order, view.refunds)} ${refundForm(p, order, refund.error, refund.typed)}
      </section>
      <section aria-labelledby="notifications-h" class="card">
        <h2 id="notifications-h">${t('notifications')}</h2>
        ${notificationsTable(p, view.notifications)}
      </section>
      <section aria-labelledby="events-h" class="card">
        <h2 id="events-h">${t('events')}</h2>
        ${eventsTable(p, view.events)}
      </section>`,
  );
}

/** The order's facts as a description list; the status cell is updated live by the script. */
export function summary(p: PageContext, order: Order): Html {
  const { t } = p;
  const row = (label: string, value: unknown) =>
    html`<div>
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`;
  return html`<dl class="facts">
    ${row(t('status'), html`<span class="status" data-status="${order.status}" data-order-status>${statusLabel(p.locale, order.status)}</span>`)}
    ${row(t('amount'), money(p.locale, order.amount, order.currency))}
    ${row(t('refunded'), html`<span data-order-refunded>${money(p.locale, order.refundedAmount, order.currency)}</span>`)}
    ${row(t('item'), `${order.title} (${order.itemId}) × ${order.quantity}`)}
    ${row(t('reference'), order.reference ?? '—')} ${row(t('wallet'), order.wallet)}
    ${row(t('gatewayOrderNo'), order.gatewayOrderNo ?? '—')}
    ${row(t('created'), when(order.createdAt))} ${row(t('paidAt'), when(order.paidAt))}
    ${row(t('expiresAt'), when(order.expiresAt))}
    ${order.failureCode ? row(t('failure'), `${order.failureCode}: ${order.failureMessage ?? ''}`) : ''}
  </dl>`;
}

function history(view: OrderView): { status: string; at: number }[] {
  const steps = [{ status: 'pending', at: view.order.createdAt }];
  for (const event of view.events) {
    if (event.type.startsWith('order.')) {
      steps.push({ status: event.type.slice('order.'.length), at: event.createdAt });
    }
  }
  if (steps[steps.length - 1]!.status !== view.order.status) {
    steps.push({ status: view.order.status, at: view.order.updatedAt });
  }
  return steps;
}

function refundsTable(p: PageContext, order: Order, refunds: RefundRecord[]): Html {
  const { t } = p;
  if (refunds.length === 0) return html`<p class="empty" data-refunds>${t('noRefunds')}</p>`;
  return html`<div class="scroll" tabindex="0">
    <table data-refunds>
      <thead>
        <tr>
          <th scope="col">${t('refundNo')}</th>
          <th scope="col">${t('amount')}</th>
          <th scope="col">${t('status')}</th>
          <th scope="col">${t('created')}</th>
          <th scope="col">${t('reason')}</th>
        </tr>
      </thead>
      <tbody>
        ${refunds.map(
          (r) =>
            html`<tr data-refund-no="${r.refundNo}">
              <td>${r.refundNo}</td>
              <td class="num">${money(p.locale, r.amount, order.currency)}</td>
              <td>
                <span class="status" data-status="${r.status}"
                  >${statusLabel(p.locale, r.status)}</span
                >
                ${r.failureMessage ? html`<br /><small>${r.failureCode}: ${r.failureMessage}</small>` : ''}
              </td>
              <td>${when(r.createdAt)}</td>
              <td>${r.reason ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Step one of a refund: the amount in major units, reviewed on the next page. */
export function refundForm(p: PageContext, order: Order, error?: string, typed = ''): Html {
  const { t } = p;
  const left = order.amount - order.refundedAmount;
  if (!(order.status === 'paid' || order.status === 'partially_refunded') || left < 1) {
    return html`<p>${t('notRefundable', { status: statusLabel(p.locale, order.status) })}</p>`;
  }
  const example = majorUnits(Math.min(left, 1000), order.currency);
  return html`<form
    method="get"
    action="${p.base}/orders/${order.orderId}/refund"
    class="refund"
    novalidate
  >
    <h3>${t('refund')}</h3>
    <p>
      ${t('refundLeft', { left: money(p.locale, left, order.currency), total: money(p.locale, order.amount, order.currency) })}
    </p>
    ${error ? html`<p id="amount-error" class="notice error" role="alert">${error}</p>` : ''}
    <label for="refund-amount">${t('refundAmount', { currency: order.currency })}</label>
    <input
      id="refund-amount"
      name="amount"
      inputmode="decimal"
      autocomplete="off"
      value="${typed}"
      placeholder="${majorUnits(left, order.currency)}"
      aria-describedby="amount-hint${error ? ' amount-error' : ''}"
      ${error ? html`aria-invalid="true"` : ''}
    />
    <p id="amount-hint" class="hint">
      ${t('refundAmountHint', { currency: order.currency, example })}
    </p>
    <label for="refund-reason">${t('refundReason')}</label>
    <input id="refund-reason" name="reason" maxlength="200" autocomplete="off" />
    <button type="submit">${t('review')}</button>
  </form>`;
}

function notificationsTable(p: PageContext, notifications: StoredNotification[]): Html {
  const { t } = p;
  if (notifications.length === 0) return html`<p class="empty">${t('noNotifications')}</p>`;
  return html`<div class="scroll" tabindex="0">
    <table>
      <thead>
        <tr>
          <th scope="col">${t('received')}</th>
          <th scope="col">${t('verified')}</th>
          <th scope="col">${t('outcome')}</th>
          <th scope="col">${t('reason')}</th>
        </tr>
      </thead>
      <tbody>
        ${notifications.map(
          (n) =>
            html`<tr>
              <td>${when(n.receivedAt)}</td>
              <td>${n.verified ? t('verifiedYes') : t('verifiedNo')}</td>
              <td>${n.outcome}</td>
              <td>${n.reason ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Merchant events with how their delivery stands. */
export function eventsTable(
  p: PageContext,
  events: OutboxRecord[],
  resend?: (e: OutboxRecord) => Html,
): Html {
  const { t } = p;
  if (events.length === 0) return html`<p class="empty">${t('noEvents')}</p>`;
  return html`<div class="scroll" tabindex="0">
    <table class="events">
      <thead>
        <tr>
          <th scope="col">${t('type')}</th>
          <th scope="col">${t('order')}</th>
          <th scope="col">${t('created')}</th>
          <th scope="col">${t('attempts')}</th>
          <th scope="col">${t('delivery')}</th>
          <th scope="col">${t('lastError')}</th>
          ${resend ? html`<th scope="col"><span class="visually-hidden">${t('resend')}</span></th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${events.map(
          (e) =>
            html`<tr data-event-id="${e.eventId}">
              <td>${e.type}</td>
              <td>
                ${e.orderId ? html`<a href="${p.base}/orders/${e.orderId}">${e.orderId}</a>` : '—'}
              </td>
              <td>${when(e.createdAt)}</td>
              <td class="num">${e.attempts}</td>
              <td>
                ${
                  e.deliveredAt !== null
                    ? t('delivered', { t: when(e.deliveredAt) })
                    : e.givenUpAt !== null
                      ? t('givenUp', { t: when(e.givenUpAt) })
                      : t('waiting', { t: when(e.nextAttemptAt) })
                }
              </td>
              <td>${e.lastError ?? '—'}</td>
              ${resend ? html`<td>${resend(e)}</td>` : ''}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export { notice };
