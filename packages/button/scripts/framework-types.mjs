#!/usr/bin/env node
// Writes the framework types and editor data from custom-elements.json (run by `build`, after
// `cem analyze` and `tsc`):
//   dist/{react-jsx,preact,solid,svelte,vue}.d.ts (+ an empty .js each, so the subpath imports)
//   dist/vscode.html-custom-data.json, dist/vscode.css-custom-data.json  (VS Code)
//   dist/web-types.json                                                  (JetBrains IDEs)
// The editor data come from the community generators (custom-element-vs-code-integration,
// custom-element-jet-brains-integration). The type files are written here: the community JSX,
// Solid and Vue generators type a listener as `CustomEvent<EventClass>` (our events are their own
// classes), import an event class that two elements fire twice (TS2300), and type every tag
// without the framework's own HTML attributes; see docs/frameworks/README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateJetBrainsWebTypes } from 'custom-element-jet-brains-integration';
import { generateVsCodeCustomElementData } from 'custom-element-vs-code-integration';
import { FRAMEWORKS, typeFile } from './framework-templates.mjs';
import { attributeValues } from './attribute-values.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = `${ROOT}dist`;

/** The custom elements of the manifest, as the templates read them. */
export function readElements(manifest) {
  const exported = new Set(
    manifest.modules.find((m) => m.path === 'src/index.ts')?.exports?.map((e) => e.name) ?? [],
  );
  const elements = manifest.modules.flatMap((m) =>
    (m.declarations ?? []).filter((d) => d.customElement && d.tagName),
  );
  for (const element of elements) {
    for (const name of [element.name, ...(element.events ?? []).map((e) => e.type?.text)]) {
      if (!name || !exported.has(name)) {
        throw new Error(`${element.tagName}: "${name}" is not exported by src/index.ts`);
      }
    }
  }
  return elements.map((d) => ({
    className: d.name,
    tag: d.tagName,
    description: d.description?.split('\n\n')[0] ?? '',
    props: (d.members ?? [])
      .filter(
        (m) =>
          m.kind === 'field' && !m.static && !m.readonly && (m.privacy ?? 'public') === 'public',
      )
      .map((m) => ({ name: m.name, description: m.description ?? '' })),
    events: (d.events ?? []).map((e) => ({
      name: e.name,
      type: e.type.text,
      description: e.description ?? '',
    })),
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync(`${ROOT}custom-elements.json`, 'utf8'));
  const elements = readElements(manifest);
  for (const [name, framework] of Object.entries(FRAMEWORKS)) {
    writeFileSync(`${DIST}/${name}.d.ts`, typeFile(framework, elements));
    writeFileSync(`${DIST}/${name}.js`, `// Types only: see ${name}.d.ts.\nexport {};\n`);
  }
  // The editors list an attribute's values from its type: spelt out from the built declarations
  // (`target`: `_self`, `_blank`; `status`: the order statuses), none for other types.
  const values = attributeValues(`${DIST}/index.d.ts`, elements);
  const editorManifest = JSON.parse(JSON.stringify(manifest));
  for (const mod of editorManifest.modules) {
    for (const d of mod.declarations ?? []) {
      for (const a of d.attributes ?? []) {
        const listed = values.get(`${d.tagName} ${a.fieldName ?? a.name}`);
        const primitive = a.type?.text.replace(' | undefined', '') ?? 'string';
        a.htmlValues = {
          text:
            listed?.map((v) => `'${v}'`).join(' | ') ??
            (['boolean', 'number'].includes(primitive) ? primitive : 'string'),
        };
      }
    }
  }
  const quiet = { outdir: DIST, hideLogs: true, typesSrc: 'htmlValues' };
  generateVsCodeCustomElementData(editorManifest, quiet);
  generateJetBrainsWebTypes(editorManifest, { ...quiet, packageJson: false });
  console.log(
    `framework-types: ${Object.keys(FRAMEWORKS).join(', ')}, vscode custom data, web-types (${elements.length} elements)`,
  );
}
