/** `"<kind> <name>"` for each export of `entry`, sorted by name; kind: class, function, const, type. */
export declare function listExports(entry: string): string[];
/** `listExports` for several entries of one package, with one compiler program. */
export declare function listEntryExports(entries: readonly string[]): string[][];
