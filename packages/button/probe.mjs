import { build } from 'vite';
import { writeFileSync } from 'node:fs';
const [o] = await build({ configFile: 'vite.bundle.config.ts', mode: 'element-size', logLevel: 'silent' });
writeFileSync('/tmp/el.min.js', o.output[0].code);
