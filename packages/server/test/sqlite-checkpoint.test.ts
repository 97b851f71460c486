import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '@scanforpay/server/node';
import { startBackgroundCheckpoint } from '../src/store/sqlite/background-checkpoint.js';
import { newOrder } from './contract/store-contract.js';

/**
 * WAL checkpoints on a worker thread (`checkpoint: 'background'`, the Node entry's choice):
 * the request thread's commits never copy the WAL into the database file; the worker does,
 * and closing the store leaves a complete database and no WAL behind.
 */
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Polls `check` every 20 ms, for at most 10 s (a bound, not a speed expectation). */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i >= 500) throw new Error('not within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('background checkpoints', () => {
  it('leave the commits to the WAL and copy it into the database file from the worker', async () => {
    const path = join(dir, 'orders.db');
    const store = createSqliteStore({ path, checkpoint: 'background' });
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const orders = Array.from({ length: 400 }, () => newOrder({ title: 'x'.repeat(2000) }));
    await Promise.all(orders.map((order) => store.insertOrder({ order })));
    // 400 rows of 2 KB: far past SQLite's 1000-page mark, checkpointed by the worker only.
    await eventually(() => statSync(path).size > 800_000);
    expect((await store.getOrder(orders[399]!.orderId))?.title).toBe('x'.repeat(2000));
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);

    const reopened = createSqliteStore({ path });
    try {
      expect(reopened.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect(await reopened.getOrder(orders[0]!.orderId)).toMatchObject({
        title: 'x'.repeat(2000),
      });
    } finally {
      await reopened.close();
    }
  });

  it('reports a worker that stops on its own, so that SQLite checkpoints inline again', async () => {
    const stopped = await new Promise<Error | undefined>((resolve) => {
      startBackgroundCheckpoint({ path: join(dir, 'missing', 'none.db'), onExit: resolve });
    });
    expect(stopped?.message).toMatch(/unable to open|directory does not exist|no such file/i);
  });
});
