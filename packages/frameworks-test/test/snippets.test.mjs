// Compiles every framework guide's snippet (packages/button/docs/frameworks) against the button's
// built, generated types, each with its framework's checker: TypeScript for React 19, Preact,
// Solid, Angular and the scripts of the Astro and HTML snippets; vue-tsc; svelte-check. Each
// framework also has a file of wrong values that must each be an error (`@ts-expect-error`,
// `@vue-expect-error`, or a marker line for Svelte), so a type that is too loose fails here.
// The button must be built (`pnpm build`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkMarkup } from './markup.mjs';
import { typeCheck } from './typescript.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SNIPPETS = join(ROOT, 'snippets');
const EXTRACTED = join(ROOT, 'extracted');
const GUIDES = join(ROOT, '../button/docs/frameworks');
const BIN = join(ROOT, 'node_modules/.bin');
const read = (path) => readFileSync(path, 'utf8');

/** Runs a checker; resolves to its exit code and output. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(join(BIN, command), args, { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

// The two framework checkers run in their own processes while TypeScript checks in this one.
const vue = run('vue-tsc', ['-p', 'snippets/vue/tsconfig.json']);
const svelte = run('svelte-check', [
  ...['--workspace', 'snippets/svelte', '--tsconfig', join(SNIPPETS, 'svelte/tsconfig.json')],
  ...['--output', 'machine', '--fail-on-warnings'],
]);

/** The part of an .astro or .html file between `open` and `close`, or ''. */
function between(text, open, close) {
  const start = text.indexOf(open);
  return start < 0 ? '' : text.slice(start + open.length, text.indexOf(close, start + open.length));
}

before(() => {
  // Astro's frontmatter and its <script> are TypeScript; the HTML page's module script is
  // JavaScript, typed by the bundle's globals (`HTMLElementTagNameMap`, the events' map).
  rmSync(EXTRACTED, { recursive: true, force: true });
  mkdirSync(EXTRACTED);
  const astro = read(join(SNIPPETS, 'astro/Pay.astro'));
  writeFileSync(
    join(EXTRACTED, 'astro-frontmatter.ts'),
    `${between(astro, '---\n', '---\n')}export {};\n`,
  );
  writeFileSync(join(EXTRACTED, 'astro-script.ts'), between(astro, '<script>', '</script>'));
  const html = read(join(SNIPPETS, 'html/index.html'));
  writeFileSync(
    join(EXTRACTED, 'html-script.js'),
    `/// <reference types="@scanforpay/button/define" />\n${between(html, '<script type="module">', '</script>')}`,
  );
});

// Not left behind for ESLint, which would look for them in a tsconfig.
after(() => rmSync(EXTRACTED, { recursive: true, force: true }));

test('React 19, Preact, Solid, Angular, Astro and HTML snippets type-check, and their wrong values do not', () => {
  const { errors, checked } = typeCheck(join(SNIPPETS, 'tsconfig.json'), (file) =>
    /\/button\/dist\/[\w-]+\.d\.ts$/.test(file),
  );
  assert.equal(errors, '');
  const names = checked.map((f) => f.replace(/^.*\/(packages|frameworks-test)\//, ''));
  for (const expected of [
    'snippets/react/App.tsx',
    'snippets/react/wrong.tsx',
    'snippets/preact/wrong.tsx',
    'snippets/solid/wrong.tsx',
    'snippets/angular/checkout.component.ts',
    'extracted/astro-script.ts',
    'extracted/html-script.js',
    'button/dist/react-jsx.d.ts',
    'button/dist/preact.d.ts',
    'button/dist/solid.d.ts',
    'button/dist/vue.d.ts',
    'button/dist/svelte.d.ts',
  ]) {
    assert.ok(
      names.some((n) => n.endsWith(expected)),
      `${expected} was not checked`,
    );
  }
});

test('Vue: vue-tsc passes the SFC and rejects each wrong value (@vue-expect-error)', async () => {
  const { code, out } = await vue;
  assert.equal(out.trim(), '');
  assert.equal(code, 0);
});

test('Svelte: svelte-check passes the component and reports each wrong value', async () => {
  const { out } = await svelte;
  const errors = [...out.matchAll(/^\d+ (ERROR|WARNING) "([^"]+)" (\d+):\d+ (.*)$/gm)].map(
    ([, kind, file, line]) => `${kind} ${file}:${line}`,
  );
  const wrong = read(join(SNIPPETS, 'svelte/Wrong.svelte')).split('\n');
  const expected = wrong.flatMap((line, i) =>
    line.startsWith('<!-- expect-error') ? [`ERROR Wrong.svelte:${i + 2}`] : [],
  );
  assert.equal(expected.length, 6);
  assert.deepEqual(errors, expected, out);
  assert.match(out, /COMPLETED \d+ FILES 6 ERRORS 0 WARNINGS 1 FILES_WITH_PROBLEMS/);
});

test('the HTML and Astro markup uses only attributes and values the editor data lists', () => {
  const data = JSON.parse(
    read(join(ROOT, 'node_modules/@scanforpay/button/dist/vscode.html-custom-data.json')),
  );
  for (const file of ['html/index.html', 'astro/Pay.astro']) {
    assert.deepEqual(checkMarkup(read(join(SNIPPETS, file)), data), [], file);
  }
  // A check that can fail: a wrong value, an unknown attribute, a wrong wallet in a list.
  assert.deepEqual(
    checkMarkup(
      '<scanforpay-button item="a" target="_top" colour="red" wallets="AlipayHK Bitcoin"></scanforpay-button>',
      data,
    ),
    [
      '<scanforpay-button target>: "_top" is not one of _self, _blank',
      '<scanforpay-button> has no attribute "colour"',
      '<scanforpay-button wallets>: "Bitcoin" is not one of Alipay, AlipayHK, Wechat',
    ],
  );
});

test('each guide shows its snippet files as they are compiled', () => {
  const shown = new Set();
  for (const guide of readdirSync(GUIDES).filter((f) => f.endsWith('.md'))) {
    const text = read(join(GUIDES, guide));
    for (const [, file, block] of text.matchAll(
      /<!-- snippet: (\S+) -->\n+```\w*\n([\s\S]*?)```/g,
    )) {
      // The pragma stands in for the tsconfig's `jsxImportSource`, which the guide shows.
      const source = read(join(SNIPPETS, file)).replace(/^\/\*\* @jsxImportSource \S+ \*\/\n/, '');
      assert.equal(block, source, `${guide} shows ${file} differently`);
      shown.add(file);
    }
  }
  assert.deepEqual([...shown].sort(), [
    'angular/checkout.component.ts',
    'astro/Pay.astro',
    'html/index.html',
    'preact/App.tsx',
    'react/App.tsx',
    'solid/App.tsx',
    'svelte/Pay.svelte',
    'vue/Pay.vue',
  ]);
});
