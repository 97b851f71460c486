// Plugins for `cem analyze` (custom-elements-manifest.config.mjs) that complete the manifest
// for the generated framework types and editor data.

/**
 * Gives each `@fires` event its class as its type: the class the source declares for that
 * event name in `GlobalEventHandlersEventMap` (`'scanforpay-order': ScanForPayOrderEvent`). An
 * event without such a declaration fails the build: the framework types could not type its
 * listeners.
 */
export function eventClassesPlugin() {
  /** @type {Map<string, string>} event name → class name */
  const classes = new Map();
  return {
    name: 'scanforpay-event-classes',
    analyzePhase({ ts, node }) {
      if (!ts.isInterfaceDeclaration(node)) return;
      if (!['GlobalEventHandlersEventMap', 'HTMLElementEventMap'].includes(node.name.text)) return;
      for (const member of node.members) {
        if (ts.isPropertySignature(member) && member.type && ts.isStringLiteral(member.name)) {
          classes.set(member.name.text, member.type.getText());
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          for (const event of declaration.events ?? []) {
            const type = classes.get(event.name);
            if (!type) {
              throw new Error(
                `${declaration.name} fires "${event.name}" but no module declares its class in GlobalEventHandlersEventMap`,
              );
            }
            event.type = { text: type };
          }
        }
      }
    },
  };
}

/**
 * Lit observes a property's attribute under its lowercased name (`maxInterval` →
 * `maxinterval`); the analyzer lists `static properties` under the property's own spelling.
 */
export function litAttributeNamesPlugin() {
  return {
    name: 'scanforpay-lit-attribute-names',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          for (const attribute of declaration.attributes ?? []) {
            const name = attribute.name.toLowerCase();
            if (name === attribute.name) continue;
            for (const member of declaration.members ?? []) {
              if (member.attribute === attribute.name) member.attribute = name;
            }
            attribute.name = name;
          }
        }
      }
    },
  };
}
