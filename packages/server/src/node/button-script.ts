import { readFileSync } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * Loads `@scanforpay/button`'s script-tag bundle from disk, re-reading it when it changes and
 * answering undefined while it is not built.
 */
export function buttonScriptLoader(path?: string): () => Promise<Uint8Array | undefined> {
  let cached: { mtimeMs: number; bytes: Uint8Array } | undefined;
  return async () => {
    const file = path ?? resolveBundle();
    if (file === undefined) return undefined;
    try {
      const info = await stat(file);
      if (cached?.mtimeMs !== info.mtimeMs)
        cached = { mtimeMs: info.mtimeMs, bytes: await readFile(file) };
      return cached.bytes;
    } catch {
      return undefined;
    }
  };
}

function resolveBundle(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('@scanforpay/button/scanforpay-button.js');
  } catch {
    return undefined;
  }
}

/**
 * The version of the installed `@scanforpay/button` (from its `scanforpay-button.json`
 * manifest), which names its pinned URL `/v/<version>/`; undefined when it is not built.
 */
export function bundledButtonVersion(): string | undefined {
  try {
    const path = createRequire(import.meta.url).resolve(
      '@scanforpay/button/scanforpay-button.json',
    );
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}
