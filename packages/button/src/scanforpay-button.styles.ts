import { adoptStyles, css, unsafeCSS } from 'lit';
import { themeStyles } from './theme.styles.js';

// What must look right before the proxy answers: the pay button (and, from the theme, its
// spinner and colours). The styles of the parts an offer brings (wallet tiles, the amount field,
// the notice, the dialog) come with the offer, as its css member (domain/offer-styles.ts in the server).
// The wallet choice is a native radio group: keyboard, focus and screen readers for free. The
// dialog is a native modal <dialog>: focus stays inside, Escape closes it.
export const buttonStyles = [
  themeStyles,
  css`
    :host {
      display: inline-block;
    }
    [part='button'] {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 0.5em;
      width: 100%;
      min-height: var(--scanforpay-size, 2.75rem);
      padding: 0 1.25em;
      border: 0;
      border-radius: var(--scanforpay-radius, 0.5rem);
      background: var(--_bg);
      color: var(--_fg);
      font: inherit;
      font-weight: 600;
    }
    :disabled {
      opacity: 0.7;
    }
  `,
];

/**
 * The offer's parts come with their styles (the item answer's css): adopted next to the
 * element's own, as a constructed stylesheet (a strict CSP allows it, as it does the rest).
 */
export function adoptOfferStyles(root: ShadowRoot, offer = ''): void {
  adoptStyles(root, [...buttonStyles, unsafeCSS(offer)]);
}
