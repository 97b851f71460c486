// Type-checks files with TypeScript's API: every diagnostic of the given files and of the
// button's generated declarations (which `skipLibCheck` would hide), without checking the whole
// of each framework's own types (what makes `tsc` slow here).
import ts from 'typescript';

/**
 * @param {string} tsconfig path of a tsconfig.json
 * @param {(fileName: string) => boolean} [alsoCheck] further files of the program to check
 * @returns {{ errors: string, checked: string[] }} formatted diagnostics ('' when none)
 */
export function typeCheck(tsconfig, alsoCheck = () => false) {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const roots = new Set(config.fileNames);
  const files = program
    .getSourceFiles()
    .filter((f) => roots.has(f.fileName) || alsoCheck(f.fileName));
  const diagnostics = [
    ...config.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...files.flatMap((f) => [
      ...program.getSyntacticDiagnostics(f),
      // Checked even where skipLibCheck would skip a declaration file.
      ...program.getSemanticDiagnostics(f),
    ]),
  ];
  const host = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n',
  };
  return {
    errors: ts.formatDiagnostics(diagnostics, host),
    checked: files.map((f) => f.fileName),
  };
}
