// The store alone, in one process: N notification units (order → paid + the notification row,
// what a first notification commits) from 32 concurrent callers, on two builds' SQLite stores,
// interleaved. Wall-clock rate and CPU µs per unit of this process.
//   BENCH_A=<old dist>/node.js [BENCH_B=packages/server/dist/node.js] node bench/store-ab.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/paths.mjs';

if (!process.env.BENCH_A) {
  console.error('set BENCH_A to the node.js of the build to compare against');
  process.exit(2);
}
const A = await import(pathToFileURL(process.env.BENCH_A).href);
const B = await import(
  pathToFileURL(process.env.BENCH_B ?? join(ROOT, 'packages/server/dist/node.js')).href
);
const dir = mkdtempSync(join(tmpdir(), 'storeab-'));
const N = 6000,
  C = 32;
async function run(mod, label, rep) {
  const store = mod.createSqliteStore({ path: join(dir, `${label}-${rep}.db`) });
  const now = Date.now();
  for (let i = 0; i < N; i++)
    await store.insertOrder({
      order: {
        orderId: `O${i}`,
        itemId: 't',
        title: 'T',
        amount: 100,
        currency: 'HKD',
        wallet: 'AlipayHK',
        quantity: 1,
        reference: null,
        createdAt: now,
        expiresAt: now + 1e6,
        status: 'pending',
        payUrl: 'https://x/y',
        gatewayOrderNo: `G${i}`,
        failureCode: null,
        failureMessage: null,
      },
    });
  const body =
    '{"response":{"header":{},"body":{}},"signature":"' + 'a'.repeat(64) + '"}' + 'x'.repeat(300);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const i = next++;
        const id = `O${i}`;
        await store.recordNotification({
          orderId: id,
          dedupeKey: `${id}:1:1`,
          rawBody: body,
          verified: true,
          outcome: 'ignored',
          reason: null,
          receivedAt: now,
          transition: { orderId: id, input: { to: 'paid', at: now } },
        });
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  await store.close();
  return { label, perSecond: Math.round(N / s), cpuUs: Math.round((c.user + c.system) / N) };
}
const rows = [];
for (let rep = 0; rep < 3; rep++)
  for (const [m, l] of rep % 2
    ? [
        [B, 'after'],
        [A, 'before'],
      ]
    : [
        [A, 'before'],
        [B, 'after'],
      ]) {
    const r = await run(m, l, rep);
    rows.push(r);
    console.log(JSON.stringify(r));
  }
rmSync(dir, { recursive: true, force: true });
