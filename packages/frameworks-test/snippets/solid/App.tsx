/** @jsxImportSource solid-js */
import '@scanforpay/button/define';
import type {} from '@scanforpay/button/solid';

export function Checkout(props: { onPaid: (orderId: string) => void }) {
  return (
    <scanforpay-button
      item="harbour-tee"
      prop:wallets={['AlipayHK', 'Wechat']}
      target="_blank"
      on:scanforpay-order={(event) => props.onPaid(event.detail.orderId)}
      on:scanforpay-error={(event) => console.warn(event.detail.code, event.detail.message)}
    />
  );
}
