/** @jsxImportSource preact */
// Wrong values the generated types must reject: each line below is a compile error.
import type {} from '@scanforpay/button/preact';

export const wrong = [
  // @ts-expect-error `target` is '_self' | '_blank'
  <scanforpay-button item="harbour-tee" target="_top" />,
  // @ts-expect-error `wallets` is Wallet[]
  <scanforpay-button item="harbour-tee" wallets={['Bitcoin']} />,
  // @ts-expect-error `quantity` is a number
  <scanforpay-button item="harbour-tee" quantity="2" />,
  // @ts-expect-error the order event's detail has no `amount`
  <scanforpay-button item="harbour-tee" onscanforpay-order={(e) => e.detail.amount} />,
  // @ts-expect-error `strings` has no `colse`
  <scanforpay-button item="harbour-tee" strings={{ colse: 'Done' }} />,
  // @ts-expect-error `<scanforpay-result>` has no `item`
  <scanforpay-result item="harbour-tee" />,
  // @ts-expect-error `timeout` is a number of milliseconds
  <scanforpay-result timeout="10s" />,
];
