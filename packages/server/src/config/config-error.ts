/** One bad or missing variable. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/**
 * Bad or missing configuration. One problem is one line naming the variable; several are listed
 * one per line under a count, so one start tells the operator everything to fix.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The first variable named. */
  readonly variable: string;
  readonly problems: readonly ConfigProblem[];

  constructor(variable: string, problem: string);
  constructor(problems: readonly ConfigProblem[]);
  constructor(first: string | readonly ConfigProblem[], problem?: string) {
    const problems =
      typeof first === 'string' ? [{ variable: first, problem: problem ?? '' }] : first;
    const lines = problems.map((p) => `${p.variable}: ${p.problem}`);
    super(
      lines.length === 1
        ? lines[0]
        : [`${lines.length} settings need fixing:`, ...lines.map((line) => `  ${line}`)].join('\n'),
    );
    this.problems = problems;
    this.variable = problems[0]?.variable ?? '';
  }
}

/**
 * Gathers the `ConfigError`s of several readers, so that a start reports all of them at once:
 * `read` returns `undefined` for a reader that threw one, `check` throws them all together.
 */
export class ConfigProblems {
  readonly #problems: ConfigProblem[] = [];

  read<T>(reader: () => T): T | undefined {
    try {
      return reader();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.#problems.push(...error.problems);
      return undefined;
    }
  }

  add(variable: string, problem: string): void {
    this.#problems.push({ variable, problem });
  }

  /** Throws one `ConfigError` naming every problem gathered, if any. */
  check(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }
}
