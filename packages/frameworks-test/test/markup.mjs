// Reads the custom elements out of HTML or Astro markup and checks each attribute against the
// editor data the button ships (dist/vscode.html-custom-data.json): the name must be one the
// element has (or a global attribute), and a value one the data lists, when it lists values.

const GLOBAL =
  /^(id|class|style|slot|part|exportparts|hidden|title|dir|lang|tabindex|data-.+|aria-.+)$/;

/**
 * @param {string} markup
 * @param {{ tags: { name: string, attributes: { name: string, values?: { name: string }[] }[] }[] }} data
 * @returns {string[]} one line per problem; none when the markup is right
 */
export function checkMarkup(markup, data) {
  const problems = [];
  const tags = new Map(data.tags.map((t) => [t.name, t]));
  for (const [, tagName, attributes] of markup.matchAll(/<([a-z]+-[a-z-]+)\b([^>]*)>/g)) {
    const tag = tags.get(tagName);
    if (!tag) continue;
    for (const [, name, , value] of attributes.matchAll(/([\w:-]+)(=("[^"]*"|\{[^}]*\}))?/g)) {
      const known = tag.attributes.find((a) => a.name === name);
      if (!known) {
        if (!GLOBAL.test(name)) problems.push(`<${tagName}> has no attribute "${name}"`);
        continue;
      }
      const allowed = known.values?.map((v) => v.name) ?? [];
      if (allowed.length === 0 || !value?.startsWith('"')) continue;
      for (const token of value
        .slice(1, -1)
        .split(/[\s,]+/)
        .filter(Boolean)) {
        if (!allowed.includes(token)) {
          problems.push(`<${tagName} ${name}>: "${token}" is not one of ${allowed.join(', ')}`);
        }
      }
    }
  }
  return problems;
}
