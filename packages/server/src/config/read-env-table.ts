import { ConfigProblems } from './config-error.js';
import { InvalidValue } from './env-values.js';

/** Environment variables, or a Worker's string bindings. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

/** What a variable's reading may depend on besides its own text. */
export interface EnvContext {
  /** `NODE_ENV=production`. */
  production: boolean;
  /** Used when `PUBLIC_URL` is unset (the Node entry: `http://localhost:$PORT`). */
  defaultPublicUrl?: string;
}

/** One row of a variable table: the option it sets, how its text is read, when it is needed. */
export interface EnvVariable<Option extends string = string> {
  /** The option it sets; a dotted path for a nested one (`credentials.signKey`). */
  option: Option;
  /** What it holds. A variable required in production names it in the message. */
  doc: string;
  /** The text used when it is unset, read like a set value. */
  default?: string | ((context: EnvContext) => string | undefined);
  /** Always, only in production, or when another variable is set. */
  required?: true | 'in production' | { with: string };
  /** The option's value (`undefined` leaves it out), or throws `InvalidValue`. */
  read(raw: string, context: EnvContext): unknown;
}

export type EnvTable<Option extends string = string> = Readonly<
  Record<string, EnvVariable<Option>>
>;

/** Trimmed values, with empty strings read as unset. */
export function envValue(env: ProxyEnvironment, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === '' ? undefined : raw;
}

/**
 * Reads every variable of `table`, in its order, into options keyed by their paths. Throws
 * `ConfigError` naming every variable that is missing or invalid; the message never repeats a
 * value (it may be a secret).
 */
export function readEnvTable(
  env: ProxyEnvironment,
  table: EnvTable,
  context: EnvContext = { production: false },
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const problems = new ConfigProblems();
  for (const [variable, row] of Object.entries(table)) {
    const raw =
      envValue(env, variable) ??
      (typeof row.default === 'function' ? row.default(context) : row.default);
    if (raw === undefined) {
      const problem = missingProblem(row, env, context);
      if (problem !== undefined) problems.add(variable, problem);
      continue;
    }
    let value: unknown;
    try {
      value = row.read(raw, context);
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      problems.add(variable, error.message);
      continue;
    }
    if (value !== undefined) setPath(options, row.option, value);
  }
  problems.check();
  return options;
}

function missingProblem(
  row: EnvVariable,
  env: ProxyEnvironment,
  context: EnvContext,
): string | undefined {
  const { required } = row;
  if (required === true) return 'is required';
  if (required === 'in production' && context.production) {
    return `is required when NODE_ENV=production (${row.doc})`;
  }
  if (typeof required === 'object' && envValue(env, required.with) !== undefined) {
    return `is required when ${required.with} is set`;
  }
  return undefined;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const inner = (target[head] ??= {}) as Record<string, unknown>;
  setPath(inner, rest.join('.'), value);
}
