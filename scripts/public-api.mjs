// The public API of an entry file as the TypeScript compiler sees it: each exported name with
// its kind, so an export snapshot test also catches a type that appears or disappears.
import ts from 'typescript';

/**
 * @param {string} entry absolute path of a package's entry source (`src/index.ts`)
 * @returns {string[]} `"<kind> <name>"`, sorted by name; kind is class, function, const or type
 */
export function listExports(entry) {
  return listEntryExports([entry])[0];
}

/**
 * `listExports` for several entries of one package, with one compiler program (much faster).
 * @param {readonly string[]} entries absolute paths of entry sources
 * @returns {string[][]} one list per entry, in the same order
 */
export function listEntryExports(entries) {
  const program = ts.createProgram([...entries], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  return entries.map((entry) => {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry}: not a module`);
    return checker
      .getExportsOfModule(module)
      .map((symbol) => `${kindOf(checker, symbol)} ${symbol.name}`)
      .sort((x, y) => nameOf(x).localeCompare(nameOf(y), 'en'));
  });
}

/** @param {ts.TypeChecker} checker @param {ts.Symbol} symbol */
function kindOf(checker, symbol) {
  if (isTypeOnlyExport(symbol)) return 'type';
  // `export default <expression>`: a value with no declaration of its own.
  if ((symbol.declarations ?? []).some((d) => ts.isExportAssignment(d))) return 'const';
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const flags = target.flags;
  if (flags & ts.SymbolFlags.Class) return 'class';
  if (flags & ts.SymbolFlags.Function) return 'function';
  if (flags & ts.SymbolFlags.Variable) return 'const';
  return 'type';
}

/** `export type { X }` or `export { type X }`: no runtime value, whatever X is. */
function isTypeOnlyExport(/** @type {ts.Symbol} */ symbol) {
  return (symbol.declarations ?? []).some(
    (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
  );
}

/** @param {string} line */
function nameOf(line) {
  return line.slice(line.indexOf(' ') + 1);
}
