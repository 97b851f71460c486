import { toMinor } from './money.js';

/**
 * Passes the typed donation to the button as `amount` (minor units). The bounds are checked by
 * the element itself against the item the proxy serves, so nothing is duplicated here: an amount
 * outside them is refused by the element before any request.
 */
export function setUpDonation(): void {
  const input = document.querySelector<HTMLInputElement>('#donation-amount');
  const button = document.querySelector('#donation-button');
  if (!input || !button) return;
  const sync = () => {
    const minor = toMinor(input.value);
    if (Number.isNaN(minor)) button.removeAttribute('amount');
    else button.setAttribute('amount', String(minor));
  };
  input.addEventListener('input', sync);
  for (const preset of document.querySelectorAll<HTMLButtonElement>('[data-amount]')) {
    preset.addEventListener('click', () => {
      input.value = preset.dataset.amount ?? '';
      sync();
    });
  }
  sync();
}
