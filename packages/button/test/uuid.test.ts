import { expect } from '@open-wc/testing';
import { uuid } from '../src/uuid.js';
import { UUID_V4 } from './helpers.js';

describe('uuid()', () => {
  describe('when called many times', () => {
    it('returns distinct version 4 UUIDs', () => {
      const ids = Array.from({ length: 500 }, uuid);
      for (const id of ids) expect(id).to.match(UUID_V4);
      expect(new Set(ids).size).to.equal(500);
    });
  });
});
