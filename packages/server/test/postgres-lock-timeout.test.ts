import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresStore, type PostgresStore } from '@scanforpay/server/node';

/**
 * A Postgres store with `lockTimeoutMs` (the Postgres project only): a unit that waits too long
 * for a lock held by another session fails with `StoreUnavailableError` (HTTP 503), rolled back,
 * and runs once the lock is free.
 */
const DATABASE = `lock_timeout_${process.pid}`;
let admin: postgres.Sql;
let other: postgres.Sql;
let store: PostgresStore;

beforeAll(async () => {
  const base = inject('postgresUrl');
  admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${DATABASE}`);
  const url = base.replace(/\/[^/]*$/, `/${DATABASE}`);
  store = await createPostgresStore({ url, max: 2, lockTimeoutMs: 100 });
  other = postgres(url, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await store?.close();
  await other?.end({ timeout: 1 });
  await admin?.unsafe(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin?.end({ timeout: 1 });
});

describe('createPostgresStore({ lockTimeoutMs })', () => {
  it('fails a unit that waits too long for a lock with StoreUnavailableError, and runs it once the lock is free', async () => {
    const url = 'https://shop.example/hook';
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = other.begin(async (tx) => {
      await tx`LOCK TABLE webhook_endpoints IN ACCESS EXCLUSIVE MODE`;
      locked();
      await released;
    });
    await isLocked;
    await expect(store.setEndpoint(url, { at: 1, reason: 'test' })).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      code: 'store_unavailable',
    });
    release();
    await holding;
    expect(await store.getEndpoint(url)).toBeUndefined();
    await store.setEndpoint(url, { at: 1, reason: 'test' });
    expect(await store.getEndpoint(url)).toMatchObject({ disabledAt: 1 });
  });
});
