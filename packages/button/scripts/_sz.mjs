import { build } from 'vite';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
const root = '/work/main/packages/button';
let src = root + '/src/define.ts';
if (process.argv[2] === 'button') { src = root + '/src/_btn.ts'; writeFileSync(src, `import { ScanForPayButton } from './scanforpay-button.ts';\ncustomElements.define('scanforpay-button', ScanForPayButton);\n`); }
const [out] = await build({ root, configFile: root + '/vite.bundle.config.ts', mode: 'element-size', logLevel: 'silent', build: { lib: { entry: src } } });
const code = out.output.map((c) => c.code ?? '').join('');
writeFileSync('/tmp/both.js', code);
console.log(code.length, gzipSync(code, { level: 9 }).length);
