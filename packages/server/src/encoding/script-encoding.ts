/** A content coding the button script is offered in. */
export type ScriptEncoding = 'br' | 'gzip';

/** Compresses bytes with `br` or `gzip`; undefined when it cannot (that encoding is not offered). */
export type ScriptCompressor = (
  bytes: Uint8Array,
  encoding: ScriptEncoding,
) => Promise<Uint8Array | undefined>;

/**
 * The coding to send for an `Accept-Encoding` header among those available: brotli first, then
 * gzip, never one the client refuses (`;q=0`), identity when nothing else fits.
 */
export function chooseEncoding(
  accept: string | undefined,
  available: ReadonlySet<ScriptEncoding>,
): ScriptEncoding | undefined {
  if (!accept) return undefined;
  const weights = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  for (const coding of ['br', 'gzip'] as const) {
    if (available.has(coding) && weightOf(coding) > 0) return coding;
  }
  return undefined;
}

/** The Web-standard default: gzip through `CompressionStream`; brotli is not offered. */
export async function webCompress(
  bytes: Uint8Array,
  encoding: ScriptEncoding,
): Promise<Uint8Array | undefined> {
  if (encoding !== 'gzip' || typeof CompressionStream === 'undefined') return undefined;
  const stream = new Blob([new Uint8Array(bytes)])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
