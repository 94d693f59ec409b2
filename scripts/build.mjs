// `npm run build` (and `prepare`, so `npm ci` builds too): src/ compiled by tsc into dist/
// (JavaScript with .d.ts, imports' .ts rewritten to .js), then dist/.built stamped so
// bin/entry.mjs knows the build is current.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root);
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', new URL('tsconfig.build.json', root).pathname], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(new URL('.built', dist), `${new Date().toISOString()}\n`);
