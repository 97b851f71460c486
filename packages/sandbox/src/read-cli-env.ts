import { DEFAULT_PARTNER } from './partner.js';
import type { StartSandboxOptions } from './start-sandbox.js';
import { DEFAULT_PORT } from './start-sandbox.js';

/** Bad environment variables: one line each, every one found, so one start tells them all. */
export class CliEnvError extends Error {
  override readonly name = 'CliEnvError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : [`${problems.length} settings need fixing:`, ...problems.map((p) => `  ${p}`)].join('\n'),
    );
    this.problems = problems;
  }
}

/**
 * Reads the CLI's environment: PORT, HOST, PUBLIC_URL, SANDBOX_PARTNER_NO, SANDBOX_STORE_NO,
 * SANDBOX_SIGN_KEY, SANDBOX_MERCHANT_NAME, SANDBOX_CURRENCIES, SANDBOX_NOTIFY_SCHEDULE.
 * The control API is always on. Throws `CliEnvError` listing every bad variable at once.
 */
export function readCliEnv(env: Record<string, string | undefined>): StartSandboxOptions & {
  port: number;
  host: string;
} {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const portText = value('PORT');
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!/^[0-9]+$/.test(portText ?? '0') || !Number.isInteger(port) || port > 65535) {
    problems.push(`PORT must be a port number from 0 to 65535, got "${portText}"`);
  }
  const publicUrl = value('PUBLIC_URL');
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(publicUrl)) {
    problems.push(`PUBLIC_URL must be an absolute http(s) URL, got "${publicUrl}"`);
  }
  const id = (name: string, fallback: string) => {
    const v = value(name) ?? fallback;
    if (v.length > 15) problems.push(`${name} must be at most 15 characters`);
    return v;
  };
  const currenciesText = value('SANDBOX_CURRENCIES');
  const currencies = currenciesText?.split(',').map((c) => c.trim());
  if (currencies?.some((c) => !/^[A-Z]{3}$/.test(c))) {
    problems.push('SANDBOX_CURRENCIES must be codes like HKD,CNY,USD');
  }
  const scheduleText = value('SANDBOX_NOTIFY_SCHEDULE');
  const notifySchedule = scheduleText?.split(',').map((ms) => Number(ms.trim()));
  if (notifySchedule?.some((ms) => !Number.isInteger(ms) || ms < 0 || ms > 86_400_000)) {
    problems.push('SANDBOX_NOTIFY_SCHEDULE must be delays in ms like 0,1000,2000');
  }
  const merchantName = value('SANDBOX_MERCHANT_NAME');
  const partnerNo = id('SANDBOX_PARTNER_NO', DEFAULT_PARTNER.partnerNo);
  const storeNo = id('SANDBOX_STORE_NO', DEFAULT_PARTNER.storeNo);
  if (problems.length > 0) throw new CliEnvError(problems);
  return {
    port,
    host: value('HOST') ?? '127.0.0.1',
    control: true,
    partners: [
      {
        partnerNo,
        storeNo,
        signKey: value('SANDBOX_SIGN_KEY') ?? DEFAULT_PARTNER.signKey,
        ...(merchantName ? { merchantName } : {}),
        ...(currencies ? { currencies } : {}),
      },
    ],
    ...(publicUrl ? { publicUrl } : {}),
    ...(notifySchedule ? { notifySchedule } : {}),
  };
}
