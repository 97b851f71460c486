// Body generator for the load worker: a freshly signed `/api/online/create` request per call,
// each with its own partnerOrderNo, signed synchronously (node:crypto) in the load process.
import { createHash, randomBytes } from 'node:crypto';
import { createHeader, encodeJson } from '../../packages/protocol/dist/index.js';

/** @param {{partnerNo: string, storeNo: string, signKey: string}} options */
export default function createRequests(options) {
  const prefix = randomBytes(8).toString('hex');
  let n = 0;
  return () => {
    const text = encodeJson({
      header: createHeader({ partnerNo: options.partnerNo }),
      body: {
        storeNo: options.storeNo,
        partnerOrderNo: prefix + String(++n).padStart(16, '0'),
        wallet: 'AlipayHK',
        orderAmount: 19900,
        orderTitle: 'Red tee',
        operatorId: '',
        terminalNo: '',
        currency: 'HKD',
        notifyUrl: 'http://127.0.0.1/notify',
        returnUrl: 'http://127.0.0.1/return',
        timeoutRule: '30m',
      },
    });
    const signature = createHash('sha256')
      .update(text + options.signKey, 'utf8')
      .digest('hex');
    return { body: `{"request":${text},"signature":"${signature}"}`, kind: 'create' };
  };
}
