import { describe, expect, it } from 'vitest';
import { bundleWorker } from './helpers/build-worker.js';

const MAX_MINIFIED_BYTES = 400 * 1024;

describe('the Workers bundle (src/workers.ts)', () => {
  it('builds for workerd with no Node builtin and stays small', async () => {
    const { text, errors } = await bundleWorker();
    // A Node builtin anywhere in the graph cannot be resolved on the neutral platform.
    expect(errors.map((e) => e.text)).toEqual([]);
    expect(text).not.toMatch(/["'`]node:/);
    expect(text).not.toContain('require(');
    expect(new TextEncoder().encode(text).byteLength).toBeLessThan(MAX_MINIFIED_BYTES);
  });

  it('exports the Worker module and createWorker', async () => {
    const { text } = await bundleWorker();
    expect(text).toMatch(/export\s*\{[^}]*\bas default\b/);
    expect(text).toMatch(/export\s*\{[^}]*\bas createWorker\b|export\s*\{[^}]*\bcreateWorker\b/);
  });
});
