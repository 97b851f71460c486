import type { Context } from 'hono';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { PageContext } from './layout.js';
import type { Session } from './session.js';

/** The dashboard's Hono environment: the proxy's, plus the page context and the session. */
export interface DashboardEnv {
  Variables: ProxyEnv['Variables'] & {
    page: PageContext;
    session: Session | undefined;
  };
}

export type DashboardContext = Context<DashboardEnv>;

/** The security headers of every dashboard answer (its CSP allows its own files only). */
export const DASHBOARD_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};
