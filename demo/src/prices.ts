import type { ScanForPayReadyEvent } from '@scanforpay/button';
import { currentLang } from './i18n.js';
import { formatMoney } from './money.js';

/**
 * Shows each card's price as the proxy reports it (the proxy's catalog is the only source of
 * prices): a card's `[data-price]` is filled when its button fires `scanforpay-ready`.
 */
export function showPrices(): void {
  const shown = new Map<Element, { amount: number; currency: string }>();
  const render = () => {
    for (const [el, { amount, currency }] of shown) {
      el.textContent = formatMoney(amount, currency, currentLang());
    }
  };
  document.addEventListener('scanforpay-ready', (event: ScanForPayReadyEvent) => {
    const { item } = event.detail;
    const target = (event.target as Element).closest('.card')?.querySelector('[data-price]');
    if (!target || item.amount === undefined) return;
    shown.set(target, { amount: item.amount, currency: item.currency });
    render();
  });
  document.addEventListener('langchange', render);
}
