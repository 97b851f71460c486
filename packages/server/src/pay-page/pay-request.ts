import { minorDigits, type Wallet } from '@scanforpay/protocol';
import { money } from '../domain/money.js';
import type { CatalogItem } from '../catalog/parse-catalog.js';
import type { PayLang, PayMessages } from './pay-messages.js';

/** What a payment link asks for, checked against its item. */
export interface PayRequest {
  /** Open-amount items: the amount in minor units; undefined while the shopper has to type it. */
  amount?: number;
  quantity?: number;
  wallet?: Wallet;
  reference?: string;
}

/** A refused parameter: which one, and the shopper's sentence for it. */
export interface PayRequestProblem {
  field: 'quantity' | 'amount' | 'price' | 'wallet' | 'reference';
  message: string;
}

/** The query parameters of `/pay/:item` (and its QR codes) the page reads; others are ignored. */
export type PayQuery = Partial<
  Record<'quantity' | 'amount' | 'price' | 'wallet' | 'reference', string>
>;

const REFERENCE = /^[\x20-\x7e]{1,64}$/;

/**
 * Checks a link's parameters against the item. `amount` is in minor units (as the element's
 * attribute and `POST /orders`) and counts for open-amount items only; `price` is what a shopper
 * typed in the page's own amount form, in major units (`50.00`), and wins over `amount`.
 */
export function readPayRequest(
  item: CatalogItem,
  query: PayQuery,
  t: PayMessages,
  lang: PayLang,
): { request: PayRequest; problem?: PayRequestProblem } {
  const request: PayRequest = {};
  const fail = (field: PayRequestProblem['field'], message: string) => ({
    request,
    problem: { field, message },
  });
  if (query.quantity !== undefined && query.quantity !== '') {
    const quantity = /^[0-9]{1,2}$/.test(query.quantity) ? Number(query.quantity) : 0;
    if (quantity < 1) return fail('quantity', t.errors.quantity);
    request.quantity = quantity;
  }
  if (query.wallet !== undefined && query.wallet !== '') {
    const wallet = item.wallets.find((w) => w.toLowerCase() === query.wallet!.toLowerCase());
    if (!wallet) {
      return fail('wallet', t.errors.wallet(item.wallets.map((w) => t.wallets[w]).join(', ')));
    }
    request.wallet = wallet;
  }
  if (query.reference !== undefined && query.reference !== '') {
    if (!REFERENCE.test(query.reference)) return fail('reference', t.errors.reference);
    request.reference = query.reference;
  }
  if (item.kind === 'fixed') return { request };
  let amount: number | undefined;
  if (query.price !== undefined && query.price.trim() !== '') {
    amount = majorToMinor(query.price.trim(), item.currency);
    if (amount === undefined) return fail('price', t.errors.price);
  } else if (query.amount !== undefined && query.amount !== '') {
    if (!/^[0-9]{1,15}$/.test(query.amount)) return fail('amount', t.errors.amount);
    amount = Number(query.amount);
  }
  if (amount === undefined) return { request };
  if (amount < item.min || amount > item.max) {
    const range = t.errors.amountRange(
      money(lang, item.min, item.currency),
      money(lang, item.max, item.currency),
    );
    return fail(query.price ? 'price' : 'amount', range);
  }
  request.amount = amount;
  return { request };
}

/** `50.00` → 5000 (HKD): exact, no more decimals than the currency has; undefined when not. */
export function majorToMinor(text: string, currency: string): number | undefined {
  const match = /^([0-9]{1,12})(?:\.([0-9]+))?$/.exec(text.replace(/,/g, ''));
  const digits = minorDigits(currency);
  if (!match || (match[2] ?? '').length > digits) return undefined;
  return Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
}
