import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('the built package', () => {
  it('resolves through its exports map and reproduces vector B in plain Node', () => {
    const script = `
      const p = await import('@scanforpay/protocol');
      const n = await import('@scanforpay/protocol/node');
      const request = { header: { version: '1.0', partnerNo: '100000000000001', reqMsgId: '7f3c2a9e0b6d4e1f8a5b3c2d1e0f9a8b', reqTime: '2024-05-01T10:05:00+08:00', signType: 'SHA256' }, body: { storeNo: '200000000000001', partnerOrderNo: '240501100000123' } };
      const web = await p.signRequest(request, 'demo-sign-key');
      const node = await p.signRequest(request, 'demo-sign-key', n.nodeSha256);
      console.log(JSON.stringify([web.signature, node.signature, typeof p.createClient]));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    const signature = '9d78dd366e5a796f88f9546251e196955dee1687e0db9ba4b98f226d31103eb0';
    expect(JSON.parse(out)).toEqual([signature, signature, 'function']);
  });
});
