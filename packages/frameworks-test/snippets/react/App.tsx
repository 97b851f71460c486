// React 19: the element itself, typed by the package's generated JSX types.
import { useEffect, useRef } from 'react';
import type {} from '@scanforpay/button/react-jsx';
import type { ScanForPayButton } from '@scanforpay/button';

export function Checkout({ onPaid }: { onPaid: (orderId: string) => void }) {
  const button = useRef<ScanForPayButton>(null);
  useEffect(() => {
    // Defines the elements in the browser only (the server has no customElements).
    void import('@scanforpay/button/define');
  }, []);
  return (
    <scanforpay-button
      ref={button}
      item="harbour-tee"
      wallets={['AlipayHK', 'Wechat']}
      target="_blank"
      strings={{ close: 'Done', errors: { rate_limited: 'Busy: try again in a minute.' } }}
      onscanforpay-order={(event) => onPaid(event.detail.orderId)}
      onscanforpay-error={(event) => console.warn(event.detail.code, event.detail.message)}
    />
  );
}
