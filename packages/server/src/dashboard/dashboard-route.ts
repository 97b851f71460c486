import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { digestsEqual } from '../middleware/admin-auth.js';
import { PROBLEM_CONTENT_TYPE, ProblemError } from '../problem.js';
import type { HashFn } from '@scanforpay/protocol';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { DASHBOARD_SCRIPT, DASHBOARD_STYLES } from './assets.js';
import { DASHBOARD_HEADERS, type DashboardContext, type DashboardEnv } from './dashboard-env.js';
import { layout, notice, type PageContext } from './layout.js';
import { pickLocale, translator } from './messages.js';
import { orderPages, type OrderPagesDeps } from './order-pages.js';
import { sessionKeys } from './session.js';
import { signInBackoff } from './sign-in-backoff.js';
import { webhookPages, type WebhookPagesDeps } from './webhook-pages.js';

export interface DashboardDeps
  extends Omit<OrderPagesDeps, 'store'>, Omit<WebhookPagesDeps, 'store'> {
  store: OrderPagesDeps['store'] & WebhookPagesDeps['store'];
  /** The dashboard is on when set, like the admin API. */
  adminToken: string | undefined;
  hash: HashFn;
  /** The proxy's public URL: its path is the base of every link, its scheme decides `Secure`. */
  publicUrl: string;
  /** Who is signing in, for the backoff after wrong tokens. */
  clientKey: (c: Context) => string;
}

const COOKIE = 'sfp_admin';
const LANG_COOKIE = 'sfp_lang';

/**
 * The merchant dashboard at `/admin/ui`: server-rendered pages over the admin use-cases. The
 * operator signs in once with `ADMIN_TOKEN` (in a form body, never a URL) and gets a signed
 * session cookie (`HttpOnly`, `SameSite=Strict`, `Path=<base>/admin`, `Secure` on https);
 * every state-changing form carries the session's CSRF token. Off (404, like an unknown route)
 * without `ADMIN_TOKEN`.
 */
