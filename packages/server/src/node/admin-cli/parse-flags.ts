import { parseArgs } from 'node:util';
import { UsageError } from './cli-errors.js';

export type FlagKind = 'string' | 'boolean';
export type Flags = Record<string, string | true>;

/** The options every command that calls the proxy takes. */
export const COMMON_FLAGS = { url: 'string', json: 'boolean', help: 'boolean' } as const;

/**
 * `--name value`, `--name=value`, `--flag`, `-h`; `--` ends the options. A word that starts
 * with `-` is an unknown option, unless it is a number (so `-1` is refused as an amount, not a
 * flag). `parseArgs` tokenizes; the checks here keep the CLI's own messages.
 */
export function parseFlags(
  args: readonly string[],
  spec: Readonly<Record<string, FlagKind>>,
  maxPositionals: number,
): { flags: Flags; positionals: string[] } {
  const { tokens } = parseArgs({
    args: [...args],
    options: { ...optionsOf(spec), help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags: Flags = {};
  const positionals: string[] = [];
  let shortIndex = -1;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (!token.rawName.startsWith('--')) {
      // A short group such as `-hx` or `-12.5` comes as one token per letter: read the word.
      if (token.index === shortIndex) continue;
      shortIndex = token.index;
      const word = args[token.index] as string;
      if (word === '-h') flags.help = true;
      else if (/^-[0-9.]/.test(word)) positionals.push(word);
      else throw new UsageError(`unknown option ${word}`);
      continue;
    }
    const name = token.name;
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else {
      const value = token.value;
      if (value === undefined || (!token.inlineValue && value.startsWith('--'))) {
        throw new UsageError(`--${name} needs a value`);
      }
      flags[name] = value;
    }
  }
  if (positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${positionals[maxPositionals]}"`);
  }
  return { flags, positionals };
}

function optionsOf(spec: Readonly<Record<string, FlagKind>>) {
  return Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }]));
}
