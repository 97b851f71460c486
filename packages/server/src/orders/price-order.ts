import { WALLETS, type Wallet } from '@scanforpay/protocol';
import type { CatalogItem } from '../catalog/parse-catalog.js';
import { isWallet } from '../catalog/parse-catalog.js';
import { CheckoutTokenError, verifyCheckoutToken } from '../checkout-token/checkout-token.js';
import { ProblemError } from '../problem.js';
import type { CheckoutContext, RouteOverrides } from '../domain/checkout-context.js';
import type { Order } from '../domain/order.js';

/** An order as the browser asks for it. Nothing in it is trusted. */
export interface OrderRequest {
  item?: string;
  wallet?: string;
  quantity?: number;
  amount?: number;
  token?: string;
  reference?: string;
  /** Where the shopper's browser is, as the button detected it: picks the gateway endpoint. */
  context?: CheckoutContext;
}

/** An order priced on the server: what will be stored and sent to the gateway. */
export type PricedOrder = Pick<
  Order,
  'itemId' | 'title' | 'amount' | 'currency' | 'wallet' | 'quantity' | 'reference'
> & {
  /** Set when priced from a checkout token, which is then claimed for this order only. */
  checkoutToken?: { id: string; expiresAt: number };
  /** The item's own routing overrides (catalog `routes`, or the hook's). */
  routes?: RouteOverrides;
};

/** What a `resolveOrder` hook returns: the price; wallet choice is checked afterwards. */
export interface ResolvedPrice {
  itemId: string;
  title: string;
  amount: number;
  currency: string;
  wallets?: readonly Wallet[];
  quantity?: number;
  reference?: string | null;
  /** Routing overrides for this order, as a catalog item's `routes`. */
  routes?: RouteOverrides;
}

export type ItemLookup = (id: string) => CatalogItem | undefined | Promise<CatalogItem | undefined>;

export type ResolveOrderHook = (
  request: OrderRequest,
) => ResolvedPrice | undefined | Promise<ResolvedPrice | undefined>;

export interface PriceOrderDeps {
  lookupItem: ItemLookup;
  resolveOrder: ResolveOrderHook | undefined;
  checkoutTokenSecret: string | undefined;
  now: () => number;
}

/**
 * Decides the price on the server: from the merchant's hook, a signed checkout token, or the
 * catalog (fixed price × quantity, or a browser amount inside an open item's bounds).
 */
export async function priceOrder(
  request: OrderRequest,
  deps: PriceOrderDeps,
): Promise<PricedOrder> {
  if (deps.resolveOrder) {
    const resolved = await deps.resolveOrder(request);
    if (resolved) {
      return {
        itemId: resolved.itemId,
        title: resolved.title,
        amount: resolved.amount,
        currency: resolved.currency,
        wallet: pickWallet(request.wallet, resolved.wallets ?? WALLETS),
        quantity: resolved.quantity ?? 1,
        reference: resolved.reference ?? request.reference ?? null,
        ...(resolved.routes ? { routes: resolved.routes } : {}),
      };
    }
  }
  if (request.token !== undefined) return priceFromToken(request, request.token, deps);
  if (request.item === undefined) throw new ProblemError('invalid_request', 'item is required');
  const item = await deps.lookupItem(request.item);
  if (!item) throw new ProblemError('item_not_found', `there is no item "${request.item}"`);
  const wallet = pickWallet(request.wallet, item.wallets);
  const reference = request.reference ?? null;
  const routes = item.routes ? { routes: item.routes } : {};

  if (item.kind === 'fixed') {
    if (request.amount !== undefined) {
      throw new ProblemError(
        'invalid_request',
        `the price of "${item.id}" is fixed by the catalog; do not send an amount`,
      );
    }
    const quantity = request.quantity ?? 1;
    const amount = item.amount * quantity;
    if (!Number.isSafeInteger(amount))
      throw new ProblemError('amount_out_of_range', 'the total is too large');
    return {
      itemId: item.id,
      title: item.title,
      amount,
      currency: item.currency,
      wallet,
      quantity,
      reference,
      ...routes,
    };
  }

  if (request.quantity !== undefined && request.quantity !== 1) {
    throw new ProblemError(
      'invalid_request',
      `"${item.id}" has an open amount; quantity is not allowed`,
    );
  }
  if (request.amount === undefined) {
    throw new ProblemError(
      'invalid_request',
      `"${item.id}" has an open amount; send amount in minor units`,
    );
  }
  if (request.amount < item.min || request.amount > item.max) {
    throw new ProblemError(
      'amount_out_of_range',
      `amount must be between ${item.min} and ${item.max} (minor units)`,
      { extra: { min: item.min, max: item.max, currency: item.currency } },
    );
  }
  return {
    itemId: item.id,
    title: item.title,
    amount: request.amount,
    currency: item.currency,
    wallet,
    quantity: 1,
    reference,
    ...routes,
  };
}

async function priceFromToken(
  request: OrderRequest,
  token: string,
  deps: PriceOrderDeps,
): Promise<PricedOrder> {
  if (!deps.checkoutTokenSecret) {
    throw new ProblemError('invalid_token', 'checkout tokens are not enabled on this proxy');
  }
  let claims;
  try {
    claims = await verifyCheckoutToken(token, deps.checkoutTokenSecret, {
      now: () => new Date(deps.now()),
    });
  } catch (error) {
    if (error instanceof CheckoutTokenError) throw new ProblemError(error.code, error.message);
    throw error;
  }
  if (request.amount !== undefined || request.quantity !== undefined) {
    throw new ProblemError(
      'invalid_request',
      'the checkout token sets the price; do not send amount or quantity',
    );
  }
  const itemId = claims.item ?? 'checkout';
  if (request.item !== undefined && request.item !== itemId) {
    throw new ProblemError('invalid_request', 'item does not match the checkout token');
  }
  if (
    request.reference !== undefined &&
    claims.reference !== undefined &&
    request.reference !== claims.reference
  ) {
    throw new ProblemError('invalid_request', 'reference does not match the checkout token');
  }
  return {
    itemId,
    title: claims.title,
    amount: claims.amount,
    currency: claims.currency,
    wallet: pickWallet(request.wallet, claims.wallets ?? WALLETS),
    quantity: 1,
    reference: claims.reference ?? request.reference ?? null,
    checkoutToken: { id: claims.id, expiresAt: claims.expiresAt * 1000 },
  };
}

function pickWallet(requested: string | undefined, allowed: readonly Wallet[]): Wallet {
  if (requested === undefined) {
    if (allowed.length === 1) return allowed[0]!;
    throw new ProblemError('invalid_request', `wallet is required: one of ${allowed.join(', ')}`);
  }
  if (!isWallet(requested) || !allowed.includes(requested)) {
    throw new ProblemError('wallet_not_allowed', `wallet must be one of ${allowed.join(', ')}`, {
      extra: { wallets: allowed },
    });
  }
  return requested;
}
