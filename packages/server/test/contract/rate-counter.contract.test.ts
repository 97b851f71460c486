import { describe, expect, it } from 'vitest';
import type { OrderStore } from '@scanforpay/server/store';
import { useStore } from './store-contract.js';

/** The OrderStore contract, rate-limit windows: counts shared by everyone on the database. */
let store: OrderStore;
useStore((opened) => (store = opened));

describe('rate-limit windows', () => {
  it('counts hits per key and window, concurrent ones exactly, and forgets ended windows', async () => {
    // Windows at real epoch milliseconds (2026-01-01), beyond 32-bit integers.
    const T = 1_767_225_600_000;
    const count = (key: string, offset: number) =>
      store.countHit!(key, T + offset, T + offset - 60_000);
    expect(await count('203.0.113.7', 60_000)).toBe(1);
    expect(await count('203.0.113.7', 60_000)).toBe(2);
    expect(await count('198.51.100.1', 60_000)).toBe(1);
    // Twenty at once: every hit gets its own count, none is lost.
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () => count('203.0.113.7', 60_000)),
    );
    expect(concurrent.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    // A new window starts from one; two windows back are deleted.
    expect(await count('203.0.113.7', 120_000)).toBe(1);
    expect(await count('203.0.113.7', 240_000)).toBe(1);
    expect(await count('203.0.113.7', 60_000)).toBe(1);
  });
});
