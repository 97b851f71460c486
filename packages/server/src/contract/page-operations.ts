import * as v from 'valibot';
import type { Operation } from './operation.js';
import { LooseLangQuerySchema } from './requests.js';
import { ButtonManifestSchema, OrderIdSchema } from './shapes.js';

const SVG = 'image/svg+xml';
const HTML = 'text/html';
const JS = 'text/javascript';
const text = (about: string) => v.optional(v.pipe(v.string(), v.description(about)));

/** The query of the hosted pay page and its QR codes; a wrong value is a 400 page. */
export const PayQuerySchema = v.object({
  amount: text('Open-amount items: the amount in minor units.'),
  price: text("What the shopper typed in the page's amount form, in major units (`50.00`)."),
  quantity: text('1 to 99.'),
  wallet: text('Preselect a wallet the item takes.'),
  reference: text('Your reference, printable ASCII, up to 64 characters.'),
  lang: text("The page's language (en, zh-HK, zh-CN), else the shopper's."),
});

const scriptHeaders = {
  ETag: 'One per encoding.',
  'Content-Encoding': 'br or gzip, by Accept-Encoding.',
};

/** The shopper's pages and images, and the button's script. */
export const PAGE_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/orders/:orderId/status',
    operationId: 'statusPage',
    tag: 'Pages',
    summary: "An order's status as a page (no JavaScript)",
    description: 'Where a no-script order lands after the cashier; reloads while pending.',
    params: { orderId: OrderIdSchema },
    query: v.object({
      ...LooseLangQuerySchema.entries,
      returned: text('`unpaid`: the shopper came back without paying.'),
    }),
    answers: { 200: { description: 'The page.', type: HTML } },
    problems: ['order_not_found'],
  },
  {
    method: 'get',
    path: '/orders/:orderId/qr.svg',
    operationId: 'payQr',
    tag: 'Pages',
    summary: "A pending order's pay URL as a QR code",
    description: "For the button's desktop dialog: scanned, it opens the cashier on the phone.",
    params: { orderId: OrderIdSchema },
    answers: { 200: { description: 'The QR code.', type: SVG } },
    problems: ['order_not_found', 'order_not_payable'],
  },
  {
    method: 'get',
    path: '/pay/:name',
    operationId: 'payPage',
    tag: 'Pages',
    summary: 'The hosted pay page of an item, or its QR code',
    description:
      '`/pay/<item>` is the page (a payment link); `/pay/<item>.svg` and `/pay/<item>.png` are ' +
      'the QR codes of that link with the same query (`Link: <…>; rel="canonical"` names it).',
    params: {
      name: v.pipe(v.string(), v.description('An item id, or an item id and `.svg` or `.png`.')),
    },
    query: PayQuerySchema,
    answers: {
      200: {
        description: 'The page, or its QR code.',
        type: [HTML, SVG, 'image/png'],
      },
      400: { description: 'A page naming the wrong parameter.', type: HTML },
      404: { description: 'A page: no such item.', type: HTML },
    },
    problems: ['invalid_request', 'item_not_found'],
  },
  {
    method: 'get',
    path: '/wallets/:file',
    operationId: 'walletMark',
    tag: 'Pages',
    summary: "A wallet's mark",
    params: {
      file: v.picklist(['Alipay.svg', 'AlipayHK.svg', 'Wechat.svg']),
    },
    answers: { 200: { description: 'The mark.', type: SVG } },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/scanforpay-button.js',
    operationId: 'buttonScript',
    tag: 'Button',
    summary: "The button's script, following the proxy's version",
    answers: {
      200: { description: 'The script (5 minutes cache).', type: JS, headers: scriptHeaders },
      304: { description: 'Not modified.' },
    },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/v/:version/scanforpay-button.js',
    operationId: 'pinnedButtonScript',
    tag: 'Button',
    summary: "The button's script, pinned to a version",
    params: { version: v.pipe(v.string(), v.description('The version this proxy serves.')) },
    answers: {
      200: { description: 'The script (immutable).', type: JS, headers: scriptHeaders },
      304: { description: 'Not modified.' },
    },
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/scanforpay-button.json',
    operationId: 'buttonManifest',
    tag: 'Button',
    summary: "The script's manifest: its pinned URL and integrity",
    answers: {
      200: { description: 'The manifest.', type: 'application/json', schema: ButtonManifestSchema },
    },
    problems: ['not_found'],
  },
];
