import type { ScanForPayButton } from '@scanforpay/button';

/**
 * The suggested amounts of the donation card. The element shows its own amount field for an
 * open-amount item (it validates what the shopper types against the bounds the proxy serves);
 * a suggestion only sets the element's `amount` property, in minor units, and the field follows.
 */
export function setUpDonation(): void {
  const button = document.querySelector<ScanForPayButton>('#donation-button');
  if (!button) return;
  button.amount = 10000;
  for (const preset of document.querySelectorAll<HTMLButtonElement>('[data-amount]')) {
    preset.addEventListener('click', () => {
      button.amount = Number(preset.dataset.amount) * 100;
    });
  }
}
