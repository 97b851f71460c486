import type { HashFn } from '@scanforpay/protocol';
import type { ScriptCompressor, ScriptEncoding } from './script-encoding.js';

/** One build of the button's script-tag bundle, prepared once: its forms, tags and integrity. */
export interface BundleVersion {
  /** The version in `/v/<version>/scanforpay-button.js`. */
  version: string;
  bytes: Uint8Array;
  /** The identity form's strong ETag value (unquoted); a compressed form's adds `-br` or `-gz`. */
  tag: string;
  /** Subresource integrity of `bytes`: `sha384-…` (base64). */
  integrity: string;
  /** The compressed forms that save bytes, by coding. */
  encoded: ReadonlyMap<ScriptEncoding, Uint8Array>;
}

export interface ButtonBundleDeps {
  /** The bundle's text, or undefined when it is not built. */
  buttonScript: () => Promise<string | Uint8Array | undefined>;
  /** The bundle's version (`@scanforpay/button`'s); default: a hash of its bytes. */
  buttonVersion: string | undefined;
  hash: HashFn;
  /** Compresses the bundle once per version (`br`, `gzip`). */
  compress: ScriptCompressor;
}

/** The current build of the bundle, prepared when it changes; undefined while it is not built. */
export type ButtonBundle = () => Promise<BundleVersion | undefined>;

/**
 * Reads the bundle through `buttonScript` on each call and prepares each new source once
 * (ETag, sha384, brotli and gzip), so the script routes and the pay page agree on the bytes.
 */
export function buttonBundle(deps: ButtonBundleDeps): ButtonBundle {
  let current: Promise<BundleVersion> | undefined;
  let currentSource: string | Uint8Array | undefined;

  async function prepare(source: string | Uint8Array): Promise<BundleVersion> {
    const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
    const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
    const tag = (await deps.hash(text)).slice(0, 32);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', new Uint8Array(bytes)));
    const integrity = `sha384-${base64(digest)}`;
    const encoded = new Map<ScriptEncoding, Uint8Array>();
    for (const coding of ['br', 'gzip'] as const) {
      const compressed = await deps.compress(bytes, coding).catch(() => undefined);
      // A compressed form that saves nothing is not worth a Content-Encoding.
      if (compressed && compressed.byteLength < bytes.byteLength) encoded.set(coding, compressed);
    }
    const version = deps.buttonVersion ?? hex(digest).slice(0, 16);
    return { version, bytes, tag, integrity, encoded };
  }

  return async () => {
    const source = await deps.buttonScript();
    if (source === undefined) return undefined;
    if (currentSource !== source || !current) {
      currentSource = source;
      current = prepare(source);
      current.catch(() => {
        if (currentSource === source) current = undefined;
      });
    }
    return current;
  };
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
