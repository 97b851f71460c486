import { css } from 'lit';
import { themeStyles } from './theme.styles.js';

// The wallet choice is a native radio group: keyboard, focus and screen readers for free; each
// radio sits in a tile (its label). The dialog is a native modal <dialog>: focus stays inside,
// Escape closes it and focus goes back to the pay button.
export const buttonStyles = [
  themeStyles,
  css`
    :host {
      display: inline-block;
    }
    [part='wallets'],
    [part='amount'] {
      display: grid;
      gap: 0.5em;
      margin-bottom: 0.5em;
    }
    [part='wallet'],
    input:not([type]) {
      display: flex;
      align-items: center;
      gap: 0.5em;
      min-height: 44px;
      padding: 0.25em 0.75em;
      border: 1px solid #8888;
      border-radius: var(--scanforpay-radius, 0.5rem);
      font: inherit;
      cursor: pointer;
    }
    [aria-invalid='true'] {
      border-color: var(--scanforpay-error-color, #c5221f);
    }
    [part='wallet']:hover {
      border-color: var(--_bg);
    }
    [part='wallet']:has(:checked) {
      border-color: var(--_bg);
      box-shadow: inset 0 0 0 1px var(--_bg);
    }
    small {
      display: block;
      opacity: 0.75;
    }
    input {
      accent-color: var(--_bg);
    }
    dialog {
      text-align: center;
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
