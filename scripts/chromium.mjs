// Debian's Chromium, headless, as every browser run in this repository launches it (button tests,
// demo end-to-end tests, the click benchmark). Never lets a tool download a browser.

/** `CHROME_PATH` (or `CHROMIUM_PATH`) when set, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH =
  process.env.CHROME_PATH ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet, sandbox-less headless run on CI machines. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
