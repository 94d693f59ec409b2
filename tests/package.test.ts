/**
 * The package as a user gets it: `npm pack`'s tarball, unpacked into an empty
 * folder's node_modules/boundlab (what `npm install boundlab-x.tgz` does), runs
 * its compiled JavaScript with nothing from src/ and no network. The npm cache
 * on this machine holds tarballs but not the registry's package metadata, so
 * `npm install --offline` cannot resolve the dependencies; they are linked in
 * from this checkout's node_modules instead (read only: npm is never pointed at
 * them, since it would rewrite linked folders).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain JavaScript module without types
import { compiled } from '../bin/entry.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir = '';
let app = '';
let files: string[] = [];

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(app, 'node_modules/boundlab/bin/boundlab.mjs'), ...args], { encoding: 'utf8', cwd: app });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boundlab-pack-'));
  // A current build is packed as it is; otherwise npm runs `prepare` (the build) first.
  const scripts = (compiled as () => boolean)() ? ['--ignore-scripts'] : [];
  const json = execFileSync(NPM, ['pack', ...scripts, '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [packed] = JSON.parse(json.slice(json.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  files = packed.files.map((f) => f.path);
  app = join(dir, 'app');
  const pkg = join(app, 'node_modules/boundlab');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  execFileSync('tar', ['-xzf', join(dir, packed.filename), '-C', pkg, '--strip-components=1']);
  const deps = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  for (const d of deps) {
    mkdirSync(dirname(join(app, 'node_modules', d)), { recursive: true });
    symlinkSync(realpathSync(join(ROOT, 'node_modules', d)), join(app, 'node_modules', d), 'dir');
  }
});

afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('the npm package', () => {
  it('ships compiled JavaScript with types and no TypeScript sources', () => {
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('dist/index.d.ts');
    // mathjs's factories in one file (scripts/build.mjs), which language/mathjs.ts reads instead of some 600
    expect(files).toContain('dist/language/mathjs-factories.cjs');
    expect(files).toContain('dist/.built');
    expect(files).toContain('regressions/relaxations.yaml');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('runs from an empty folder: --version, --help, a proof check and a small verify', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run('--version')).toMatchObject({ code: 0, out: `boundlab ${version}\n` });
    expect(run('--help').out).toMatch(/usage: boundlab COMMAND/);
    const proof = join(app, 'step.md');
    writeFileSync(proof, readFileSync(join(ROOT, 'proofs/half-squared-norm-lipschitz.md'), 'utf8'));
    const checked = run('check', proof, '--json');
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.out).files[0].verdict).toBe('valid');
    const verified = run('verify', 'gd-pl', '--family', 'quadratic', '--instances', '2', '--steps', '5', '--json');
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out).results[0].verdict).toBe('holds');
  });

  it('serves the library (boundlab) and the script API (boundlab/api) from the tarball', () => {
    writeFileSync(join(app, 'use.mjs'), [
      "import { THEOREMS } from 'boundlab';",
      "import { theoremById } from 'boundlab/api';",
      "console.log(JSON.stringify({ n: THEOREMS.length, id: theoremById('gd-pl').id, from: import.meta.resolve('boundlab') }));",
    ].join('\n'));
    const r = spawnSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.id).toBe('gd-pl');
    expect(j.n).toBeGreaterThan(10);
    expect(j.from).toMatch(/node_modules\/boundlab\/dist\/index\.js$/);
  });
});
