import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const map = readFileSync(`${root}ARCHITECTURE.md`, 'utf8');

/** Every backticked path in the code map: a `/` in it, ending in .ts, .js or .md. */
const paths = [...map.matchAll(/`([^`\s]+\/[^`\s]+\.(?:ts|js|md))`/g)].map((m) => m[1]!);

describe('ARCHITECTURE.md', () => {
  it('names files', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it('names only files that exist', () => {
    expect(paths.filter((path) => !existsSync(`${root}${path}`))).toEqual([]);
  });
});
