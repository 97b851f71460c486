import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type BuildResult } from 'esbuild';

/** `src/workers.ts`, the Cloudflare Workers entry. */
export const WORKERS_ENTRY = fileURLToPath(new URL('../../src/workers.ts', import.meta.url));

/**
 * esbuild as Wrangler bundles for workerd: neutral platform (so any Node builtin fails to
 * resolve), ESM, the `workerd`/`worker`/`browser` export conditions.
 */
export const WORKER_BUILD: BuildOptions = {
  entryPoints: [WORKERS_ENTRY],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'browser'],
  minify: true,
  logLevel: 'silent',
};

/** The bundle in memory: its text, and esbuild's errors (as a value, never thrown). */
export async function bundleWorker(): Promise<{ text: string; errors: BuildResult['errors'] }> {
  try {
    const result = await build({ ...WORKER_BUILD, write: false });
    return { text: result.outputFiles[0]?.text ?? '', errors: result.errors };
  } catch (error) {
    return { text: '', errors: (error as { errors?: BuildResult['errors'] }).errors ?? [] };
  }
}

/** Writes the bundle to `outfile` for miniflare. */
export async function writeWorkerBundle(outfile: string): Promise<void> {
  await build({ ...WORKER_BUILD, outfile, write: true });
}
