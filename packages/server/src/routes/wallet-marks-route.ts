import { Hono } from 'hono';
import type { Wallet } from '@scanforpay/protocol';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { ProblemError } from '../problem.js';

const tile = (fill: string, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">` +
  `<rect width="24" height="24" rx="5" fill="${fill}"/>${body}</svg>`;
const strokes = (d: string) =>
  `<path d="${d}" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>`;

/**
 * The wallets' marks on the button's tiles: plain shapes in each brand's colour (Alipay blue,
 * WeChat green), not the brands' logos, so they are safe to show without a licence. A merchant
 * with the licensed logos replaces them through the button's `mark` part.
 */
export const WALLET_MARKS: Readonly<Record<Wallet, string>> = {
  Alipay: tile('#1677ff', strokes('M7 18 12 6l5 12M9 13.5h6')),
  AlipayHK: tile('#1677ff', strokes('M5 7v10M5 12h5M10 7v10M14 7v10M19 7l-4.5 5 4.5 5')),
  Wechat: tile(
    '#07c160',
    '<ellipse cx="10" cy="10.5" rx="6" ry="5" fill="#fff"/>' +
      '<ellipse cx="15" cy="14.5" rx="5" ry="4.2" fill="#fff" stroke="#07c160" stroke-width="1.2"/>',
  ),
};

/** `GET /wallets/:wallet.svg`: a wallet's mark (`Alipay.svg`, `AlipayHK.svg`, `Wechat.svg`). */
export function walletMarksRoute(): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/wallets/:file', function walletMark(c) {
    const wallet = c.req.param('file').replace(/\.svg$/, '') as Wallet;
    const svg = Object.hasOwn(WALLET_MARKS, wallet) ? WALLET_MARKS[wallet] : undefined;
    if (!svg || !c.req.param('file').endsWith('.svg')) {
      throw new ProblemError('not_found', 'wallet marks: Alipay.svg, AlipayHK.svg, Wechat.svg');
    }
    return c.body(svg, 200, {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=86400',
    });
  });
}
