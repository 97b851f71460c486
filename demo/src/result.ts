import '@scanforpay/button/define';
import type { ScanForPayStatusEvent } from '@scanforpay/button';
import { applyLang, currentLang, setUpLanguageSwitch } from './i18n.js';

const TITLES: Partial<Record<string, string>> = {
  paid: 'result.paid',
  failed: 'result.failed',
  expired: 'result.failed',
  cancelled: 'result.failed',
};

setUpLanguageSwitch();

const orderId = new URLSearchParams(location.search).get('order');
const ref = document.querySelector<HTMLElement>('#order-ref');
const id = document.querySelector('#order-id');
if (orderId && ref && id) {
  id.textContent = orderId;
  ref.hidden = false;
}

const title = document.querySelector<HTMLElement>('#result-title');
const icon = document.querySelector<HTMLImageElement>('#result-icon');
document.addEventListener('scanforpay-status', (event: ScanForPayStatusEvent) => {
  const key = TITLES[event.detail.status];
  if (!title || !key) return;
  title.dataset.i18n = key;
  applyLang(currentLang());
  if (icon) icon.src = event.detail.status === 'paid' ? '/images/paid.svg' : '/images/not-paid.svg';
});
