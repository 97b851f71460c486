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
  'small{display:block;opacity:.75}',
  // An amount the shopper must fix: the field's border and the bounds line in the error colour
  // (red, with enough contrast on a light or a dark page), over the field's own border.
  '[part=amount] [aria-invalid=true]{border-color:var(--_error)}',
  '[part~=invalid]{color:var(--_error);opacity:1}',
  ':host{--_error:var(--scanforpay-error-color,light-dark(#c5221f,#f28b82))}',
  'input{accent-color:var(--_bg)}',
  'dialog{text-align:center}',
].join('');
