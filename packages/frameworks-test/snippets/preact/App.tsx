/** @jsxImportSource preact */
import '@scanforpay/button/define';
import type {} from '@scanforpay/button/preact';

export function Checkout({ onPaid }: { onPaid: (orderId: string) => void }) {
  return (
    <scanforpay-button
      item="harbour-tee"
      wallets={['AlipayHK', 'Wechat']}
      target="_blank"
      onscanforpay-order={(event) => onPaid(event.detail.orderId)}
      onscanforpay-error={(event) => console.warn(event.detail.code, event.detail.message)}
    />
  );
}
