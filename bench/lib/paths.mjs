import { fileURLToPath } from 'node:url';

/** The monorepo root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
