import { EVENT_ID_SHAPE } from '../domain/merchant-event.js';
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { sendTestEvent } from '../events/send-test-event.js';
import type { Logger } from '../logging/create-logger.js';
import type { OrderStore, OutboxBacklog } from '../store/order-store.js';
import type { DashboardEnv } from './dashboard-env.js';
import { duration, when } from './format.js';
import { csrfField, layout, notice, type Html, type PageContext } from './layout.js';
import { eventsTable } from './order-detail.js';

/** Events listed on the webhook page. */
const RECENT_EVENTS = 50;

export interface WebhookPagesDeps {
  store: Pick<
    OrderStore,
    | 'getEndpoint'
    | 'setEndpoint'
    | 'retryEventsNow'
    | 'recentEvents'
    | 'outboxBacklog'
    | 'resendEvent'
  >;
  /** The merchant's endpoint and its signing secret; undefined when none is configured. */
  webhook: { url: string; secret: string; timeoutMs?: number } | undefined;
  fetch?: typeof fetch | undefined;
  clock: () => number;
  logger: Logger;
  /** Replaces the proxy's secrets in a text shown to the merchant. */
  redact: (text: string) => string;
  /** The outbox changed: deliver soon. */
  changed: (c: Context) => void;
}

/** The webhook endpoint: its state, backlog, newest events; re-enable, resend one, send a test. */
export function webhookPages(app: Hono<DashboardEnv>, deps: WebhookPagesDeps): void {
  const { store, webhook } = deps;

  async function render(p: PageContext, message: Html = html``): Promise<Html> {
    const { t } = p;
    if (!webhook) {
      return layout(p, t('webhooks'), 'webhook', html`${message}${notice('ok', t('noWebhook'))}`);
    }
    const [endpoint, backlog, events] = await Promise.all([
      store.getEndpoint(webhook.url),
      store.outboxBacklog(),
      store.recentEvents(RECENT_EVENTS),
    ]);
    const disabled = endpoint?.disabledAt ?? null;
    const state =
      disabled === null
        ? t('enabled')
        : t('disabledSince', { t: when(disabled), reason: endpoint?.reason ?? '' });
    const resend = (e: { eventId: string }) =>
      html`<form method="post" action="${p.base}/webhook/resend" class="inline">
        ${csrfField(p)}<input type="hidden" name="eventId" value="${e.eventId}" />
        <button type="submit" class="small" aria-label="${t('resendLabel', { id: e.eventId })}">
          ${t('resend')}
        </button>
      </form>`;
    return layout(
      p,
      t('webhooks'),
      'webhook',
      html`${message}
        <section class="card" aria-labelledby="endpoint-h" data-poll="${p.base}/webhook/state.json">
          <h2 id="endpoint-h">${t('webhookEndpoint')}</h2>
          <dl class="facts">
            <div>
              <dt>URL</dt>
              <dd><code>${webhook.url}</code></dd>
            </div>
            <div>
              <dt>${t('state')}</dt>
              <dd data-field="state" data-disabled="${disabled === null ? 'no' : 'yes'}">
                ${state}
              </dd>
            </div>
            <div>
              <dt>${t('backlog')}</dt>
              <dd data-field="waiting">${backlog.waiting}</dd>
            </div>
            <div>
              <dt>${t('oldest')}</dt>
              <dd data-field="oldest">${oldest(p, backlog)}</dd>
            </div>
            <div>
              <dt>${t('givenUpCount')}</dt>
              <dd data-field="givenUp">${backlog.givenUp}</dd>
            </div>
          </dl>
          <div class="actions">
            ${
              disabled === null
                ? ''
                : html`<form method="post" action="${p.base}/webhook/enable" class="inline">
                    ${csrfField(p)}<button type="submit">${t('reenable')}</button>
                  </form>`
            }
            <form method="post" action="${p.base}/webhook/test" class="inline">
              ${csrfField(p)}<button type="submit" class="secondary">${t('sendTest')}</button>
            </form>
          </div>
        </section>
        <section class="card" aria-labelledby="recent-h">
          <h2 id="recent-h">${t('recentEvents')}</h2>
          ${eventsTable(p, events, resend)}
        </section>`,
    );
  }

  function oldest(p: PageContext, backlog: OutboxBacklog): string {
    return backlog.oldestCreatedAt === null
      ? p.t('none')
      : p.t('ago', { d: duration(deps.clock() - backlog.oldestCreatedAt) });
  }

  app.get('/admin/ui/webhook', async (c) => c.html(await render(c.get('page'))));

  app.get('/admin/ui/webhook/state.json', async (c) => {
    const p = c.get('page');
    const backlog = await store.outboxBacklog();
    const endpoint = webhook ? await store.getEndpoint(webhook.url) : undefined;
    return c.json({
      waiting: backlog.waiting,
      oldest: oldest(p, backlog),
      givenUp: backlog.givenUp,
      disabled: (endpoint?.disabledAt ?? null) !== null,
    });
  });

  app.post('/admin/ui/webhook/enable', async (c) => {
    const p = c.get('page');
    if (!webhook) return c.html(await render(p), 409);
    await store.setEndpoint(webhook.url, null);
    const due = await store.retryEventsNow(deps.clock());
    deps.logger.info('webhook endpoint enabled', { eventsDue: due, by: 'dashboard' });
    deps.changed(c);
    return c.html(await render(p, notice('ok', p.t('reenabled', { n: due }))));
  });

  app.post('/admin/ui/webhook/resend', async (c) => {
    const p = c.get('page');
    const body = await c.req.parseBody();
    const id = typeof body.eventId === 'string' ? body.eventId : '';
    const ok = EVENT_ID_SHAPE.test(id) && (await store.resendEvent(id, deps.clock()));
    if (ok) {
      deps.logger.info('webhook event resent', { eventId: id });
      deps.changed(c);
    }
    const message = ok
      ? notice('ok', p.t('resent', { id }))
      : notice('error', p.t('resendBusy', { id: id.slice(0, 64) }));
    return c.html(await render(p, message), ok ? 200 : 409);
  });

  app.post('/admin/ui/webhook/test', async (c) => {
    const p = c.get('page');
    if (!webhook) return c.html(await render(p), 409);
    const delivery = await sendTestEvent({ ...deps, webhook }, 'webhook.test');
    const message =
      delivery.outcome === 'delivered'
        ? notice('ok', p.t('testSent', { status: delivery.status ?? '' }))
        : delivery.outcome === 'gone'
          ? notice('error', p.t('testGone'))
          : notice('error', p.t('testFailed', { error: delivery.error ?? '' }));
    return c.html(await render(p, message));
  });
}
