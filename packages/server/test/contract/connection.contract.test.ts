import { expect, it } from 'vitest';
import type { OrderStore } from '@scanforpay/server/store';
import type { Engine } from '../helpers/engines.js';
import { useStore } from './store-contract.js';

/** The OrderStore contract, the connection: ping and close. */
let engine: Engine;
let store: OrderStore;
useStore((opened, on) => {
  store = opened;
  engine = on;
});

it('pings, and fails after close', async () => {
  await expect(store.ping()).resolves.toBeUndefined();
  await store.close();
  if (engine.name !== 'd1') await expect(store.ping()).rejects.toThrow();
});
