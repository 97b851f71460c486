import { Component, CUSTOM_ELEMENTS_SCHEMA, viewChild, type ElementRef } from '@angular/core';
import '@scanforpay/button/define';
import type { ScanForPayButton, ScanForPayOrderEvent } from '@scanforpay/button';

@Component({
  selector: 'app-checkout',
  // Lets the template use elements Angular does not know.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <scanforpay-button
      #pay
      item="harbour-tee"
      [wallets]="wallets"
      target="_blank"
      (scanforpay-order)="onOrder($event)"
    ></scanforpay-button>
  `,
})
export class CheckoutComponent {
  readonly wallets: ScanForPayButton['wallets'] = ['AlipayHK', 'Wechat'];
  readonly pay = viewChild.required<ElementRef<ScanForPayButton>>('pay');

  onOrder(event: ScanForPayOrderEvent): void {
    console.log(event.detail.orderId, this.pay().nativeElement.item);
  }
}