export function dashboardRoute(deps: DashboardDeps): Hono<ProxyEnv> {
  const app = new Hono<DashboardEnv>();
  const publicUrl = new URL(deps.publicUrl);
  const rootPath = publicUrl.pathname.replace(/\/+$/, '');
  const base = `${rootPath}/admin/ui`;
  const cookiePath = `${rootPath}/admin`;
  const secure = publicUrl.protocol === 'https:';
  const keys = deps.adminToken === undefined ? undefined : sessionKeys(deps.adminToken);
  const backoff = signInBackoff(deps.clock);
  let expected: Promise<string> | undefined;

  app.use('/admin/ui/*', async function dashboardGuard(c, next) {
    if (!keys) return notFoundProblem(c);
    for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) c.header(name, value);
    const query = c.req.query('lang');
    const locale = pickLocale(query, getCookie(c, LANG_COOKIE), c.req.header('accept-language'));
    if (query === locale) {
      setCookie(c, LANG_COOKIE, locale, {
        path: cookiePath,
        sameSite: 'Strict',
        secure,
        maxAge: 365 * 86400,
      });
    }
    const page: PageContext = { locale, t: translator(locale), base, here: new URL(c.req.url) };
    c.set('page', page);
    const session = await keys.open(getCookie(c, COOKIE), deps.clock());
    c.set('session', session);
    // The public path may have a prefix the app does not see (a reverse proxy): match the end.
    const path = c.req.path;
    const open = path.endsWith('/admin/ui/sign-in') || path.includes('/admin/ui/assets/');
    if (!open) {
      if (!session) {
        if (c.req.method === 'GET' || c.req.method === 'HEAD') {
          return c.redirect(`${base}/sign-in`, 303);
        }
        return errorPage(c, 401, page.t('sessionEnded'));
      }
      page.csrf = await keys.csrfToken(session);
      if (c.req.method === 'POST' && !(await csrfPasses(c, session))) {
        c.get('logFields').code = 'csrf_refused';
        return errorPage(c, 403, page.t('forbidden'));
      }
    }
    await next();
    for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) c.header(name, value);
  });

  async function csrfPasses(c: DashboardContext, session: { id: string; expiresAt: number }) {
    const origin = c.req.header('origin');
    if (
      origin !== undefined &&
      origin !== publicUrl.origin &&
      origin !== new URL(c.req.url).origin
    ) {
      return false;
    }
    const body = await c.req.parseBody();
    const field = body._csrf;
    const token = typeof field === 'string' ? field : c.req.header('x-csrf-token');
    return keys!.checkCsrf(session, token);
  }

  app.get('/admin', (c) => (keys ? c.redirect(`${base}/orders`, 303) : notFoundProblem(c)));
  app.get('/admin/ui', (c) => c.redirect(`${base}/orders`, 303));

  app.get('/admin/ui/assets/dashboard.js', (c) =>
    c.body(DASHBOARD_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/admin/ui/assets/dashboard.css', (c) =>
    c.body(DASHBOARD_STYLES, 200, { 'content-type': 'text/css; charset=utf-8' }),
  );

  app.get('/admin/ui/sign-in', (c) => {
    if (c.get('session')) return c.redirect(`${base}/orders`, 303);
    return c.html(signInPage(c.get('page')), 200);
  });

  app.post('/admin/ui/sign-in', async function signIn(c) {
    const page = c.get('page');
    const client = deps.clientKey(c);
    const wait = backoff.waitMs(client);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      c.get('logFields').code = 'sign_in_backoff';
      c.header('retry-after', String(seconds));
      return c.html(signInPage(page, page.t('slowDown', { s: seconds })), 429);
    }
    const body = await c.req.parseBody();
    const presented = typeof body.token === 'string' ? body.token.trim() : '';
    expected ??= deps.hash(deps.adminToken!);
    const [want, got] = await Promise.all([expected, deps.hash(presented)]);
    if (presented === '' || !digestsEqual(want, got)) {
      backoff.failed(client);
      c.get('logFields').code = 'sign_in_refused';
      deps.logger.warn('dashboard sign-in refused', { client: client.slice(0, 64) });
      return c.html(signInPage(page, page.t('wrongToken')), 401);
    }
    backoff.succeeded(client);
    const issued = await keys!.issue(deps.clock());
    setCookie(c, COOKIE, issued.cookie, {
      path: cookiePath,
      httpOnly: true,
      sameSite: 'Strict',
      secure,
      expires: new Date(issued.session.expiresAt),
    });
    deps.logger.info('dashboard sign-in', { session: issued.session.id.slice(0, 8) });
    return c.redirect(`${base}/orders`, 303);
  });

  app.post('/admin/ui/sign-out', (c) => {
    deleteCookie(c, COOKIE, { path: cookiePath, secure, httpOnly: true, sameSite: 'Strict' });
    const page = c.get('page');
    delete page.csrf;
    return c.html(signInPage(page, undefined, page.t('signedOut')), 200);
  });

  orderPages(app, deps);
  webhookPages(app, deps);

  app.all('/admin/ui/*', (c) => errorPage(c, 404, c.get('page').t('notFound')));
  app.onError((error, c) => {
    const page = c.get('page');
    if (!page) throw error;
    if (error instanceof ProblemError && error.status < 500) {
      return errorPage(c, error.status, error.detail);
    }
    deps.logger.error('dashboard error', {
      requestId: c.get('requestId'),
      error: `${error.name}: ${deps.redact(error.message)}`,
    });
    return errorPage(c, 500, page.t('internalError'));
  });
  return app as unknown as Hono<ProxyEnv>;
}

function signInPage(page: PageContext, error?: string, ok?: string) {
  const { t } = page;
  return layout(
    page,
    t('signIn'),
    null,
    html`${error ? notice('error', error) : ''} ${ok ? notice('ok', ok) : ''}
      <form method="post" action="${page.base}/sign-in" class="card narrow">
        <label for="token">${t('tokenLabel')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          aria-describedby="token-hint"
        />
        <p id="token-hint" class="hint">${t('tokenHint')}</p>
        <button type="submit">${t('signIn')}</button>
      </form>`,
  );
}

/** An error as a page of the dashboard (signed in or not), with its status. */
export function errorPage(
  c: DashboardContext,
  status: number,
  text: string,
): Response | Promise<Response> {
  const page = c.get('page');
  for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) c.header(name, value);
  const body = layout(
    page,
    String(status),
    null,
    html`${notice('error', text)}
      <p><a href="${page.base}/orders">${page.t('orders')}</a></p>`,
  );
  return c.html(body, status as 401);
}

function notFoundProblem(c: Context): Response {
  const problem = new ProblemError('not_found', 'no such route');
  return c.body(JSON.stringify(problem.toBody()), 404, {
    'content-type': PROBLEM_CONTENT_TYPE,
    'cache-control': 'no-store',
  });
}
