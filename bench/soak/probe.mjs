// Preloaded into the proxy under soak (`node --expose-gc --import <this> dist/cli.js`). On
// SIGUSR2 it runs a full GC and writes a snapshot to SOAK_PROBE_FILE: active resources by type
// (process.getActiveResourcesInfo) and memory. Nothing runs between signals: no timer, no socket.
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.SOAK_PROBE_FILE;
if (file) {
  let seq = 0;
  process.on('SIGUSR2', () => {
    const started = performance.now();
    globalThis.gc?.();
    const gcMs = performance.now() - started;
    /** @type {Record<string, number>} */
    const resources = {};
    for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
    const snapshot = {
      seq: ++seq,
      at: Date.now(),
      gcMs,
      resources,
      activeResources: Object.values(resources).reduce((a, b) => a + b, 0),
      memory: process.memoryUsage(),
    };
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
    renameSync(`${file}.tmp`, file);
  });
}
