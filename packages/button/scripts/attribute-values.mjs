// The values an editor may offer for an attribute, read with TypeScript's checker from the built
// declarations: a property typed as a union of string literals, or an array of one (`wallets`),
// through any alias (`ResultStatus`). The manifest keeps only the alias's name.
import ts from 'typescript';

/**
 * @param {string} indexDts the package's built `index.d.ts`
 * @param {{ className: string, tag: string, props: { name: string }[] }[]} elements
 * @returns {Map<string, string[]>} `"<tag> <property>"` → its string values
 */
export function attributeValues(indexDts, elements) {
  const program = ts.createProgram([indexDts], { strict: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(indexDts);
  if (!index) throw new Error(`attribute-values: cannot read ${indexDts}`);
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(index));
  const values = new Map();
  for (const element of elements) {
    const symbol = exports.find((s) => s.name === element.className);
    if (!symbol) continue;
    const instance = checker.getDeclaredTypeOfSymbol(checker.getAliasedSymbol(symbol));
    for (const prop of element.props) {
      const property = instance.getProperty(prop.name);
      if (!property) continue;
      let type = checker.getNonNullableType(checker.getTypeOfSymbol(property));
      if (checker.isArrayType(type)) type = checker.getTypeArguments(type)[0];
      const parts = type.isUnion() ? type.types : [type];
      if (parts.every((t) => t.isStringLiteral())) {
        values.set(
          `${element.tag} ${prop.name}`,
          parts.map((t) => t.value),
        );
      }
    }
  }
  return values;
}
