/**
 * A black-and-white PNG (1-bit greyscale) of a square module grid such as a QR code, with
 * Web standards only (`CompressionStream('deflate')` writes the zlib stream PNG wants), so it
 * runs on Node and on Workers alike. `qrcode`'s own PNG renderer needs `pngjs` and `node:zlib`.
 */
export async function modulesPng(
  /** The grid's side in modules. */
  size: number,
  isDark: (row: number, column: number) => boolean,
  options: { scale: number; margin: number },
): Promise<Uint8Array> {
  const { scale, margin } = options;
  const side = (size + 2 * margin) * scale;
  const rowBytes = Math.ceil(side / 8);
  // Each scanline: a filter byte (0, none), then the pixels, 1 = white, 0 = black.
  const raw = new Uint8Array((rowBytes + 1) * side);
  for (let y = 0; y < side; y++) {
    const offset = y * (rowBytes + 1);
    const row = Math.floor(y / scale) - margin;
    for (let x = 0; x < side; x++) {
      const column = Math.floor(x / scale) - margin;
      const inside = row >= 0 && row < size && column >= 0 && column < size;
      if (inside && isDark(row, column)) continue;
      raw[offset + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, side);
  view.setUint32(4, side);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filters, no interlace
  const data = new Uint8Array(
    await new Response(
      new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate')),
    ).arrayBuffer(),
  );
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', data),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

let table: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
