import { WALLETS, type Wallet } from '@scanforpay/protocol';

/**
 * Where the shopper's browser is, as `<scanforpay-button>` detects it: a computer, a phone's
 * own browser, or an in-app browser (WeChat, the Alipay apps, or a social app: Instagram,
 * Facebook/Messenger, WhatsApp, Line, TikTok, Telegram).
 */
export const CHECKOUT_CONTEXTS = ['desktop', 'mobile', 'wechat', 'alipay', 'social'] as const;
export type CheckoutContext = (typeof CHECKOUT_CONTEXTS)[number];

/** The gateway's two create endpoints: `online` = `/api/online/create`, `qrcode` = `/api/offline/qrcode`. */
export const GATEWAY_ENDPOINTS = ['online', 'qrcode'] as const;
export type GatewayEndpoint = (typeof GATEWAY_ENDPOINTS)[number];

/**
 * Overrides of the routing table: keys `Wallet` (every context) or `Wallet/context` (one cell,
 * wins over the wallet key), values `online` or `qrcode`. E.g. `{ "Wechat/wechat": "qrcode" }`.
 */
export type RouteOverrides = Readonly<Partial<Record<string, GatewayEndpoint>>>;

/**
 * The routing table, (wallet, context) → endpoint; README "Routing" gives the reasoning.
 * `online/create` is documented for Alipay and AlipayHK and its cashier adapts to PC or phone;
 * `offline/qrcode` is documented for WeChat Pay and Alipay and shows a wallet-branded QR, which
 * is what a computer needs for WeChat Pay. Everything else goes to `online/create`, as the
 * production plugin does (it also sends `Wechat` there). An order without a context (no-script
 * checkout, older buttons) is routed as before this table existed: `online`.
 */
export function defaultEndpoint(wallet: Wallet, context: CheckoutContext | null): GatewayEndpoint {
  return wallet === 'Wechat' && context === 'desktop' ? 'qrcode' : 'online';
}

/** The endpoint for an order: the item's overrides, then the proxy's, then the table. */
export function routeOrder(
  wallet: Wallet,
  context: CheckoutContext | null,
  ...overrides: readonly (RouteOverrides | undefined)[]
): GatewayEndpoint {
  for (const table of overrides) {
    const cell = (context && table?.[`${wallet}/${context}`]) || table?.[wallet];
    if (cell) return cell;
  }
  return defaultEndpoint(wallet, context);
}

/**
 * Checks a routes object (from the catalog, the options or the environment); returns the error
 * message for its first bad entry, or undefined. AlipayHK has no `qrcode` endpoint.
 */
export function routesProblem(routes: unknown): string | undefined {
  if (typeof routes !== 'object' || routes === null || Array.isArray(routes)) {
    return 'an object such as {"Wechat/desktop": "qrcode"}';
  }
  for (const [key, value] of Object.entries(routes)) {
    const [wallet, context, extra] = key.split('/');
    if (
      !(WALLETS as readonly string[]).includes(wallet ?? '') ||
      extra !== undefined ||
      (context !== undefined && !(CHECKOUT_CONTEXTS as readonly string[]).includes(context))
    ) {
      return `"${key}": a wallet (${WALLETS.join(', ')}) or wallet/context (${CHECKOUT_CONTEXTS.join(', ')})`;
    }
    if (!(GATEWAY_ENDPOINTS as readonly string[]).includes(value as string)) {
      return `"${key}": "online" or "qrcode"`;
    }
    if (wallet === 'AlipayHK' && value === 'qrcode') {
      return `"${key}": AlipayHK is only offered on online/create`;
    }
  }
  return undefined;
}

/**
 * The wallets to offer in a context, best first, out of those allowed: inside WeChat only
 * WeChat Pay (its browser blocks Alipay's pages); inside the Alipay apps only the Alipay
 * wallets; on a phone (own browser or a social app) the wallets that pay on that phone first
 * (the Alipay apps open from the cashier; WeChat Pay outside WeChat last); on a computer, the
 * item's order. Never empty when `allowed` is not: a context that leaves nothing keeps all.
 */
export function offerWallets(
  allowed: readonly Wallet[],
  context: CheckoutContext | null,
): Wallet[] {
  const only =
    context === 'wechat'
      ? allowed.filter((w) => w === 'Wechat')
      : context === 'alipay'
        ? allowed.filter((w) => w !== 'Wechat')
        : context === 'mobile' || context === 'social'
          ? [...allowed.filter((w) => w !== 'Wechat'), ...allowed.filter((w) => w === 'Wechat')]
          : [...allowed];
  return only.length > 0 ? only : [...allowed];
}

export function isCheckoutContext(value: unknown): value is CheckoutContext {
  return (CHECKOUT_CONTEXTS as readonly unknown[]).includes(value);
}
