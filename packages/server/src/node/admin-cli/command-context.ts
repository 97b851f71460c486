import type { AdminCliIo } from './proxy-connection.js';

/** What every admin command is given besides its own arguments. */
export interface CommandContext {
  readonly io: AdminCliIo;
  /** `ADMIN_TOKEN`, trimmed; undefined when unset. */
  readonly token: string | undefined;
  /** Writes one line to stdout. */
  readonly print: (line: string) => void;
}
