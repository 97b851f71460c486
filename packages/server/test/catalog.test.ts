import { describe, expect, it } from 'vitest';
import {
  CatalogError,
  createCheckoutToken,
  parseCatalog,
  verifyCheckoutToken,
} from '@scanforpay/server';
import { CATALOG } from './helpers/catalog.js';

describe('parseCatalog', () => {
  it('indexes fixed and open items, defaulting wallets to all three', () => {
    const catalog = parseCatalog(CATALOG);
    expect(catalog.items.map((i) => i.id)).toEqual(['tee-red', 'donation', 'mug']);
    expect(catalog.get('tee-red')).toEqual({
      kind: 'fixed',
      id: 'tee-red',
      title: 'Red tee',
      currency: 'HKD',
      wallets: ['AlipayHK', 'Alipay', 'Wechat'],
      amount: 19900,
    });
    expect(catalog.get('donation')).toEqual({
      kind: 'open',
      id: 'donation',
      title: 'Donation',
      currency: 'HKD',
      wallets: ['Alipay', 'AlipayHK', 'Wechat'],
      min: 1000,
      max: 500000,
    });
    expect(catalog.get('nope')).toBeUndefined();
  });

  const item = { id: 'a', title: 'A', currency: 'HKD', amount: 100 };
  it.each([
    [[], 'the catalog must be an object with an "items" array'],
    [{ items: [1] }, 'items[0]: must be an object'],
    [
      { items: [{ ...item, id: 'has space' }] },
      "items[0].id: 1-64 letters, digits, '.', '_' or '-'",
    ],
    [{ items: [item, item] }, 'items[1].id: "a" appears twice'],
    [
      { items: [{ ...item, title: '' }] },
      'items[0].title: a non-empty string of at most 100 characters',
    ],
    [
      { items: [{ ...item, title: 'x'.repeat(101) }] },
      'items[0].title: a non-empty string of at most 100 characters',
    ],
    [
      { items: [{ ...item, currency: 'hkd' }] },
      'items[0].currency: a 3-letter upper-case code such as HKD',
    ],
    [
      { items: [{ ...item, amount: 0 }] },
      'items[0].amount: a positive integer in minor units (19900 = 199.00)',
    ],
    [
      { items: [{ ...item, amount: '100' }] },
      'items[0].amount: a positive integer in minor units (19900 = 199.00)',
    ],
    [
      { items: [{ ...item, min: 1, max: 2 }] },
      'items[0]: give either "amount" or "min" and "max", not both',
    ],
    [
      { items: [{ id: 'a', title: 'A', currency: 'HKD', min: 1 }] },
      'items[0]: needs "amount" (fixed price) or "min" and "max" (open amount)',
    ],
    [
      { items: [{ id: 'a', title: 'A', currency: 'HKD', min: 5, max: 1 }] },
      'items[0].min: must not exceed max',
    ],
    [
      { items: [{ ...item, wallets: [] }] },
      'items[0].wallets: a non-empty array of Alipay, AlipayHK, Wechat',
    ],
    [
      { items: [{ ...item, wallets: ['PayPal'] }] },
      'items[0].wallets: "PayPal" is not Alipay, AlipayHK or Wechat',
    ],
    [
      { items: [{ ...item, wallets: ['Alipay', 'Alipay'] }] },
      'items[0].wallets: "Alipay" appears twice',
    ],
    [{ items: [{ ...item, ammount: 5 }] }, 'items[0].ammount: unknown field'],
  ])('refuses %j', (input, message) => {
    expect(() => parseCatalog(input)).toThrow(new CatalogError(message));
  });
});

describe('checkout tokens', () => {
  const secret = 'merchant-backend-secret-0123456789abcdef';
  const now = () => new Date('2025-01-01T00:00:00Z');

  it('round-trips the claims', async () => {
    const token = await createCheckoutToken({
      secret,
      amount: 5000,
      currency: 'HKD',
      title: '購物車',
      wallets: ['AlipayHK'],
      reference: 'inv-1',
      item: 'cart',
      id: 'tok-1',
      expiresIn: 60,
      now,
    });
    expect(token).toMatch(/^sfp1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await verifyCheckoutToken(token, secret, { now })).toEqual({
      id: 'tok-1',
      amount: 5000,
      currency: 'HKD',
      title: '購物車',
      item: 'cart',
      wallets: ['AlipayHK'],
      reference: 'inv-1',
      expiresAt: Date.parse('2025-01-01T00:01:00Z') / 1000,
    });
  });

  it('refuses an expired token, a wrong secret and garbage', async () => {
    const token = await createCheckoutToken({
      secret,
      amount: 1,
      currency: 'HKD',
      title: 'x',
      expiresIn: 60,
      now,
    });
    await expect(
      verifyCheckoutToken(token, secret, { now: () => new Date('2025-01-01T00:01:00Z') }),
    ).rejects.toMatchObject({ code: 'token_expired' });
    await expect(verifyCheckoutToken(token, `${secret}!`, { now })).rejects.toMatchObject({
      code: 'invalid_token',
    });
    await expect(verifyCheckoutToken('sfp1.@@.@@', secret, { now })).rejects.toMatchObject({
      code: 'invalid_token',
    });
    await expect(verifyCheckoutToken('a.b', secret, { now })).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });

  it('refuses to sign with a short secret or a bad amount', async () => {
    await expect(
      createCheckoutToken({ secret: 'short', amount: 1, currency: 'HKD', title: 'x' }),
    ).rejects.toThrow(/at least 32/);
    await expect(
      createCheckoutToken({ secret, amount: 1.5, currency: 'HKD', title: 'x' }),
    ).rejects.toThrow(/amount/);
    await expect(
      createCheckoutToken({ secret, amount: 1, currency: 'hk', title: 'x' }),
    ).rejects.toThrow(/currency/);
  });
});
