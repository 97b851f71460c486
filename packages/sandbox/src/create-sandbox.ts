import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { cashierRoutes } from './cashier-routes.js';
import { controlRoutes } from './control-routes.js';
import { gatewayRoutes } from './gateway-routes.js';
import { RESULT_CODES } from './result-codes.js';
import { SandboxError } from './sandbox-error.js';
import type { SandboxEnv } from './sandbox-env.js';
import { Sandbox } from './sandbox.js';
import type { SandboxOptions } from './sandbox-options.js';
import { JSON_HEADERS, signedAnswer } from './signed-answer.js';
import { renderErrorPage } from './cashier-page.js';

/** The Hono app of a sandbox, with its state reachable as `app.sandbox`. */
export type SandboxApp = Hono<SandboxEnv> & { readonly sandbox: Sandbox };

/**
 * A local ScanForPay: the gateway API, the cashier pages, notifications, and (with
 * `control: true`) the `/__sandbox/` control API. State lives in memory.
 */
export function createSandbox(options: SandboxOptions = {}): SandboxApp {
  const sandbox = new Sandbox(options);
  const app = new Hono<SandboxEnv>();

  app.get('/healthz', function healthz(c) {
    return c.json({ ok: true });
  });
  app.route('/', gatewayRoutes(sandbox));
  app.route('/', cashierRoutes(sandbox));
  if (sandbox.control) {
    app.route('/', controlRoutes(sandbox));
  } else {
    app.all('/__sandbox/*', function controlDisabled() {
      throw new SandboxError(
        RESULT_CODES.invalidField,
        'the control API is off: pass control: true to createSandbox/startSandbox, or use the CLI',
        404,
      );
    });
  }

  app.notFound(function notFound(c) {
    if (c.req.path.startsWith('/__sandbox')) {
      return c.json({ ok: false, error: { code: 404, message: `no route ${c.req.path}` } }, 404);
    }
    return c.text('Not found', 404);
  });

  app.onError(async function onError(error, c) {
    const known = error instanceof SandboxError ? error : undefined;
    if (!known && !(error instanceof HTTPException)) {
      sandbox.log(`sandbox: ${c.req.method} ${c.req.path} failed: ${String(error.stack ?? error)}`);
    }
    const code = known?.code ?? RESULT_CODES.internalError;
    const message =
      known?.message ?? (error instanceof HTTPException ? error.message : 'internal error');
    const status = known?.status ?? (error instanceof HTTPException ? error.status : 500);
    if (c.req.path.startsWith('/api/')) return gatewayError(c, code, message);
    if (c.req.path.startsWith('/__sandbox')) {
      return c.json({ ok: false, error: { code, message } }, status as 400);
    }
    return c.html(renderErrorPage(message, c.req.header('accept-language')), status as 400);
  });

  /** A signed answer, at HTTP 200, with the partner's key when known, else the default one. */
  async function gatewayError(c: Context<SandboxEnv>, code: number, msg: string) {
    const partner = c.get('partner');
    const partnerNo =
      partner?.partnerNo ?? c.get('claimedPartnerNo') ?? sandbox.defaultPartner.partnerNo;
    const signKey = (partner ?? sandbox.defaultPartner).signKey;
    const text = await signedAnswer(sandbox, partnerNo, signKey, { code, msg });
    return c.body(text, 200, JSON_HEADERS);
  }

  return Object.assign(app, { sandbox });
}
