import { css } from 'lit';

/**
 * Theme tokens, spinner and error line shared by both elements. Only the button's own
 * background and text change with the colour scheme, and only when the page asks for dark: its
 * `color-scheme` (`light dark` follows the system) or the element's `theme="dark"`. Everything
 * else is text on the page's background, so it inherits the page's colour unless
 * `--scanforpay-error-color` is set.
 */
export const themeStyles = css`
  :host {
    --_bg: var(--scanforpay-background, light-dark(#0a58ca, #8ab4f8));
    --_fg: var(--scanforpay-color, light-dark(#fff, #0b1320));
    min-height: var(--scanforpay-size, 2.75rem);
    /* Unset, the custom property leaves the font inherited. */
    font-family: var(--scanforpay-font);
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  [part='spinner'] {
    padding: 0.5em;
    border: 2px solid;
    border-right-color: #0000;
    border-radius: 50%;
  }
  /* It turns only for a shopper who has not asked for less motion. */
  @media (prefers-reduced-motion: no-preference) {
    [part='spinner'] {
      animation: spin 0.8s linear infinite;
    }
  }
  @keyframes spin {
    to {
      rotate: 1turn;
    }
  }
  [part~='error'] {
    color: var(--scanforpay-error-color);
  }
  div[part='error'] {
    margin-top: 0.5em;
  }
  :focus-visible {
    outline: 2px solid var(--_bg);
    outline-offset: 2px;
  }
`;
