import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { ScriptCompressor } from '../proxy-options.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** `node:zlib` for the button script: brotli at quality 11 (text mode), gzip at level 9. */
export const nodeCompress: ScriptCompressor = async (bytes, encoding) =>
  new Uint8Array(
    encoding === 'br'
      ? await brotli(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
          },
        })
      : await gz(bytes, { level: 9 }),
  );
