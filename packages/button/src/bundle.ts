// Entry of the script-tag bundle `scanforpay-button.js`, served by the proxy. It must work as a
// classic script and as `type="module"`; module scripts have no `document.currentScript`.
import { setDefaultEndpoint } from './default-endpoint.js';
import './define.js';

const script = (document.currentScript ??
  document.querySelector('script[src$="scanforpay-button.js"]')) as HTMLScriptElement | null;

// Runs before the first render of any element: Lit renders in a microtask after define().
if (script?.src) setDefaultEndpoint(new URL(script.src).origin);
