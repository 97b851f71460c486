export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** Receives one JSON line per call. Default: `console.log`. */
  write?: (line: string) => void;
  /** Values replaced by `[redacted]` wherever they appear in a line (the sign key, secrets). */
  secrets?: readonly (string | undefined)[];
  /** Lines below this level are dropped. Default `info`. */
  level?: LogLevel;
  /** Injected clock. */
  now?: () => number;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A structured logger: one JSON object per line, secrets scrubbed from the finished line
 * (so they cannot leak through an error message or a nested field).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const min = LEVELS[options.level ?? 'info'];
  const now = options.now ?? Date.now;
  const redact = createRedactor(options.secrets ?? []);

  function log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (LEVELS[level] < min) return;
    write(redact(JSON.stringify({ time: new Date(now()).toISOString(), level, msg, ...fields })));
  }

  return {
    log,
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}

/**
 * Replaces each secret (of at least 4 characters) by `[redacted]` in a text, also where it
 * appears JSON-escaped: for log lines and for gateway text shown to the merchant.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text) => {
    let clean = text;
    for (const secret of known) {
      if (clean.includes(secret)) clean = clean.replaceAll(secret, '[redacted]');
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret && clean.includes(escaped))
        clean = clean.replaceAll(escaped, '[redacted]');
    }
    return clean;
  };
}

/** Keeps the first and last characters of a buyer identifier: `2088123456781234` → `2*************34`. */
export function maskIdentifier(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value.length <= 3) return '*'.repeat(value.length);
  return value[0] + '*'.repeat(value.length - 3) + value.slice(-2);
}
