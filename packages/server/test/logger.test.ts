import { describe, expect, it } from 'vitest';
import { createLogger } from '@scanforpay/server';
import { maskIdentifier } from '../src/logging/create-logger.js';

describe('createLogger', () => {
  it('writes one JSON line per call and scrubs secrets wherever they appear', () => {
    const lines: string[] = [];
    const logger = createLogger({
      write: (l) => lines.push(l),
      secrets: ['s3cr3t-key', undefined, 'ab'],
      now: () => 0,
    });
    logger.error('boom', {
      error: 'verification failed with key s3cr3t-key',
      nested: { quoted: 'x"s3cr3t-key"' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('s3cr3t-key');
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'error',
      msg: 'boom',
      error: 'verification failed with key [redacted]',
      nested: { quoted: 'x"[redacted]"' },
    });
  });

  it('scrubs secrets that JSON escaping would change', () => {
    const lines: string[] = [];
    createLogger({ write: (l) => lines.push(l), secrets: ['k"ey\\1234'] }).info('x', {
      v: 'k"ey\\1234',
    });
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).not.toContain('k\\"ey\\\\1234');
  });

  it('drops lines below the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), level: 'warn' });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
  });
});

describe('maskIdentifier', () => {
  it.each([
    ['2088123456781234', `2${'*'.repeat(13)}34`],
    ['c*@example.com', `c${'*'.repeat(11)}om`],
    ['abc', '***'],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (input, output) => {
    expect(maskIdentifier(input)).toBe(output);
  });
});

describe('batchedLog (the Node entry’s stdout sink)', () => {
  it('writes the lines gathered until its timer fires with one write, in order, and the rest on close', async () => {
    const { batchedLog } = await import('../src/node/batched-log.js');
    const writes: string[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const log = batchedLog(
      { write: (text: string) => writes.push(text) },
      { delayMs: 7, setTimer: (fn, ms) => timers.push({ fn, ms }) },
    );
    log.write('{"n":1}');
    log.write('{"n":2}');
    expect(writes).toEqual([]);
    expect(timers.map((t) => t.ms)).toEqual([7]);
    timers[0]!.fn();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n']);
    log.write('{"n":3}');
    expect(timers).toHaveLength(2);
    log.close();
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n', '{"n":3}\n']);
    timers[1]!.fn();
    expect(writes).toHaveLength(2);
  });

  it('writes at once when the pending text reaches maxPending', async () => {
    const { batchedLog } = await import('../src/node/batched-log.js');
    const writes: string[] = [];
    const log = batchedLog(
      { write: (text: string) => writes.push(text) },
      { maxPending: 20, setTimer: () => {} },
    );
    log.write('0123456789');
    expect(writes).toEqual([]);
    log.write('abcdefghi');
    expect(writes).toEqual(['0123456789\nabcdefghi\n']);
    log.close();
    expect(writes).toHaveLength(1);
  });
});
