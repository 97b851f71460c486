import * as v from 'valibot';
import {
  AdminEventAnswerSchema,
  AdminOrderDetailSchema,
  AdminOrderPageSchema,
  AdminOrdersQuerySchema,
  AdminWebhookStateSchema,
  AdminWebhookTestSchema,
  RefundPendingSchema,
  RefundRequestSchema,
  RefundResultSchema,
  WebhookTestRequestSchema,
} from './admin-shapes.js';
import { EVENT_ID_SHAPE } from '../domain/merchant-event.js';
import type { Answer, Operation } from './operation.js';
import { OrderIdSchema } from './shapes.js';

const JSON_TYPE = 'application/json';
const orderId = { orderId: OrderIdSchema };
const eventId = { eventId: v.pipe(v.string(), v.regex(EVENT_ID_SHAPE)) };

/** The admin API (`/admin/*`, bearer token). */
export const ADMIN_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/admin/orders',
    operationId: 'adminListOrders',
    tag: 'Admin',
    summary: 'List orders, newest first',
    query: AdminOrdersQuerySchema,
    answers: {
      200: { description: 'A page of orders.', type: JSON_TYPE, schema: AdminOrderPageSchema },
    },
    problems: ['invalid_request', 'unauthorized', 'not_found'],
    auth: 'bearer',
  },
  {
    method: 'get',
    path: '/admin/orders/:orderId',
    operationId: 'adminShowOrder',
    tag: 'Admin',
    summary: 'One order with its refunds, events and notifications',
    params: orderId,
    answers: {
      200: {
        description: 'Everything the proxy knows.',
        type: JSON_TYPE,
        schema: AdminOrderDetailSchema,
      },
    },
    problems: ['unauthorized', 'order_not_found', 'not_found'],
    auth: 'bearer',
  },
  {
    method: 'post',
    path: '/admin/orders/:orderId/refunds',
    operationId: 'adminRefund',
    tag: 'Admin',
    summary: 'Refund an order, in full or in part',
    description:
      'Idempotent by `refundNo`: a retry with the same one is the same refund (200 with the ' +
      'stored outcome). An empty body refunds everything left.',
    params: orderId,
    body: { type: JSON_TYPE, schema: RefundRequestSchema, required: false },
    answers: {
      200: {
        description: 'A replay of a settled refund.',
        type: JSON_TYPE,
        schema: RefundResultSchema,
      },
      201: { description: 'Refunded.', type: JSON_TYPE, schema: RefundResultSchema },
      202: {
        description: 'The gateway has not decided: retry with the same refundNo.',
        type: JSON_TYPE,
        schema: RefundPendingSchema,
      },
    },
    problems: [
      'invalid_request',
      'unauthorized',
      'order_not_found',
      'not_refundable',
      'refund_in_flight',
      'unsupported_media_type',
      'refund_too_large',
      'gateway_error',
    ],
    auth: 'bearer',
  },
  {
    method: 'get',
    path: '/admin/webhook',
    operationId: 'adminWebhookState',
    tag: 'Admin',
    summary: "The merchant webhook's state",
    answers: {
      200: {
        description: 'The endpoint and whether it is paused.',
        type: JSON_TYPE,
        schema: AdminWebhookStateSchema,
      },
    },
    problems: ['unauthorized', 'not_found'],
    auth: 'bearer',
  },
  {
    method: 'post',
    path: '/admin/webhook/enable',
    operationId: 'adminEnableWebhook',
    tag: 'Admin',
    summary: 'Resume deliveries to a disabled webhook',
    description: 'What waited while it was disabled is due at once.',
    answers: {
      200: { description: 'Enabled.', type: JSON_TYPE, schema: AdminWebhookStateSchema },
    },
    problems: ['unauthorized', 'webhook_not_configured', 'not_found'],
    auth: 'bearer',
  },
  {
    method: 'post',
    path: '/admin/webhook/test',
    operationId: 'adminTestWebhook',
    tag: 'Admin',
    summary: 'Send a signed sample event to the merchant webhook now',
    description:
      'Signed exactly as a real delivery (ids `evt_test_…`), not stored; the answer says what ' +
      'the receiver answered. `scanforpay-proxy webhook test` calls it.',
    body: { type: JSON_TYPE, schema: WebhookTestRequestSchema, required: false },
    answers: {
      200: { description: 'Sent.', type: JSON_TYPE, schema: AdminWebhookTestSchema },
    },
    problems: [
      'invalid_request',
      'unsupported_media_type',
      'unauthorized',
      'webhook_not_configured',
      'not_found',
    ],
    auth: 'bearer',
  },
  {
    method: 'get',
    path: '/admin/events/:eventId',
    operationId: 'adminShowEvent',
    tag: 'Admin',
    summary: 'One stored merchant event and its delivery state',
    params: eventId,
    answers: {
      200: { description: 'The event.', type: JSON_TYPE, schema: AdminEventAnswerSchema },
    },
    problems: ['unauthorized', 'event_not_found', 'not_found'],
    auth: 'bearer',
  },
  {
    method: 'post',
    path: '/admin/events/:eventId/resend',
    operationId: 'adminResendEvent',
    tag: 'Admin',
    summary: 'Deliver a stored merchant event again',
    description: 'Delivered, given up or waiting: it is due now (its last error cleared).',
    params: eventId,
    answers: {
      202: { description: 'Due now.', type: JSON_TYPE, schema: AdminEventAnswerSchema },
    },
    problems: ['unauthorized', 'event_not_found', 'event_in_flight', 'not_found'],
    auth: 'bearer',
  },
];

