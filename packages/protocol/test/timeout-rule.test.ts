import { describe, expect, it } from 'vitest';
import {
  CreateOrderBodySchema,
  isTimeoutRule,
  MAX_TIMEOUT_MS,
  parseTimeoutRule,
} from '@scanforpay/protocol';

describe('parseTimeoutRule', () => {
  it.each([
    ['1m', 60_000],
    ['90m', 5_400_000],
    ['12h', 43_200_000],
    ['1d', 86_400_000],
    ['15d', MAX_TIMEOUT_MS],
  ])('reads %s as %d ms', (rule, ms) => {
    expect(parseTimeoutRule(rule)).toBe(ms);
    expect(isTimeoutRule(rule)).toBe(true);
  });

  it.each(['1.5h', '0m', '01h', '12', '12H', '1 h', '', 'm', 'c', '1c', '30s', '-1m'])(
    'refuses %j as the gateway does, naming the units',
    (rule) => {
      expect(() => parseTimeoutRule(rule)).toThrow(
        new RangeError(`"${rule}": use minutes, hours or days, e.g. 30m`),
      );
      expect(isTimeoutRule(rule)).toBe(false);
    },
  );

  it.each(['16d', '361h', '21601m', '9999999999d'])('refuses %s: more than 15 days', (rule) => {
    expect(() => parseTimeoutRule(rule)).toThrow(new RangeError(`"${rule}": at most 15d`));
    expect(isTimeoutRule(rule)).toBe(false);
  });

  it('is the rule the create schema checks', () => {
    const body = {
      storeNo: '200000000000001',
      partnerOrderNo: 'p1',
      wallet: 'AlipayHK',
      orderAmount: 1999,
      currency: 'HKD',
    };
    for (const rule of ['1.5h', '16d', 'c']) {
      const result = CreateOrderBodySchema['~standard'].validate({ ...body, timeoutRule: rule });
      expect(result).toHaveProperty('issues');
    }
    expect(
      CreateOrderBodySchema['~standard'].validate({ ...body, timeoutRule: '15d' }),
    ).not.toHaveProperty('issues');
  });
});
