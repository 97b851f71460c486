import type { Plugin } from 'vite';

// Collapses the whitespace that formatting puts inside Lit's css`` and html`` literals, at build
// time only. A small scanner instead of a dependency: it follows `${…}` nesting, nested
// templates and quoted strings, which is all the element sources use.

type Kind = 'css' | 'html' | undefined;

function minifyCss(text: string): string {
  return text
    .replace(/\/\*[^]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .replace(/\[([\w-]+)(~?=)'([a-z][\w-]*)'\]/g, '[$1$2$3]')
    .replace(/([^\w.])0\./g, '$1.')
    .trim();
}

// The formatting whitespace goes; a void element's `/>` becomes `>` (HTML needs no slash), a
// one-word static attribute value loses its quotes, an empty one its `=""`.
function minifyHtml(text: string): string {
  return text
    .replace(/>\s*\n\s*</g, '><')
    .replace(/^\s*\n\s*(?=<)/, '')
    .replace(/(?<=>)\s*\n\s*$/, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\s+>/g, '>')
    .replace(/ ?\/>/g, '>')
    .replace(/(\s[\w-]+)="([\w-]+)"/g, '$1=$2')
    .replace(/(\s[\w-]+)=""/g, '$1');
}

function minifyChunk(text: string, kind: Kind): string {
  return kind === 'css' ? minifyCss(text) : kind === 'html' ? minifyHtml(text) : text;
}

/** Reads a template literal whose text starts at `start`; returns it and the index past it. */
function template(code: string, start: number, kind: Kind): [string, number] {
  let out = '';
  let chunk = '';
  let i = start;
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') {
      chunk += code.slice(i, i + 2);
      i += 2;
    } else if (c === '`') {
      return [out + minifyChunk(chunk, kind) + '`', i + 1];
    } else if (c === '$' && code[i + 1] === '{') {
      const [inner, end] = expression(code, i + 2);
      out += minifyChunk(chunk, kind) + '${' + inner + '}';
      chunk = '';
      i = end;
    } else {
      chunk += c;
      i++;
    }
  }
  throw new Error('minify-literals: unterminated template literal');
}

/** Reads an expression up to its closing `}`; returns it and the index past that brace. */
function expression(code: string, start: number): [string, number] {
  let out = '';
  let depth = 0;
  let i = start;
  while (i < code.length) {
    const c = code[i]!;
    if (c === '}' && depth === 0) return [out, i + 1];
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === '`') {
      const tag = /(css|html)$/.exec(out)?.[1] as Kind;
      const [text, end] = template(code, i + 1, tag);
      out += '`' + text;
      i = end;
    } else if (c === "'" || c === '"') {
      const end = code.indexOf(c, i + 1) + 1;
      out += code.slice(i, end);
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  throw new Error('minify-literals: unterminated expression');
}

export function minifyLiterals(code: string): string {
  let out = '';
  let i = 0;
  const tagged = /\b(css|html)`/g;
  for (let m = tagged.exec(code); m; m = tagged.exec(code)) {
    const [text, end] = template(code, m.index + m[0].length, m[1] as Kind);
    out += code.slice(i, m.index + m[0].length) + text;
    i = tagged.lastIndex = end;
  }
  return out + code.slice(i);
}

export function minifyLiteralsPlugin(): Plugin {
  return {
    name: 'scanforpay:minify-literals',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/[^?]*\.ts$/.test(id) || !/(css|html)`/.test(code)) return null;
      return { code: minifyLiterals(code), map: null };
    },
  };
}
