// With JavaScript on, the buttons upgrade and their fallback forms disappear; with it off, the
// forms inside them post to the proxy's /checkout.
import '@scanforpay/button/define';
