// The package's public API, name by name: changing it must be a deliberate diff here.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listExports } from '../../../scripts/public-api.mjs';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('@scanforpay/sandbox', () => {
  const names = listExports(entry);

  it('exports exactly these names', () => {
    expect(names).toEqual([
      'type Chaos',
      'function createSandbox',
      'const DEFAULT_PARTNER',
      'type NotificationRecord',
      'type OrderView',
      'type PartnerConfig',
      'const RESULT_CODES',
      'type ResultCode',
      'type RunningSandbox',
      'type Sandbox',
      'type SandboxApp',
      'type SandboxOptions',
      'function startSandbox',
      'type StartSandboxOptions',
    ]);
  });

  it('has a runtime value for every name that is not a type, and no other', async () => {
    const values = names.filter((n) => !n.startsWith('type ')).map((n) => n.split(' ')[1]);
    expect(Object.keys(await import('@scanforpay/sandbox')).sort()).toEqual(values.sort());
  });
});
