import { describe, expect, it } from 'vitest';
import { openNotification, sign, ValidationError } from '@scanforpay/protocol';
import {
  A_SIGNATURE,
  A_TEXT,
  D_SIGNATURE,
  D_TEXT,
  SIGN_KEY,
  envelope,
} from './fixtures/vectors.js';

describe('openNotification', () => {
  it('opens vector D with typed fields', async () => {
    const note = await openNotification(envelope('response', D_TEXT, D_SIGNATURE), SIGN_KEY, {
      partnerNo: '100000000000001',
    });
    expect(note.body).toEqual({
      code: 1,
      msg: 'success',
      orderNo: '2405011003000001',
      partnerOrderNo: '240501100000123',
      payTime: '2024-05-01T10:03:10+08:00',
      orderAmount: 1999,
      wallet: 'AlipayHK',
      currency: 'HKD',
      status: 1,
    });
    expect(note.signedText).toBe(D_TEXT);
  });

  it('refuses a notification for another partner', async () => {
    await expect(
      openNotification(envelope('response', D_TEXT, D_SIGNATURE), SIGN_KEY, { partnerNo: '999' }),
    ).rejects.toMatchObject({ name: 'SignatureError', reason: 'partner_mismatch' });
  });

  it('refuses a request envelope', async () => {
    await expect(
      openNotification(envelope('request', A_TEXT, A_SIGNATURE), SIGN_KEY),
    ).rejects.toMatchObject({
      reason: 'unexpected_kind',
    });
  });

  it('refuses a signed body with undocumented values', async () => {
    const text = D_TEXT.replace('"status":1', '"status":7').replace(
      '"orderAmount":1999',
      '"orderAmount":19.99',
    );
    const error = await openNotification(
      envelope('response', text, await sign(text, SIGN_KEY)),
      SIGN_KEY,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'body.orderAmount',
      'body.status',
    ]);
  });

  it('refuses a partnerOrderNo whose signed U+FFFD was swapped for a lone surrogate', async () => {
    const text = D_TEXT.replace('"240501100000123"', '"24050110000012\ufffd"');
    const signature = await sign(text, SIGN_KEY);
    const forged = envelope('response', text.replace('\ufffd', '\ud800'), signature);
    await expect(openNotification(forged, SIGN_KEY)).rejects.toMatchObject({
      name: 'SignatureError',
      reason: 'malformed',
    });
  });

  it('honours a size limit', async () => {
    await expect(
      openNotification(envelope('response', D_TEXT, D_SIGNATURE), SIGN_KEY, { maxLength: 64 }),
    ).rejects.toMatchObject({ reason: 'too_large' });
  });
});
