import { WALLETS, type Wallet } from '@scanforpay/protocol';
import { routesProblem, type RouteOverrides } from '../domain/checkout-context.js';

interface ItemBase {
  id: string;
  title: string;
  /** ISO 4217 code, upper case, e.g. `HKD`. */
  currency: string;
  wallets: readonly Wallet[];
  /** Overrides of the proxy's routing table for this item (README "Routing"). */
  routes?: RouteOverrides;
  /** A picture of the item for the hosted pay page: an absolute https URL. */
  image?: string;
}

/** A fixed-price item: `amount` in minor units. */
export interface FixedItem extends ItemBase {
  kind: 'fixed';
  amount: number;
}

/** An open-amount item (donations): the buyer picks an amount within `[min, max]`. */
export interface OpenItem extends ItemBase {
  kind: 'open';
  min: number;
  max: number;
}

export type CatalogItem = FixedItem | OpenItem;

export interface Catalog {
  get(id: string): CatalogItem | undefined;
  readonly items: readonly CatalogItem[];
}

/** The catalog is malformed; the message names the field. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

export const ITEM_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const ITEM_KEYS = new Set([
  'id',
  'title',
  'amount',
  'currency',
  'wallets',
  'min',
  'max',
  'routes',
  'image',
]);

/**
 * Validates a catalog (`{ "items": [...] }`, amounts in minor units) and indexes it by id.
 * Throws `CatalogError` naming the first bad field, e.g. `items[1].amount: ...`.
 */
export function parseCatalog(input: unknown): Catalog {
  if (!isRecord(input) || !Array.isArray(input.items)) {
    throw new CatalogError('the catalog must be an object with an "items" array');
  }
  const byId = new Map<string, CatalogItem>();
  input.items.forEach((raw: unknown, index) => {
    const at = `items[${index}]`;
    if (!isRecord(raw)) throw new CatalogError(`${at}: must be an object`);
    for (const key of Object.keys(raw)) {
      if (!ITEM_KEYS.has(key)) throw new CatalogError(`${at}.${key}: unknown field`);
    }
    const { id, title, currency, wallets, amount, min, max, routes, image } = raw;
    if (typeof id !== 'string' || !ITEM_ID.test(id)) {
      throw new CatalogError(`${at}.id: 1-64 letters, digits, '.', '_' or '-'`);
    }
    if (byId.has(id)) throw new CatalogError(`${at}.id: "${id}" appears twice`);
    if (typeof title !== 'string' || title.trim() === '' || title.length > 100) {
      throw new CatalogError(`${at}.title: a non-empty string of at most 100 characters`);
    }
    if (typeof currency !== 'string' || !CURRENCY.test(currency)) {
      throw new CatalogError(`${at}.currency: a 3-letter upper-case code such as HKD`);
    }
    const base: ItemBase = { id, title, currency, wallets: parseWallets(wallets, `${at}.wallets`) };
    if (routes !== undefined) {
      const problem = routesProblem(routes);
      if (problem) throw new CatalogError(`${at}.routes: ${problem}`);
      base.routes = routes as RouteOverrides;
    }
    if (image !== undefined) base.image = imageUrl(image, `${at}.image`);
    if (amount !== undefined) {
      if (min !== undefined || max !== undefined) {
        throw new CatalogError(`${at}: give either "amount" or "min" and "max", not both`);
      }
      byId.set(id, { kind: 'fixed', ...base, amount: minorAmount(amount, `${at}.amount`) });
    } else {
      if (min === undefined || max === undefined) {
        throw new CatalogError(
          `${at}: needs "amount" (fixed price) or "min" and "max" (open amount)`,
        );
      }
      const low = minorAmount(min, `${at}.min`);
      const high = minorAmount(max, `${at}.max`);
      if (low > high) throw new CatalogError(`${at}.min: must not exceed max`);
      byId.set(id, { kind: 'open', ...base, min: low, max: high });
    }
  });
  const items = [...byId.values()];
  return { items, get: (id) => byId.get(id) };
}

function parseWallets(value: unknown, at: string): readonly Wallet[] {
  if (value === undefined) return WALLETS;
  if (!Array.isArray(value) || value.length === 0) {
    throw new CatalogError(`${at}: a non-empty array of Alipay, AlipayHK, Wechat`);
  }
  const seen = new Set<Wallet>();
  for (const wallet of value) {
    if (!isWallet(wallet))
      throw new CatalogError(`${at}: "${String(wallet)}" is not Alipay, AlipayHK or Wechat`);
    if (seen.has(wallet)) throw new CatalogError(`${at}: "${wallet}" appears twice`);
    seen.add(wallet);
  }
  return [...seen];
}

function imageUrl(value: unknown, at: string): string {
  const problem = `${at}: an absolute https URL of at most 2048 characters`;
  if (typeof value !== 'string' || value.length > 2048) throw new CatalogError(problem);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CatalogError(problem);
  }
  const local = /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new CatalogError(problem);
  }
  if (url.username || url.password) throw new CatalogError(`${at}: no user name or password`);
  return url.href;
}

function minorAmount(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new CatalogError(`${at}: a positive integer in minor units (19900 = 199.00)`);
  }
  return value;
}

export function isWallet(value: unknown): value is Wallet {
  return typeof value === 'string' && (WALLETS as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
