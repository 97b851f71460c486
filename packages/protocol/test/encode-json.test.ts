import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeJson } from '@scanforpay/protocol';
import { A_REQUEST, A_TEXT } from './fixtures/vectors.js';

describe('encodeJson', () => {
  it('reproduces vector A byte for byte', () => {
    expect(encodeJson(A_REQUEST)).toBe(A_TEXT);
  });

  it('escapes slashes, non-ASCII and control characters as PHP json_encode does', () => {
    expect(encodeJson({ url: 'https://a.example/b' })).toBe('{"url":"https:\\/\\/a.example\\/b"}');
    expect(encodeJson('é')).toBe('"\\u00e9"');
    expect(encodeJson('😀')).toBe('"\\ud83d\\ude00"');
    expect(encodeJson('支付寶')).toBe('"\\u652f\\u4ed8\\u5bf6"');
    expect(encodeJson('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(encodeJson('\n\r\t\b\f\u0001\u001f')).toBe('"\\n\\r\\t\\b\\f\\u0001\\u001f"');
    expect(encodeJson('\u007f')).toBe('"\u007f"');
    expect(encodeJson('\u2028')).toBe('"\\u2028"');
  });

  it('writes compact JSON in insertion order with bare integers', () => {
    expect(encodeJson({ z: 1, a: [true, false, null, ''], m: {} })).toBe(
      '{"z":1,"a":[true,false,null,""],"m":{}}',
    );
    expect(encodeJson(1999.0)).toBe('1999');
    expect(encodeJson([])).toBe('[]');
  });

  it('skips undefined members', () => {
    expect(encodeJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('refuses values PHP cannot encode', () => {
    expect(() => encodeJson(Number.NaN)).toThrow(TypeError);
    expect(() => encodeJson({ a: Number.POSITIVE_INFINITY })).toThrow(/cannot be encoded/);
    expect(() => encodeJson(undefined)).toThrow(/not JSON-serializable/);
    expect(() => encodeJson(10n)).toThrow(TypeError);
  });

  // 500 runs take about a second on an idle machine but over five (vitest's default limit) on
  // a loaded one: the limit is there to catch a hang, not to time the runs.
  const PROPERTY_TIME_LIMIT_MS = 60_000;

  it(
    'round-trips any JSON value and writes only ASCII',
    () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const text = encodeJson(value);
          expect(JSON.parse(text)).toStrictEqual(JSON.parse(JSON.stringify(value)));
          expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
          expect(text.includes('/') && !text.includes('\\/')).toBe(false);
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIME_LIMIT_MS,
  );

  it(
    'round-trips full-unicode strings, including lone surrogates',
    () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (value) => {
          expect(JSON.parse(encodeJson(value))).toBe(value);
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIME_LIMIT_MS,
  );
});
