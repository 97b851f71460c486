import { describe, expect, it } from 'vitest';
import {
  createHeader,
  formatTime,
  randomHex,
  sign,
  signRequest,
  signResponse,
  webCryptoSha256,
} from '@scanforpay/protocol';
import {
  A_REQUEST,
  A_SIGNATURE,
  A_TEXT,
  A_UNESCAPED_SIGNATURE,
  B_REQUEST,
  B_SIGNATURE,
  B_TEXT,
  C_SIGNATURE,
  C_TEXT,
  D_SIGNATURE,
  D_TEXT,
  SIGN_KEY,
  envelope,
  pluginCheck,
} from './fixtures/vectors.js';

describe('sign', () => {
  it('is sha256hex(text + key), lowercase', async () => {
    expect(await sign(A_TEXT, SIGN_KEY)).toBe(A_SIGNATURE);
    expect(await sign(B_TEXT, SIGN_KEY)).toBe(B_SIGNATURE);
    expect(await sign(C_TEXT, SIGN_KEY)).toBe(C_SIGNATURE);
    expect(await sign(D_TEXT, SIGN_KEY)).toBe(D_SIGNATURE);
  });

  it('depends on the byte format: JSON.stringify output hashes differently', async () => {
    expect(await sign(JSON.stringify(A_REQUEST), SIGN_KEY)).toBe(A_UNESCAPED_SIGNATURE);
  });

  it('uses an injected hash', async () => {
    const seen: string[] = [];
    const hash = (text: string) => {
      seen.push(text);
      return Promise.resolve('ab'.repeat(32));
    };
    expect(await sign('x', 'k', hash)).toBe('ab'.repeat(32));
    expect(seen).toEqual(['xk']);
  });
});

describe('signRequest', () => {
  it('reproduces vector A: text, signature and exact HTTP body', async () => {
    const signed = await signRequest(A_REQUEST, SIGN_KEY);
    expect(signed.text).toBe(A_TEXT);
    expect(signed.signature).toBe(A_SIGNATURE);
    expect(signed.body).toBe(`{"request":${A_TEXT},"signature":"${A_SIGNATURE}"}`);
  });

  it('reproduces vector B', async () => {
    const signed = await signRequest(B_REQUEST, SIGN_KEY);
    expect(signed.text).toBe(B_TEXT);
    expect(signed.signature).toBe(B_SIGNATURE);
    expect(signed.body).toBe(envelope('request', B_TEXT, B_SIGNATURE));
  });
});

describe('signResponse', () => {
  it('emits the compact envelope the production plugin accepts', async () => {
    const response = JSON.parse(D_TEXT) as { header: object; body: object };
    const signed = await signResponse(response, SIGN_KEY);
    expect(signed.body.startsWith('{"response":{')).toBe(true);
    expect(signed.body.endsWith(`,"signature":"${signed.signature}"}`)).toBe(true);
    expect(await pluginCheck(signed.body, SIGN_KEY, webCryptoSha256)).toBe(true);
  });

  it('passes the plugin check for vectors C and D as transmitted', async () => {
    expect(
      await pluginCheck(envelope('response', C_TEXT, C_SIGNATURE), SIGN_KEY, webCryptoSha256),
    ).toBe(true);
    expect(
      await pluginCheck(envelope('response', D_TEXT, D_SIGNATURE), SIGN_KEY, webCryptoSha256),
    ).toBe(true);
    expect(
      await pluginCheck(
        envelope('response', D_TEXT, D_SIGNATURE) + '\n',
        SIGN_KEY,
        webCryptoSha256,
      ),
    ).toBe(false);
  });
});

describe('createHeader', () => {
  it('builds the header in the documented key order', () => {
    const header = createHeader({
      partnerNo: '100000000000001',
      now: new Date('2024-05-01T02:00:00Z'),
      reqMsgId: 'abc',
    });
    expect(Object.keys(header)).toEqual([
      'version',
      'partnerNo',
      'reqMsgId',
      'reqTime',
      'signType',
    ]);
    expect(header).toEqual({
      version: '1.0',
      partnerNo: '100000000000001',
      reqMsgId: 'abc',
      reqTime: '2024-05-01T10:00:00+08:00',
      signType: 'SHA256',
    });
  });

  it('defaults reqMsgId to 32 fresh lowercase hex characters', () => {
    const a = createHeader({ partnerNo: '1' }).reqMsgId;
    const b = createHeader({ partnerNo: '1' }).reqMsgId;
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
    expect(randomHex(4)).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('formatTime', () => {
  it('writes RFC 3339 at +08:00, crossing the date line correctly', () => {
    expect(formatTime(new Date('2024-12-31T16:00:00.999Z'))).toBe('2025-01-01T00:00:00+08:00');
    expect(formatTime(new Date('2024-02-29T15:59:59Z'))).toBe('2024-02-29T23:59:59+08:00');
    expect(formatTime(new Date(0))).toHaveLength(25);
  });
});
