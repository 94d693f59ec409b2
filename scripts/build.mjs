// `npm run build` (and `prepare`, so `npm ci` builds too): src/ compiled by tsc into dist/
// (JavaScript with .d.ts, imports' .ts rewritten to .js), mathjs's factories bundled into one
// file (see below), then dist/.built stamped so bin/entry.mjs knows the build is current.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root);
rmSync(dist, { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', new URL('tsconfig.build.json', root).pathname], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// What src/language/mathjs.ts requires of mathjs (its create, factory and all its factories) as
// one CommonJS file next to the compiled module: node then reads one file instead of some 600,
// about 0.15 s less at every start of a command that parses expressions. Not minified, so an
// error's stack still names mathjs's own functions; the version is kept so that a bundle older
// than the installed mathjs is not used.
const lib = dirname(require.resolve('mathjs'));
const { version } = require('mathjs/package.json');
const entry = [
  `exports.version = ${JSON.stringify(version)};`,
  `exports.create = require(${JSON.stringify(join(lib, 'core', 'create.js'))}).create;`,
  `exports.all = require(${JSON.stringify(join(lib, 'factoriesAny.js'))});`,
  `exports.factory = require(${JSON.stringify(join(lib, 'utils', 'factory.js'))}).factory;`,
].join('\n');
const { buildSync } = await import('esbuild');
buildSync({
  stdin: { contents: entry, resolveDir: fileURLToPath(root), sourcefile: 'mathjs-factories.cjs', loader: 'js' },
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', legalComments: 'eof', logLevel: 'warning',
  outfile: fileURLToPath(new URL('language/mathjs-factories.cjs', dist)),
});
writeFileSync(new URL('.built', dist), `${new Date().toISOString()}\n`);
