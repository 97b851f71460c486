// Wrong values the package's types must reject: each line below is a compile error.
import type { ScanForPayButton, ScanForPayOrderEvent } from '@scanforpay/button';

export function wrong(button: ScanForPayButton, event: ScanForPayOrderEvent): void {
  // @ts-expect-error `target` is '_self' | '_blank'
  button.target = '_top';
  // @ts-expect-error `wallets` is Wallet[]
  button.wallets = ['Bitcoin'];
  // @ts-expect-error the order event's detail has no `amount`
  console.log(event.detail.amount);
}
