import '@scanforpay/button/define';
import { setUpDonation } from './donation.js';
import { setUpLanguageSwitch } from './i18n.js';
import { showPrices } from './prices.js';

showPrices();
setUpLanguageSwitch();
setUpDonation();
