import { describe, expect, it } from 'vitest';
import {
  encodeJson,
  openSigned,
  scanTopLevelMembers,
  sign,
  SignatureError,
  signRequest,
  type SignatureErrorReason,
} from '@scanforpay/protocol';
import {
  A_SIGNATURE,
  A_TEXT,
  B_SIGNATURE,
  B_TEXT,
  C_SIGNATURE,
  C_TEXT,
  D_SIGNATURE,
  D_TEXT,
  SIGN_KEY,
  envelope,
} from './fixtures/vectors.js';

const C = envelope('response', C_TEXT, C_SIGNATURE);
const D = envelope('response', D_TEXT, D_SIGNATURE);

async function reasonOf(raw: string, key = SIGN_KEY): Promise<SignatureErrorReason> {
  try {
    await openSigned(raw, key);
  } catch (error) {
    if (error instanceof SignatureError) return error.reason;
    throw error;
  }
  throw new Error('expected a SignatureError');
}

describe('openSigned', () => {
  describe('when the message is authentic', () => {
    it('opens vector C, a create response', async () => {
      const opened = await openSigned(C, SIGN_KEY);
      expect(opened.kind).toBe('response');
      expect(opened.signedText).toBe(C_TEXT);
      expect(opened.signature).toBe(C_SIGNATURE);
      expect(opened.body).toEqual({
        code: 1,
        msg: 'success',
        payUrl: 'https://pay.example.test/cashier/abc123',
      });
      expect(opened.header.respMsgId).toBe('5d41402abc4b2a76b9719d911017c592');
    });

    it('opens vector D, a notification', async () => {
      const opened = await openSigned(D, SIGN_KEY);
      expect(opened.kind).toBe('response');
      expect(opened.body.orderAmount).toBe(1999);
      expect(opened.header.reqMsgId).toBe('0c9e7b1a-2f4d-4c6e-9a8b-7d6c5b4a3f21');
    });

    it('opens vectors A and B as requests', async () => {
      const a = await openSigned(envelope('request', A_TEXT, A_SIGNATURE), SIGN_KEY);
      expect(a.kind).toBe('request');
      expect(a.body.orderTitle).toBe('測試商品等共2件商品');
      const b = await openSigned(envelope('request', B_TEXT, B_SIGNATURE), SIGN_KEY);
      expect(b.body).toEqual({ storeNo: '200000000000001', partnerOrderNo: '240501100000123' });
    });

    it('accepts whitespace around the envelope members', async () => {
      const spaced = `\n{ "response" :\t${D_TEXT} ,\r\n "signature" : "${D_SIGNATURE}" }\n`;
      expect((await openSigned(spaced, SIGN_KEY)).signedText).toBe(D_TEXT);
      const reversed = `{"signature":"${C_SIGNATURE}","response":${C_TEXT}}`;
      expect((await openSigned(reversed, SIGN_KEY)).signedText).toBe(C_TEXT);
    });

    it('hashes the raw text: escaped slashes verify when they were signed escaped', async () => {
      const escaped = C_TEXT.replaceAll('/', '\\/');
      const signature = await sign(escaped, SIGN_KEY);
      const opened = await openSigned(envelope('response', escaped, signature), SIGN_KEY);
      expect(opened.body.payUrl).toBe('https://pay.example.test/cashier/abc123');
      expect(await reasonOf(envelope('response', escaped, C_SIGNATURE))).toBe('mismatch');
    });

    it('accepts an uppercase hex signature', async () => {
      expect(
        (await openSigned(envelope('response', C_TEXT, C_SIGNATURE.toUpperCase()), SIGN_KEY)).kind,
      ).toBe('response');
    });

    it('checks the expected kind', async () => {
      await expect(openSigned(C, SIGN_KEY, undefined, { expect: 'request' })).rejects.toMatchObject(
        {
          reason: 'unexpected_kind',
        },
      );
    });
  });

  describe('when the message is tampered with', () => {
    it('rejects every one-byte change in the signed text', async () => {
      const start = D.indexOf(D_TEXT);
      for (let i = 0; i < D_TEXT.length; i++) {
        const original = D_TEXT.charCodeAt(i);
        const replacement = original === 0x31 ? '2' : '1';
        const mutated = D.slice(0, start + i) + replacement + D.slice(start + i + 1);
        const reason = await reasonOf(mutated);
        let wellFormed: boolean;
        try {
          scanTopLevelMembers(mutated);
          const parsed = JSON.parse(mutated.slice(start, start + D_TEXT.length)) as unknown;
          wellFormed = typeof parsed === 'object' && parsed !== null;
        } catch {
          wellFormed = false;
        }
        if (wellFormed) expect(reason, `byte ${i}`).toBe('mismatch');
        else expect(['malformed', 'duplicate_member'], `byte ${i}`).toContain(reason);
      }
    });

    it('rejects a wrong key', async () => {
      expect(await reasonOf(C, 'another-key')).toBe('mismatch');
    });

    it('rejects a wrong signature', async () => {
      expect(await reasonOf(envelope('response', C_TEXT, D_SIGNATURE))).toBe('mismatch');
    });

    it('rejects a missing or non-string signature', async () => {
      expect(await reasonOf(`{"response":${C_TEXT}}`)).toBe('missing_signature');
      expect(await reasonOf(`{"response":${C_TEXT},"signature":null}`)).toBe('missing_signature');
      expect(await reasonOf(`{"response":${C_TEXT},"signature":"${C_SIGNATURE.slice(1)}"}`)).toBe(
        'bad_signature_format',
      );
    });

    it('rejects a duplicated top-level member', async () => {
      expect(
        await reasonOf(`{"response":${C_TEXT},"response":${D_TEXT},"signature":"${C_SIGNATURE}"}`),
      ).toBe('duplicate_member');
      expect(
        await reasonOf(`{"response":${C_TEXT},"signature":"${C_SIGNATURE}","signature":"x"}`),
      ).toBe('duplicate_member');
    });

    it('rejects a duplicated member inside the signed text, even when signed', async () => {
      const text = C_TEXT.replace('"code":1,', '"code":7,"code":1,');
      expect(await reasonOf(envelope('response', text, await sign(text, SIGN_KEY)))).toBe(
        'duplicate_member',
      );
    });

    it('rejects a lone surrogate, which UTF-8 hashes as the U+FFFD that was signed', async () => {
      // Fuzz counterexample (seed 122024): sign "\ufffd" raw, send "\ud800" in its place.
      const text = '{"header":{},"body":{"buyer":"\ufffd"}}';
      const signature = await sign(text, SIGN_KEY);
      expect((await openSigned(envelope('response', text, signature), SIGN_KEY)).body.buyer).toBe(
        '\ufffd',
      );
      const forged = text.replace('\ufffd', '\ud800');
      expect(await sign(forged, SIGN_KEY), 'UTF-8 cannot tell them apart').toBe(signature);
      expect(await reasonOf(envelope('response', forged, signature))).toBe('malformed');
      const low = text.replace('\ufffd', '\udc00');
      expect(await reasonOf(envelope('response', low, signature))).toBe('malformed');
    });

    it('still accepts surrogate pairs, raw or escaped', async () => {
      const text = '{"header":{},"body":{"a":"\u{1f600}","b":"\\ud83d\\ude00","c":"\\ud800"}}';
      const opened = await openSigned(
        envelope('response', text, await sign(text, SIGN_KEY)),
        SIGN_KEY,
      );
      expect(opened.body).toEqual({ a: '\u{1f600}', b: '\u{1f600}', c: '\ud800' });
    });

    it('rejects trailing garbage', async () => {
      expect(await reasonOf(C + 'x')).toBe('malformed');
      expect(await reasonOf(C + '{}')).toBe('malformed');
    });

    it('rejects what is not an envelope', async () => {
      expect(await reasonOf('')).toBe('malformed');
      expect(await reasonOf('[]')).toBe('malformed');
      expect(await reasonOf('{"signature":"' + C_SIGNATURE + '"}')).toBe('missing_payload');
      expect(
        await reasonOf(
          `{"response":"${C_TEXT.replaceAll('"', '\\"')}","signature":"${C_SIGNATURE}"}`,
        ),
      ).toBe('malformed');
      expect(
        await reasonOf(`{"request":${C_TEXT},"response":${C_TEXT},"signature":"${C_SIGNATURE}"}`),
      ).toBe('malformed');
    });

    it('rejects a payload without header and body objects', async () => {
      const text = '{"header":{},"body":[]}';
      expect(await reasonOf(envelope('response', text, await sign(text, SIGN_KEY)))).toBe(
        'malformed',
      );
    });

    it('rejects a message over the size limit before reading it', async () => {
      const big = envelope(
        'response',
        C_TEXT.replace('"success"', `"${'x'.repeat(70_000)}"`),
        C_SIGNATURE,
      );
      expect(await reasonOf(big)).toBe('too_large');
      await expect(openSigned(C, SIGN_KEY, undefined, { maxLength: 100 })).rejects.toMatchObject({
        reason: 'too_large',
      });
    });

    it('rejects a parsed object instead of raw text, naming the likely fix', async () => {
      await expect(openSigned(JSON.parse(C) as string, SIGN_KEY)).rejects.toThrow(/raw body/);
    });
  });

  it('round-trips what signRequest produces', async () => {
    const request = { header: { partnerNo: '1' }, body: { title: '中文 / 😀', n: 5 } };
    const signed = await signRequest(request, 'k');
    const opened = await openSigned(signed.body, 'k');
    expect(opened.signedText).toBe(encodeJson(request));
    expect(opened.body).toEqual(request.body);
  });
});

describe('scanTopLevelMembers', () => {
  it('reports the span of every member', () => {
    const text = ' {"a" : [1, {"b":"}"}] , "c\\u0064":-1.5e3, "e":true,"f":null,"g":false} ';
    const spans = scanTopLevelMembers(text);
    expect(spans.map((s) => [s.key, text.slice(s.start, s.end)])).toEqual([
      ['a', '[1, {"b":"}"}]'],
      ['cd', '-1.5e3'],
      ['e', 'true'],
      ['f', 'null'],
      ['g', 'false'],
    ]);
    expect(scanTopLevelMembers('{}')).toEqual([]);
  });

  it.each([
    ['{"a":01}'],
    ['{"a":1,}'],
    ['{"a" 1}'],
    ['{"a":[1,]}'],
    ['{"a":[1 2]}'],
    ['{"a":"\\x"}'],
    ['{"a":"\\u12"}'],
    ['{"a":"tab\there"}'],
    ['{"a":"open'],
    ['{"a":tru}'],
    ['{a:1}'],
    ['{"a":1}}'],
    [`{"a":${'['.repeat(100)}${']'.repeat(100)}}`],
  ])('rejects %s', (text) => {
    expect(() => scanTopLevelMembers(text)).toThrow();
  });
});
