// `cem analyze` settings. The plugins keep the public API only: events documented with `@fires`
// (the analyzer also guesses events from `dispatchEvent(new …)` and names them after arguments),
// and no private members or internal state (which `static properties` would list as attributes).
// They also complete what the framework types and editor data (scripts/framework-types.mjs) read:
// each event's class, and Lit's lowercase attribute names.
import { eventClassesPlugin, litAttributeNamesPlugin } from './scripts/cem-plugins.mjs';

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/bundle.ts', 'src/react.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'scanforpay-public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            const isPublic = (m) => !/^[_#]/.test(m.name ?? '') && m.privacy !== 'private';
            declaration.members &&= declaration.members.filter(isPublic);
            declaration.attributes &&= declaration.attributes.filter(isPublic);
            declaration.events &&= declaration.events.filter((e) =>
              e.name?.startsWith('scanforpay-'),
            );
          }
        }
      },
    },
    eventClassesPlugin(),
    litAttributeNamesPlugin(),
  ],
};
