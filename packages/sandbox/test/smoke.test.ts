import { describe, expect, it } from 'vitest';
import { call, makeSandbox, orderBody, recordingTransport, waitFor } from './helpers.js';

describe('smoke', () => {
  it('creates, pays and notifies', async () => {
    const rec = recordingTransport();
    const app = makeSandbox({ transport: rec.transport });
    const created = await call(app, '/api/online/create', orderBody('p1'));
    console.log(created.text);
    const pay = await app.request('/__sandbox/orders/p1/pay', { method: 'POST' });
    console.log(pay.status, await pay.text());
    await waitFor(() => rec.calls.length > 0);
    console.log(rec.calls[0]?.body);
    const q = await call(app, '/api/common/payQuery', {
      storeNo: '200000000000001',
      partnerOrderNo: 'p1',
    });
    console.log(q.text);
    expect(q.body.status).toBe(1);
    app.sandbox.dispose();
  });
});
