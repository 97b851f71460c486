import { css } from 'lit';
import { themeStyles } from './theme.styles.js';

export const resultStyles = [
  themeStyles,
  css`
    :host {
      display: block;
    }
    [part='again'] {
      display: inline-block;
      margin-top: 0.5em;
      padding: 0.4em 1em;
      border: 1px solid;
      border-radius: var(--scanforpay-radius, 0.5rem);
      color: inherit;
      text-decoration: none;
    }
    [part='status'] {
      display: flex;
      align-items: center;
      gap: 0.5em;
      font-weight: 600;
    }
  `,
];
