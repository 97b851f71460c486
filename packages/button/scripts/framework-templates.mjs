// The text of each framework's type file, from the elements read off the manifest by
// scripts/framework-types.mjs. Each file augments one framework's own JSX (or component) types
// and imports the element and event classes from the package's index, so a property is typed
// exactly as the class declares it (`wallets?: ScanForPayButton['wallets']` is `Wallet[]`).

/**
 * @typedef {{ name: string, description: string }} Prop
 * @typedef {{ name: string, type: string, description: string }} Event
 * @typedef {{ className: string, tag: string, description: string, props: Prop[], events: Event[] }} Element
 * @typedef {{ title: string, use: string, prelude: string, propsName: (e: Element) => string,
 *   propKey?: (p: Prop) => string[], eventKey: (e: Event) => string, body: (els: Element[]) => string }} Framework
 */

const HEADER =
  '// Generated from custom-elements.json by scripts/framework-types.mjs: do not edit.';

/** A doc comment, indented; a star-slash in the text cannot end it. */
export function doc(text, indent = '') {
  const lines = text.trim().replaceAll('*/', '*\\/').split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

const pascal = (name) => name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());

/** @type {Record<string, Framework>} */
export const FRAMEWORKS = {
  'react-jsx': {
    title: 'React 19 JSX',
    use: "import type {} from '@scanforpay/button/react-jsx';",
    prelude: "import type { DetailedHTMLProps, HTMLAttributes } from 'react';",
    propsName: (e) => `${e.className}ReactProps`,
    eventKey: (e) => `on${e.name}`,
    body: (
      els,
    ) => `type Intrinsic<E, P> = Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, keyof P> & P;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${intrinsic(els, (e) => `Intrinsic<${e.className}, ${e.className}ReactProps>`, '      ')}    }
  }
}`,
  },
  preact: {
    title: 'Preact JSX',
    use: "import type {} from '@scanforpay/button/preact';",
    // Preact 10.29 and 11 export the attribute types from the package (11 no longer from `JSX`).
    prelude: "import type { HTMLAttributes } from 'preact';",
    propsName: (e) => `${e.className}PreactProps`,
    eventKey: (e) => `on${e.name}`,
    body: (els) => `type Intrinsic<E extends EventTarget, P> = Omit<HTMLAttributes<E>, keyof P> & P;

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
${intrinsic(els, (e) => `Intrinsic<${e.className}, ${e.className}PreactProps>`, '      ')}    }
  }
}`,
  },
  solid: {
    title: 'Solid JSX',
    use: "import type {} from '@scanforpay/button/solid';",
    prelude: "import type { JSX } from 'solid-js';",
    propsName: (e) => `${e.className}SolidProps`,
    propKey: (p) => [p.name, `prop:${p.name}`],
    eventKey: (e) => `on:${e.name}`,
    body: (els) => `type Intrinsic<E, P> = Omit<JSX.HTMLAttributes<E>, keyof P> & P;

declare module 'solid-js' {
  namespace JSX {
    interface IntrinsicElements {
${intrinsic(els, (e) => `Intrinsic<${e.className}, ${e.className}SolidProps>`, '      ')}    }
  }
}`,
  },
  svelte: {
    title: 'Svelte 5',
    use: "import type {} from '@scanforpay/button/svelte';",
    prelude: "import type { HTMLAttributes } from 'svelte/elements';",
    propsName: (e) => `${e.className}SvelteProps`,
    eventKey: (e) => `on${e.name}`,
    body: (els) => `type Intrinsic<E extends EventTarget, P> = Omit<HTMLAttributes<E>, keyof P> & P;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
${intrinsic(els, (e) => `Intrinsic<${e.className}, ${e.className}SvelteProps>`, '    ')}  }
}`,
  },
  vue: {
    title: "Vue's GlobalComponents",
    use: "import type {} from '@scanforpay/button/vue';",
    prelude: "import type { DefineComponent } from 'vue';",
    propsName: (e) => `${e.className}VueProps`,
    // `@scanforpay-order` in a template is the `onScanforpayOrder` prop to Vue's checker.
    eventKey: (e) => `on${pascal(e.name)}`,
    body: (els) => `declare module 'vue' {
  interface GlobalComponents {
${intrinsic(els, (e) => `DefineComponent<${e.className}VueProps>`, '    ')}  }
}`,
  },
};

function intrinsic(elements, type, indent) {
  return elements
    .map((e) => `${doc(e.description, indent)}${indent}'${e.tag}': ${type(e)};\n`)
    .join('');
}

/**
 * One framework's type file.
 * @param {Framework} framework
 * @param {Element[]} elements
 */
export function typeFile(framework, elements) {
  const names = [
    ...new Set(elements.flatMap((e) => [e.className, ...e.events.map((v) => v.type)])),
  ];
  const interfaces = elements.map((element) => {
    const members = [
      ...element.props.flatMap((p) =>
        (framework.propKey?.(p) ?? [p.name]).map(
          (key) => `${doc(p.description, '  ')}  '${key}'?: ${element.className}['${p.name}'];\n`,
        ),
      ),
      ...element.events.map(
        (e) =>
          `${doc(`\`${e.name}\`: ${e.description}`, '  ')}  '${framework.eventKey(e)}'?: (event: ${e.type}) => void;\n`,
      ),
    ];
    return `${doc(`The properties and event listeners of \`<${element.tag}>\` in ${framework.title}.`)}export interface ${framework.propsName(element)} {\n${members.join('')}}\n`;
  });
  return `${HEADER}
${doc(`${framework.title} types for ${elements.map((e) => `\`<${e.tag}>\``).join(' and ')}. Once in the app:\n\`${framework.use}\``)}${framework.prelude}
import type { ${names.join(', ')} } from './index.js';

${interfaces.join('\n')}
${framework.body(elements)}
`;
}
