// Every item a README's snippets name is an item of the demo catalog, so each snippet works as
// written against `pnpm demo` (the README's own run).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const catalog = JSON.parse(readFileSync(join(ROOT, 'demo/catalog.json'), 'utf8')) as {
  items: { id: string }[];
};
const ids = new Set(catalog.items.map((item) => item.id));

function readmes(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return readmes(path);
    return name === 'README.md' ? [path] : [];
  });
}

/** Item ids as snippets write them: attributes, form fields, JSON members, item URLs. */
const ITEM_PATTERNS = [
  /\bitem="([^"]+)"/g,
  /name="item" value="([^"]+)"/g,
  /"(?:item|itemId|id)":\s*"([a-z0-9-]+)"/g,
  /\/items\/([a-z0-9-]+)/g,
];

/**
 * Ids the button README's diagnostics section writes wrong on purpose: a misspelled item and a
 * placeholder, to show the console lines a merchant then reads.
 */
const DELIBERATE = new Set(['harbour-tea', '…']);

describe('README snippets', () => {
  const files = readmes(ROOT);

  it('are found', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it('name only items of the demo catalog', () => {
    const unknown: string[] = [];
    let named = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of ITEM_PATTERNS) {
        for (const [, id] of text.matchAll(pattern)) {
          named += 1;
          if (!ids.has(id!) && !DELIBERATE.has(id!)) unknown.push(`${relative(ROOT, file)}: ${id}`);
        }
      }
    }
    expect(named).toBeGreaterThan(20);
    expect(unknown).toEqual([]);
  });
});
