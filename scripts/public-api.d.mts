/** `"<kind> <name>"` for each export of `entry`, sorted by name; kind: class, function, const, type. */
export declare function listExports(entry: string): string[];
