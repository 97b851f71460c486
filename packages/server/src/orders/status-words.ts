import type { CatalogItem } from '../catalog/parse-catalog.js';
import type { OfferLang } from '../domain/offer-texts.js';
import type { Order } from '../domain/order.js';
import { money } from '../domain/money.js';
import { shopperWords } from '../domain/shopper-messages.js';

/** What `<scanforpay-result>` shows for an order, in the shopper's language. */
export interface StatusWords {
  /** The order's status in words, and its total as money. */
  message: string;
  total: string;
  /** A pending order: shown when the result page stops waiting. */
  late?: string;
  /** A new attempt for the same item and amount on this proxy's pay page (never this order again). */
  again?: string;
  /** The label of the link to `again`. */
  retry?: string;
}

export function statusWords(
  order: Order,
  lang: OfferLang,
  publicUrl: string,
  item: CatalogItem | undefined,
  left = false,
): StatusWords {
  const words = shopperWords(lang).status;
  const status = order.status === 'partially_refunded' ? 'refunded' : order.status;
  // A pending order whose shopper came back from the cashier unpaid (`?returned=unpaid`): a cancel.
  const cancelled = left && status === 'pending';
  const view: StatusWords = {
    message: words[cancelled ? 'cancelled' : status],
    total: money(lang, order.amount, order.currency),
  };
  if (status === 'pending') view.late = words.late;
  // Only an order that can no longer be paid, or whose shopper came back without paying, is
  // offered again; only while its item is still for sale.
  if ((cancelled || status === 'failed' || status === 'expired') && item) {
    const query = new URLSearchParams({ lang });
    if (item.kind !== 'fixed') query.set('amount', String(order.amount));
    else if (order.quantity > 1) query.set('quantity', String(order.quantity));
    view.again = `${publicUrl}/pay/${encodeURIComponent(item.id)}?${query}`;
    view.retry = shopperWords(lang).retry;
  }
  return view;
}
