import { css } from 'lit';
import { themeStyles } from './theme.styles.js';

export const resultStyles = [
  themeStyles,
  css`
    :host {
      display: block;
    }
    [part='status'] {
      display: flex;
      align-items: center;
      gap: 0.5em;
      font-weight: 600;
    }
  `,
];
