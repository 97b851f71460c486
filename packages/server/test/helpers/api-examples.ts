import { SHOP_ORIGIN } from './harness.js';

/** What the requests of the examples need: real ids on the running proxy, a signed-in session. */
export interface ExampleContext {
  adminToken: string;
  pendingOrderId: string;
  paidOrderId: string;
  /** The paid order's `order.paid` event. */
  paidEventId: string;
  buttonVersion: string;
  /** The dashboard's session cookie and its CSRF token. */
  cookie: string;
  csrf: string;
}

export interface Example {
  path: string;
  init?: RequestInit;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

/**
 * One real request per documented operation, by `operationId`: what a client would send. A
 * route added to the contract without an example here fails the contract test.
 */
export const EXAMPLES: Record<string, (x: ExampleContext) => Example | Example[]> = {
  noItem: () => ({ path: '/items/' }),
  getItem: () => [{ path: '/items/tee-red?lang=en&context=mobile' }, { path: '/items/donation' }],
  createOrder: () => ({
    path: '/orders?lang=en',
    init: json(
      { item: 'tee-red', wallet: 'AlipayHK', context: 'mobile' },
      { origin: SHOP_ORIGIN, 'idempotency-key': 'contract-1' },
    ),
  }),
  noOrder: () => ({ path: '/orders/' }),
  getOrder: (x) => [
    { path: `/orders/${x.pendingOrderId}?lang=zh-HK` },
    { path: `/orders/${x.paidOrderId}` },
  ],
  checkout: () => ({
    path: '/checkout',
    init: form({ item: 'donation', amount: '5000', wallet: 'Alipay' }, { origin: SHOP_ORIGIN }),
  }),
  returnGet: (x) => ({ path: `/return?partnerOrderNo=${x.pendingOrderId}` }),
  returnPost: (x) => ({ path: '/return', init: form({ partnerOrderNo: x.pendingOrderId }) }),
  // Not signed: the proxy refuses it (400, documented), which is its answer to a forgery.
  notify: () => ({ path: '/notify', init: json({ response: {}, signature: '0'.repeat(64) }) }),
  health: () => ({ path: '/healthz' }),
  openApiDocument: () => ({ path: '/openapi.json' }),
  apiReference: () => ({ path: '/docs' }),
  statusPage: (x) => ({ path: `/orders/${x.paidOrderId}/status?lang=en` }),
  payQr: (x) => ({ path: `/orders/${x.pendingOrderId}/qr.svg` }),
  payPage: () => [
    { path: '/pay/donation?amount=5000&lang=zh-HK' },
    { path: '/pay/tee-red.svg?quantity=2' },
    { path: '/pay/tee-red.png' },
  ],
  walletMark: () => ({ path: '/wallets/AlipayHK.svg' }),
  buttonScript: () => ({ path: '/scanforpay-button.js' }),
  pinnedButtonScript: (x) => ({ path: `/v/${x.buttonVersion}/scanforpay-button.js` }),
  buttonManifest: () => ({ path: '/scanforpay-button.json' }),
  adminListOrders: (x) => ({ path: '/admin/orders?limit=2', init: bearer(x) }),
  adminShowOrder: (x) => ({ path: `/admin/orders/${x.paidOrderId}`, init: bearer(x) }),
  adminRefund: (x) => ({
    path: `/admin/orders/${x.paidOrderId}/refunds`,
    init: json(
      { amount: 100, refundNo: 'contract-r1', reason: 'test' },
      { authorization: `Bearer ${x.adminToken}` },
    ),
  }),
  adminWebhookState: (x) => ({ path: '/admin/webhook', init: bearer(x) }),
  // No webhook is configured on this proxy: 409 webhook_not_configured, documented.
  adminEnableWebhook: (x) => ({
    path: '/admin/webhook/enable',
    init: { method: 'POST', ...auth(x) },
  }),
  // No webhook is configured on this proxy: 409 webhook_not_configured, documented.
  adminTestWebhook: (x) => ({
    path: '/admin/webhook/test',
    init: json({ type: 'order.paid' }, { authorization: `Bearer ${x.adminToken}` }),
  }),
  adminShowEvent: (x) => ({ path: `/admin/events/${x.paidEventId}`, init: bearer(x) }),
  adminResendEvent: (x) => ({
    path: `/admin/events/${x.paidEventId}/resend`,
    init: { method: 'POST', ...auth(x) },
  }),
  getDashboard: () => ({ path: '/admin' }),
  getDashboardUi: () => ({ path: '/admin/ui' }),
  getDashboardUiAssetsDashboardJs: () => ({ path: '/admin/ui/assets/dashboard.js' }),
  getDashboardUiAssetsDashboardCss: () => ({ path: '/admin/ui/assets/dashboard.css' }),
  getDashboardUiSignIn: () => ({ path: '/admin/ui/sign-in' }),
  postDashboardUiSignIn: () => ({ path: '/admin/ui/sign-in', init: form({ token: 'wrong' }) }),
  postDashboardUiSignOut: (x) => session(x, '/admin/ui/sign-out', {}),
  getDashboardUiOrders: (x) => session(x, '/admin/ui/orders?status=paid'),
  getDashboardUiOrdersCsv: (x) => session(x, '/admin/ui/orders.csv'),
  getDashboardUiOrdersOrderId: (x) => session(x, `/admin/ui/orders/${x.paidOrderId}`),
  getDashboardUiOrdersOrderIdRefund: (x) =>
    session(x, `/admin/ui/orders/${x.paidOrderId}/refund?amount=1.00`),
  postDashboardUiOrdersOrderIdRefund: (x) =>
    session(x, `/admin/ui/orders/${x.paidOrderId}/refund`, {
      amount: '100',
      refundNo: 'contract-r2',
    }),
  getDashboardUiWebhook: (x) => session(x, '/admin/ui/webhook'),
  getDashboardUiWebhookStateJson: (x) => session(x, '/admin/ui/webhook/state.json'),
  postDashboardUiWebhookEnable: (x) => session(x, '/admin/ui/webhook/enable', {}),
  postDashboardUiWebhookResend: (x) =>
    session(x, '/admin/ui/webhook/resend', { eventId: 'evt_unknown' }),
  postDashboardUiWebhookTest: (x) => session(x, '/admin/ui/webhook/test', {}),
};

function auth(x: ExampleContext): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${x.adminToken}` } };
}
function bearer(x: ExampleContext): RequestInit {
  return auth(x);
}

/** A dashboard request with the session; a POST carries the form's CSRF token. */
function session(x: ExampleContext, path: string, fields?: Record<string, string>): Example {
  if (!fields) return { path, init: { headers: { cookie: x.cookie } } };
  return { path, init: form({ ...fields, _csrf: x.csrf }, { cookie: x.cookie }) };
}