type Page = [method: 'get' | 'post', path: string, summary: string, type?: string];

/** The dashboard's pages: HTML for a person, listed so that every route is in the contract. */
const PAGES: readonly Page[] = [
  ['get', '/admin', 'To the dashboard (404 without ADMIN_TOKEN)'],
  ['get', '/admin/ui', 'To the orders page'],
  ['get', '/admin/ui/assets/dashboard.js', "The dashboard's script", 'text/javascript'],
  ['get', '/admin/ui/assets/dashboard.css', "The dashboard's styles", 'text/css'],
  ['get', '/admin/ui/sign-in', 'The sign-in page', 'text/html'],
  ['post', '/admin/ui/sign-in', 'Sign in with ADMIN_TOKEN (form field `token`)', 'text/html'],
  ['post', '/admin/ui/sign-out', 'Sign out', 'text/html'],
  ['get', '/admin/ui/orders', 'Orders: filters, totals, pages', 'text/html'],
  ['get', '/admin/ui/orders.csv', 'The filtered orders as CSV', 'text/csv'],
  ['get', '/admin/ui/orders/:orderId', 'One order', 'text/html'],
  ['get', '/admin/ui/orders/:orderId/refund', 'Confirm a refund', 'text/html'],
  ['post', '/admin/ui/orders/:orderId/refund', 'Send a refund', 'text/html'],
  ['get', '/admin/ui/webhook', "The webhook's state and backlog", 'text/html'],
  [
    'get',
    '/admin/ui/webhook/state.json',
    'The backlog, for the page to refresh',
    'application/json',
  ],
  ['post', '/admin/ui/webhook/enable', 'Resume deliveries', 'text/html'],
  ['post', '/admin/ui/webhook/resend', 'Send an event again (form field `eventId`)', 'text/html'],
  ['post', '/admin/ui/webhook/test', 'Send a test event', 'text/html'],
];

const pageId = (method: string, path: string) =>
  method +
  path
    .replace(/^\/admin/, 'Dashboard')
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''));

const HTML_TROUBLE: Answer = {
  description: 'A page saying what is wrong: 401 no session, 403 CSRF refused, 404, 409.',
  type: 'text/html',
};

/** What a page answers besides its own content, by how it is reached. */
function pageAnswers(method: 'get' | 'post', path: string, type: string | undefined) {
  if (!type) return { 303: { description: 'A redirect.', headers: { Location: 'The page.' } } };
  const own = { 200: { description: 'The page.', type } };
  if (path.endsWith('/sign-in') || path.includes('/assets/')) {
    return method === 'get'
      ? own
      : {
          303: { description: 'Signed in: to the orders, with the session cookie.' },
          '4XX': { description: '401 a wrong token, 429 too many: the form again.', type },
        };
  }
  if (method === 'get') {
    return {
      ...own,
      303: { description: 'No session: to the sign-in page.' },
      '4XX': HTML_TROUBLE,
    };
  }
  return { ...own, '4XX': HTML_TROUBLE };
}

/** The dashboard (`/admin/ui`): a session cookie; every form carries its CSRF token (`_csrf`). */
export const DASHBOARD_OPERATIONS: readonly Operation[] = PAGES.map(
  ([method, path, summary, type]): Operation => ({
    method,
    path,
    operationId: pageId(method, path),
    tag: 'Dashboard',
    summary,
    ...(path.includes(':orderId') ? { params: orderId } : {}),
    answers: pageAnswers(method, path, type),
    ...(path.startsWith('/admin/ui/') && !path.includes('assets') && !path.endsWith('sign-in')
      ? { auth: 'session' as const }
      : {}),
  }),
);
