import { css } from 'lit';
import { themeStyles } from './theme.styles.js';

// The wallet choice is a native radio group: keyboard, focus and screen readers for free.
export const buttonStyles = [
  themeStyles,
  css`
    :host {
      display: inline-block;
    }
    [part='wallets'] {
      display: flex;
      flex-wrap: wrap;
      gap: 0 1em;
      margin-bottom: 0.5em;
    }
    input {
      accent-color: var(--_bg);
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
