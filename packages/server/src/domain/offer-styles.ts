/**
 * The styles of the parts an offer brings into `<scanforpay-button>`: the wallet tiles, the
 * amount field, the in-app notice and the desktop dialog. They are sent with the offer (the
 * item answer's `css`) so that they stay out of the shopper's script, and the button adopts them
 * as a constructed stylesheet, which a strict Content-Security-Policy allows as it does the
 * button's own styles. What must look right before any answer (the pay button, its spinner, the
 * theme tokens `--_bg`/`--_fg`) stays in the script. Every value is themable through the
 * button's custom properties and parts (its README, "Theming").
 */
export const OFFER_CSS = [
  '[part=wallets],[part=amount]{display:grid;gap:.5em;margin-bottom:.5em}',
  '[part=wallet],[part=amount] input{display:flex;align-items:center;gap:.5em;min-height:44px;padding:.25em .75em;border:1px solid #8888;border-radius:var(--scanforpay-radius,.5rem);font:inherit}',
  '[part=wallet]{cursor:pointer}',
  '[part=wallet]:hover{border-color:var(--_bg)}',
  '[part=wallet]:has(:checked){border-color:var(--_bg);box-shadow:inset 0 0 0 1px var(--_bg)}',
  '[aria-invalid=true]{border-color:var(--scanforpay-error-color,#c5221f)}',
  '[part~=invalid]{color:var(--scanforpay-error-color)}',
  'small{display:block;opacity:.75}',
  'input{accent-color:var(--_bg)}',
  'dialog{text-align:center}',
].join('');
