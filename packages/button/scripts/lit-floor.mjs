// The Lit floor: the Lit runtime with a trivial element (a property, styles, a template), the
// least any Lit element ships. Both elements' own code is measured above it (issue 18). Shared by
// scripts/size.mjs and the bench's figure 4 (bench/figures/bundle.mjs), so both subtract the same
// floor, built with the script-tag bundle's own pipeline (vite.bundle.config.ts).

/** The floor element's source; `lit` resolves to the button's own Lit. */
export const LIT_FLOOR_SOURCE = `import { LitElement, html, css } from 'lit';
class LitFloor extends LitElement {
  static properties = { name: { type: String } };
  static styles = css\`:host { display: inline-block; }\`;
  constructor() { super(); this.name = 'floor'; }
  render() { return html\`<button part="button">\${this.name}</button>\`; }
}
if (!customElements.get('lit-floor')) customElements.define('lit-floor', LitFloor);
`;
