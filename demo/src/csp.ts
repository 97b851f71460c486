// Served with `Content-Security-Policy: script-src 'self'; style-src 'self'` (see vite.config.ts).
import '@scanforpay/button/define';
import { setUpLanguageSwitch } from './i18n.js';
import { showPrices } from './prices.js';

showPrices();
setUpLanguageSwitch();
