export declare const PACKAGES: string[];
export declare function lockedSubtreePins(root: string): Record<string, string>;
export declare function scratchInstall(dir: string): string;
