import { describe, expect, it } from 'vitest';
import {
  assertValid,
  CreateOrderBodySchema,
  PayQueryBodySchema,
  RefundBodySchema,
  TIMEOUT_RULE,
  ValidationError,
} from '@scanforpay/protocol';

const create = {
  storeNo: '200000000000001',
  partnerOrderNo: '240501100000123',
  wallet: 'AlipayHK',
  orderAmount: 1999,
  currency: 'HKD',
  orderTitle: 'Red tee',
  notifyUrl: 'https://shop.example/notify',
  returnUrl: 'https://shop.example/return',
  timeoutRule: '30m',
  orderCreate: '1714528800000',
};

function issuesOf(schema: Parameters<typeof assertValid>[0], input: unknown) {
  try {
    assertValid(schema, input, 'test');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => i.path);
    throw error;
  }
  return [];
}

describe('CreateOrderBodySchema', () => {
  it('accepts a documented create body and returns the input itself', () => {
    expect(assertValid(CreateOrderBodySchema, create, 'create')).toBe(create);
  });

  it.each([
    ['orderTitle', 'x'.repeat(101)],
    ['storeNo', '1'.repeat(16)],
    ['partnerOrderNo', ''],
    ['partnerOrderNo', 'p'.repeat(33)],
    ['wallet', 'Paypal'],
    ['orderAmount', 19.99],
    ['orderAmount', -1],
    ['orderAmount', 0],
    ['orderAmount', 2 ** 53],
    ['orderAmount', '1999'],
    ['currency', ''],
    ['notifyUrl', 'https://x.example/' + 'a'.repeat(200)],
    ['timeoutRule', '1.5h'],
    ['timeoutRule', '0m'],
    ['timeoutRule', '12'],
    ['timeoutRule', '12H'],
    ['timeoutRule', '16d'],
    ['orderCreate', '17145x'],
  ])('rejects %s = %j without truncating', (field, value) => {
    expect(issuesOf(CreateOrderBodySchema, { ...create, [field]: value })).toEqual([
      `body.${field}`,
    ]);
  });

  it('names a missing required field', () => {
    const { wallet: _wallet, ...rest } = create;
    expect(issuesOf(CreateOrderBodySchema, rest)).toEqual(['body.wallet']);
  });

  it('accepts the longest allowed values', () => {
    expect(
      issuesOf(CreateOrderBodySchema, {
        ...create,
        orderTitle: '測'.repeat(100),
        timeoutRule: '15d',
      }),
    ).toEqual([]);
  });
});

describe('TIMEOUT_RULE', () => {
  it('matches whole minutes, hours and days only', () => {
    expect(['1m', '90m', '12h', '15d'].every((r) => TIMEOUT_RULE.test(r))).toBe(true);
    expect(['', 'm', '01h', '1.5h', '1c', '1 h'].some((r) => TIMEOUT_RULE.test(r))).toBe(false);
  });
});

describe('PayQueryBodySchema', () => {
  it('needs partnerOrderNo or orderNo', () => {
    expect(issuesOf(PayQueryBodySchema, { storeNo: '1', partnerOrderNo: 'p1' })).toEqual([]);
    expect(issuesOf(PayQueryBodySchema, { orderNo: '2405011003000001' })).toEqual([]);
    expect(issuesOf(PayQueryBodySchema, { storeNo: '1' })).toEqual(['body']);
  });
});

describe('RefundBodySchema', () => {
  it('requires a positive integer refund amount and a refundNo', () => {
    const refund = { partnerOrderNo: 'p1', refundNo: 'r1', orderAmount: 100 };
    expect(issuesOf(RefundBodySchema, refund)).toEqual([]);
    expect(issuesOf(RefundBodySchema, { ...refund, orderAmount: 0 })).toEqual(['body.orderAmount']);
    expect(issuesOf(RefundBodySchema, { ...refund, refundNo: 'r'.repeat(33) })).toEqual([
      'body.refundNo',
    ]);
  });
});
