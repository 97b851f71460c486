import { expect } from '@open-wc/testing';
import { idempotencyKey } from '../src/idempotency-key.js';
import { IDEMPOTENCY_KEY } from './helpers.js';

describe('idempotencyKey()', () => {
  describe('when called many times', () => {
    it('returns distinct keys of four 32-bit random numbers', () => {
      const keys = Array.from({ length: 500 }, idempotencyKey);
      for (const key of keys) expect(key).to.match(IDEMPOTENCY_KEY);
      expect(new Set(keys).size).to.equal(500);
    });
  });
});
