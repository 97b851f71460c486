import type { OrderStatus } from './order.js';
import type { OfferLang } from './offer-texts.js';

/**
 * What the shopper reads when something goes wrong or an order settles, in their language.
 * The proxy sends these words (a problem's `message`, an order's `message`) so they stay out of
 * the shopper's script bundle. Each says plainly whether money was taken where that is known:
 * an error answer to `POST /orders` means the shopper never reached the cashier.
 */
export interface ShopperWords {
  /** A busy or unreachable payment service, a full rate limit, a busy store; `seconds` from Retry-After. */
  busy: (seconds: number | undefined) => string;
  limited: (seconds: number | undefined) => string;
  item: string;
  /** The open amount's bounds, already formatted as money. */
  range: (min: string, max: string) => string;
  refused: string;
  wallet: string;
  origin: string;
  token: string;
  order: string;
  error: string;
  /** The label of a new attempt ("Try again"). */
  retry: string;
  /** The proxy's own result page (no JavaScript needed): its labels. */
  page: {
    order: string;
    item: string;
    total: string;
    refresh: string;
    back: string;
    /** The heading of the no-script form's error page. */
    unstarted: string;
  };
  /** The order's status as the result page shows it; `late`: still pending after the wait. */
  status: Record<Exclude<OrderStatus, 'partially_refunded'> | 'cancelled' | 'late', string>;
}

const EN: ShopperWords = {
  busy: (s) =>
    `The payment service is busy. No money was taken. Try again ${s ? `in ${s} s` : 'in a moment'}.`,
  limited: (s) =>
    `Too many tries from this device. No money was taken. Try again ${s ? `in ${s} s` : 'in a moment'}.`,
  item: 'This item is not available right now. No money was taken.',
  range: (min, max) => `Enter an amount from ${min} to ${max}.`,
  refused:
    'The payment service refused this order. No money was taken. Try another payment method or contact the shop.',
  wallet: 'This payment method is not available for this item. No money was taken.',
  origin: 'This website’s address is not allowed to take payments here yet. No money was taken.',
  token: 'This checkout has expired. Go back to the shop and start again. No money was taken.',
  order: 'We can’t find this order. Check the link from the shop.',
  error: 'Something went wrong at the shop. No money was taken.',
  retry: 'Try again',
  page: {
    order: 'Order number',
    item: 'Item',
    total: 'Total',
    refresh: 'This page checks again every few seconds.',
    back: 'Back to the shop',
    unstarted: 'The payment could not be started',
  },
  status: {
    pending: 'Waiting for payment…',
    paid: 'Paid. Thank you!',
    failed: 'The payment did not go through. No money was taken.',
    cancelled: 'You left the payment page without paying. No money was taken.',
    expired: 'The time to pay ran out. No money was taken.',
    refunded: 'Payment refunded.',
    late: 'Not confirmed yet. If you paid, the shop will confirm it: do not pay again.',
  },
};

const ZH_HK: ShopperWords = {
  busy: (s) => `付款服務繁忙，未有扣款。請${s ? `於 ${s} 秒後` : '稍後'}再試。`,
  limited: (s) => `此裝置嘗試次數太多，未有扣款。請${s ? `於 ${s} 秒後` : '稍後'}再試。`,
  item: '此商品暫時未能提供，未有扣款。',
  range: (min, max) => `請輸入 ${min} 至 ${max} 之間的金額。`,
  refused: '付款服務拒絕了此訂單，未有扣款。請改用其他付款方式或聯絡商店。',
  wallet: '此商品不接受這種付款方式，未有扣款。',
  origin: '此網站的網址尚未獲准在此收款，未有扣款。',
  token: '結帳已逾時，請返回商店重新開始。未有扣款。',
  order: '找不到此訂單，請檢查商店提供的連結。',
  error: '商店出現問題，未有扣款。',
  retry: '再試一次',
  page: {
    order: '訂單編號',
    item: '商品',
    total: '總額',
    refresh: '此頁每隔數秒會自動更新。',
    back: '返回商店',
    unstarted: '未能開始付款',
  },
  status: {
    pending: '等待付款…',
    paid: '付款成功，謝謝！',
    failed: '付款未能完成，未有扣款。',
    cancelled: '你未付款便離開了付款頁面，未有扣款。',
    expired: '付款時限已過，未有扣款。',
    refunded: '已退款。',
    late: '尚未確認。如你已付款，商店會確認，請勿重複付款。',
  },
};

const ZH_CN: ShopperWords = {
  busy: (s) => `支付服务繁忙，未扣款。请${s ? `${s} 秒后` : '稍后'}再试。`,
  limited: (s) => `此设备尝试次数过多，未扣款。请${s ? `${s} 秒后` : '稍后'}再试。`,
  item: '该商品暂时无法购买，未扣款。',
  range: (min, max) => `请输入 ${min} 至 ${max} 之间的金额。`,
  refused: '支付服务拒绝了该订单，未扣款。请换用其他支付方式或联系商家。',
  wallet: '该商品不支持这种支付方式，未扣款。',
  origin: '此网站的网址尚未获准在此收款，未扣款。',
  token: '结账已过期，请返回商店重新开始。未扣款。',
  order: '找不到该订单，请检查商家提供的链接。',
  error: '商家出现问题，未扣款。',
  retry: '再试一次',
  page: {
    order: '订单编号',
    item: '商品',
    total: '总额',
    refresh: '此页每隔几秒会自动刷新。',
    back: '返回商店',
    unstarted: '未能开始支付',
  },
  status: {
    pending: '等待支付…',
    paid: '支付成功，谢谢！',
    failed: '支付未完成，未扣款。',
    cancelled: '你未支付便离开了支付页面，未扣款。',
    expired: '支付时限已过，未扣款。',
    refunded: '已退款。',
    late: '尚未确认。如你已支付，商家会确认，请勿重复支付。',
  },
};

const WORDS: Readonly<Record<OfferLang, ShopperWords>> = { en: EN, 'zh-HK': ZH_HK, 'zh-CN': ZH_CN };

export function shopperWords(lang: OfferLang): ShopperWords {
  return WORDS[lang];
}

/** A problem as the shopper reads it; what the problem carries decides which words. */
export interface ProblemFacts {
  code: string;
  /** The Retry-After header, in seconds, when the answer has one. */
  retryAfter?: number;
  /** The gateway answered with a refusal code (not a transport or verification failure). */
  gatewayCode?: unknown;
  /** The open amount's bounds, formatted. */
  range?: [string, string];
}

export function problemMessage(lang: OfferLang, facts: ProblemFacts): string {
  const w = WORDS[lang];
  switch (facts.code) {
    case 'rate_limited':
      return w.limited(facts.retryAfter);
    case 'store_unavailable':
      return w.busy(facts.retryAfter);
    case 'gateway_error':
      return facts.gatewayCode === undefined ? w.busy(facts.retryAfter) : w.refused;
    case 'item_not_found':
      return w.item;
    case 'amount_out_of_range':
      return facts.range ? w.range(...facts.range) : w.error;
    case 'wallet_not_allowed':
      return w.wallet;
    case 'origin_not_allowed':
      return w.origin;
    case 'invalid_token':
    case 'token_expired':
    case 'token_used':
      return w.token;
    case 'order_not_found':
      return w.order;
    default:
      return w.error;
  }
}
