// Which copy of boundlab to run: the compiled one in dist/ (built by `npm run build`, which
// `npm ci` and `npm install` run as `prepare`), or, in a checkout whose src/ has changed since
// that build (or was never built), the TypeScript sources through tsx, so an edit never runs stale.
// An installed package has no src/ and always runs dist/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../', import.meta.url);
const STAMP = fileURLToPath(new URL('dist/.built', ROOT));
const SRC = fileURLToPath(new URL('src/', ROOT));

function newestUnder(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    newest = Math.max(newest, e.isDirectory() ? newestUnder(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** true when dist/ is current: built, and no source file changed after the build. */
export function compiled() {
  if (!existsSync(STAMP)) return false;
  if (!existsSync(SRC)) return true;
  return newestUnder(SRC) <= statSync(STAMP).mtimeMs;
}

/** Import `src/<path>.ts`, or its compiled `dist/<path>.js` when that is current. */
export async function load(path) {
  if (compiled()) return import(new URL(`dist/${path}.js`, ROOT).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`src/${path}.ts`, ROOT).href);
}
