/**
 * The API reference as one self-contained page, rendered on the proxy from the OpenAPI
 * document: no script, no CDN, one inline style (allowed by its hash), so it keeps a CSP as
 * strict as the other pages.
 */

type Json = Record<string, unknown>;

/** The page's one style; the route allows it by its sha256. */
export const REFERENCE_CSS = `
:root{color-scheme:light dark;font:15px/1.5 system-ui,sans-serif}
body{max-width:60rem;margin:0 auto;padding:1rem}
h2{margin-top:2.5rem;border-bottom:1px solid #8886}
section.op{border:1px solid #8885;border-radius:6px;padding:.25rem 1rem;margin:1rem 0}
.verb{display:inline-block;min-width:3.5rem;font:bold 13px ui-monospace,monospace;text-transform:uppercase}
.get{color:#0a7d32}.post{color:#1659c7}
code,pre{font:13px/1.4 ui-monospace,monospace}
pre{overflow:auto;background:#8881;padding:.5rem;border-radius:4px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:.2rem .5rem;border-top:1px solid #8884}
nav{display:flex;flex-wrap:wrap;gap:.25rem .75rem}
td:last-child{overflow-wrap:anywhere}
`;

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Inline `code` spans of the descriptions, the rest escaped. */
const prose = (text: unknown) =>
  typeof text === 'string' ? escape(text).replace(/`([^`]+)`/g, '<code>$1</code>') : '';

const anchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, '')}`;

/** A JSON Schema as indented JSON, each `$ref` a link to its schema on the page. */
function schemaBlock(schema: unknown): string {
  const ref = (schema as Json).$ref;
  if (typeof ref === 'string' && Object.keys(schema as Json).length === 1) {
    const name = ref.replace('#/components/schemas/', '');
    return `<p>Schema: <a href="#${anchor(name)}">${escape(name)}</a></p>`;
  }
  const text = escape(JSON.stringify(schema, null, 2));
  return `<pre>${text.replace(
    /&#34;#\/components\/schemas\/([A-Za-z0-9_]+)&#34;/g,
    (_, name: string) => `<a href="#${anchor(name)}">${name}</a>`,
  )}</pre>`;
}

function parameters(list: Json[] | undefined): string {
  if (!list?.length) return '';
  const rows = list
    .map(
      (p) =>
        `<tr><td><code>${escape(String(p.name))}</code></td><td>${escape(String(p.in))}` +
        `${p.required ? ', required' : ''}</td><td>${prose(p.description)}</td>` +
        `<td><code>${escape(JSON.stringify(p.schema))}</code></td></tr>`,
    )
    .join('');
  return `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>About</th><th>Schema</th></tr>${rows}</table>`;
}

function content(media: Json | undefined): string {
  if (!media) return '';
  return Object.entries(media)
    .map(([type, entry]) => {
      const schema = (entry as Json).schema;
      return `<p><code>${escape(type)}</code></p>${schema ? schemaBlock(schema) : ''}`;
    })
    .join('');
}

function operation(method: string, path: string, op: Json): string {
  const body = op.requestBody as Json | undefined;
  const answers = Object.entries(op.responses as Record<string, Json>)
    .map(
      ([status, answer]) =>
        `<tr><td><strong>${escape(status)}</strong></td><td>${prose(answer.description)}` +
        `${content(answer.content as Json | undefined)}</td></tr>`,
    )
    .join('');
  const security = op.security ? '<p><em>Authenticated.</em></p>' : '';
  return (
    `<section class="op" id="${escape(String(op.operationId))}">` +
    `<h3><span class="verb ${method}">${method}</span> <code>${escape(path)}</code></h3>` +
    `<p>${prose(op.summary)}</p>${op.description ? `<p>${prose(op.description)}</p>` : ''}` +
    security +
    parameters(op.parameters as Json[] | undefined) +
    (body
      ? `<h4>Request body${body.required ? '' : ' (optional)'}</h4>${
          body.description ? `<p>${prose(body.description)}</p>` : ''
        }${content(body.content as Json)}`
      : '') +
    `<h4>Answers</h4><table>${answers}</table></section>`
  );
}

/** The reference page of `document` (an OpenAPI 3.1 document as `openApiDocument` builds it). */
export function referencePage(document: Json, jsonHref: string): string {
  const info = document.info as Json;
  const tags = document.tags as { name: string; description: string }[];
  const paths = document.paths as Record<string, Record<string, Json>>;
  const schemas = (document.components as Json).schemas as Record<string, unknown>;
  const sections = tags.map(({ name, description }) => {
    const ops = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => (op.tags as string[])[0] === name)
        .map(([method, op]) => operation(method, path, op)),
    );
    return `<h2 id="tag-${escape(name)}">${escape(name)}</h2><p>${prose(description)}</p>${ops.join('')}`;
  });
  const components = Object.entries(schemas)
    .map(([name, schema]) => `<h3 id="${anchor(name)}">${escape(name)}</h3>${schemaBlock(schema)}`)
    .join('');
  const nav = tags
    .map(({ name }) => `<a href="#tag-${escape(name)}">${escape(name)}</a>`)
    .concat('<a href="#schemas">Schemas</a>')
    .join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<title>${escape(String(info.title))} API</title><style>${REFERENCE_CSS}</style></head>` +
    `<body><header><h1>${escape(String(info.title))} API <small>${escape(String(info.version))}</small></h1>` +
    `<p>${prose(info.description)}</p>` +
    `<p>OpenAPI ${escape(String(document.openapi))}: <a href="${escape(jsonHref)}">openapi.json</a></p>` +
    `<nav>${nav}</nav></header><main>${sections.join('')}` +
    `<h2 id="schemas">Schemas</h2>${components}</main></body></html>`
  );
}
