import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** Every source file of every package (tests, fixtures and generated files are not under src/). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(?:ts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

describe('source files', () => {
  it('hold one concept each: none is over 300 lines', () => {
    const files = readdirSync(`${root}packages`).flatMap((name) =>
      existsSync(`${root}packages/${name}/src`) ? sourceFiles(`${root}packages/${name}/src`) : [],
    );
    expect(files.length).toBeGreaterThan(100);
    const long = files
      .map((file) => ({
        file: file.slice(root.length),
        lines: readFileSync(file, 'utf8').trimEnd().split('\n').length,
      }))
      .filter(({ lines }) => lines > 300);
    expect(long).toEqual([]);
  });
});
