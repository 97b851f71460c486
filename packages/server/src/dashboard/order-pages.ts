import type { Hono } from 'hono';
import { html } from 'hono/html';
import { ORDER_STATUSES, type Order } from '../domain/order.js';
import type { OrderStore, OrderTotals } from '../store/order-store.js';
import { ordersCsv } from './orders-csv.js';
import type { DashboardEnv } from './dashboard-env.js';
import { money, when } from './format.js';
import { layout, notice, type Html, type PageContext } from './layout.js';
import { statusLabel } from './messages.js';
import { filterQuery, parseFilter, type ParsedFilter } from './order-filter.js';
import { refundPages, type RefundPagesDeps } from './refund-pages.js';

/** Orders per page of the list. */
export const PAGE_SIZE = 50;

export interface OrderPagesDeps extends RefundPagesDeps {
  store: RefundPagesDeps['store'] & Pick<OrderStore, 'searchOrders' | 'orderTotals'>;
}

/** The orders list (filters, totals, pages), its CSV export, and one order with its refunds. */
export function orderPages(app: Hono<DashboardEnv>, deps: OrderPagesDeps): void {
  const { store } = deps;

  app.get('/admin/ui/orders', async function ordersList(c) {
    const page = c.get('page');
    const parsed = parseFilter((name) => c.req.query(name));
    const totals = await store.orderTotals(parsed.filter);
    const count = totals.reduce((sum, row) => sum + row.count, 0);
    const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
    const current = Math.min(parsed.page, pages);
    const orders = await store.searchOrders(parsed.filter, {
      limit: PAGE_SIZE,
      offset: (current - 1) * PAGE_SIZE,
    });
    return c.html(
      layout(
        page,
        page.t('orders'),
        'orders',
        html`${parsed.badDate ? notice('error', page.t('badDate')) : ''} ${filterForm(page, parsed)}
        ${totalsTable(page, totals)} ${ordersTable(page, orders)}
        ${pager(page, parsed, current, pages)}`,
      ),
    );
  });

  app.get('/admin/ui/orders.csv', (c) => {
    const parsed = parseFilter((name) => c.req.query(name));
    const day = new Date(deps.clock()).toISOString().slice(0, 10);
    return new Response(ordersCsv(store, parsed.filter), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="orders-${day}.csv"`,
        'cache-control': 'no-store',
      },
    });
  });

  refundPages(app, deps);
}

function filterForm(p: PageContext, parsed: ParsedFilter): Html {
  const { t } = p;
  const { form } = parsed;
  return html`<form
    method="get"
    action="${p.base}/orders"
    class="card filters"
    role="search"
    aria-label="${t('filters')}"
  >
    <div class="field">
      <label for="f-status">${t('status')}</label>
      <select id="f-status" name="status">
        <option value="">${t('anyStatus')}</option>
        ${ORDER_STATUSES.map(
          (s) =>
            html`<option value="${s}" ${form.status === s ? html`selected` : ''}>
              ${statusLabel(p.locale, s)}
            </option>`,
        )}
      </select>
    </div>
    <div class="field wide">
      <label for="f-q">${t('search')}</label>
      <input id="f-q" name="q" type="search" value="${form.q}" maxlength="64" autocomplete="off" />
    </div>
    <div class="field">
      <label for="f-from">${t('from')}</label>
      <input id="f-from" name="from" type="date" value="${form.from}" />
    </div>
    <div class="field">
      <label for="f-to">${t('to')}</label>
      <input id="f-to" name="to" type="date" value="${form.to}" />
    </div>
    <div class="actions">
      <button type="submit">${t('apply')}</button>
      <a href="${p.base}/orders">${t('clear')}</a>
      <a href="${p.base}/orders.csv${filterQuery(form)}" download>${t('exportCsv')}</a>
    </div>
  </form>`;
}

function totalsTable(p: PageContext, totals: OrderTotals[]): Html {
  const { t } = p;
  if (totals.length === 0) return html`<p class="empty">${t('noOrders')}</p>`;
  return html`<section aria-labelledby="totals-h" class="card">
    <h2 id="totals-h">${t('totals')}</h2>
    <div class="scroll" tabindex="0">
      <table class="totals">
        <thead>
          <tr>
            <th scope="col">${t('currency')}</th>
            <th scope="col">${t('count')}</th>
            <th scope="col">${t('amount')}</th>
            <th scope="col">${t('refunded')}</th>
          </tr>
        </thead>
        <tbody>
          ${totals.map(
            (row) =>
              html`<tr data-currency="${row.currency}">
                <th scope="row">${row.currency}</th>
                <td class="num" data-count>${row.count}</td>
                <td class="num" data-amount>${money(p.locale, row.amount, row.currency)}</td>
                <td class="num">${money(p.locale, row.refundedAmount, row.currency)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

function ordersTable(p: PageContext, orders: Order[]): Html {
  const { t } = p;
  if (orders.length === 0) return html``;
  return html`<section aria-labelledby="orders-h">
    <h2 id="orders-h" class="visually-hidden">${t('orders')}</h2>
    <div class="scroll" tabindex="0">
      <table class="orders">
        <thead>
          <tr>
            <th scope="col">${t('created')}</th>
            <th scope="col">${t('order')}</th>
            <th scope="col">${t('reference')}</th>
            <th scope="col">${t('item')}</th>
            <th scope="col">${t('amount')}</th>
            <th scope="col">${t('status')}</th>
            <th scope="col">${t('wallet')}</th>
          </tr>
        </thead>
        <tbody>
          ${orders.map(
            (o) =>
              html`<tr data-order-id="${o.orderId}">
                <td>${when(o.createdAt)}</td>
                <td><a href="${p.base}/orders/${o.orderId}">${o.orderId}</a></td>
                <td>${o.reference ?? '—'}</td>
                <td>${o.title}${o.quantity > 1 ? ` × ${o.quantity}` : ''}</td>
                <td class="num">${money(p.locale, o.amount, o.currency)}</td>
                <td>
                  <span class="status" data-status="${o.status}"
                    >${statusLabel(p.locale, o.status)}</span
                  >
                </td>
                <td>${o.wallet}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

function pager(p: PageContext, parsed: ParsedFilter, current: number, pages: number): Html {
  const { t } = p;
  const link = (n: number) => `${p.base}/orders${filterQuery(parsed.form, { page: String(n) })}`;
  return html`<nav class="pager" aria-label="${t('pages')}">
    ${current > 1 ? html`<a href="${link(current - 1)}" rel="prev">${t('previous')}</a>` : ''}
    <span aria-current="page">${t('page', { n: current, m: pages })}</span>
    ${current < pages ? html`<a href="${link(current + 1)}" rel="next">${t('next')}</a>` : ''}
  </nav>`;
}
