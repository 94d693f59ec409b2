/**
 * mathjs without its default instance. `import … from 'mathjs'` builds every
 * one of its ~600 functions when it is loaded (about 1.2 s of CPU here),
 * whichever are used; its factories alone load in a quarter of that, and an
 * instance made from them with `create` builds a function only when it is
 * first used. The package exports no path to its factories, so they are
 * required by file, from the CommonJS build next to the entry point that
 * `require.resolve('mathjs')` names (CommonJS: loaded synchronously, and
 * faster than the ES module files); a build (scripts/build.mjs) bundles those
 * some 600 files into one next to this module, read in about a third of the
 * time, and used when it holds the installed version. The instances are the
 * same functions with the same configuration as mathjs's own, so nothing
 * computed changes.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as MathJs from 'mathjs';

const require = createRequire(import.meta.url);
const lib = dirname(require.resolve('mathjs'));

interface Factories {
  /** mathjs's `create`: an instance from factories, each function built when first used. */
  create: typeof MathJs.create;
  /** All of mathjs's factories (what `import { all } from 'mathjs'` gives). */
  all: typeof MathJs.all;
  /** mathjs's `factory`: a named function of named dependencies, for `create`. */
  factory: typeof MathJs.factory;
}

function load(): Factories {
  const bundle = fileURLToPath(new URL('./mathjs-factories.cjs', import.meta.url));
  if (existsSync(bundle)) {
    const bundled = require(bundle) as Factories & { version: string };
    if (bundled.version === (require(join(lib, '..', '..', 'package.json')) as { version: string }).version) return bundled;
  }
  return {
    create: (require(join(lib, 'core', 'create.js')) as typeof MathJs).create,
    all: require(join(lib, 'factoriesAny.js')) as typeof MathJs.all,
    factory: (require(join(lib, 'utils', 'factory.js')) as { factory: typeof MathJs.factory }).factory,
  };
}

export const { create, all, factory }: Factories = load();

/**
 * The instance for code that parses and builds trees of its own (not a proof
 * file's expressions: those go through the closed instances of expression.ts),
 * with mathjs's default configuration, as its default instance has.
 */
export const mathjs: MathJs.MathJsInstance = create(all);

/**
 * The proof checker's own instance, for building trees (the tolerance model,
 * symbolic proofs, certificates) and evaluating them: plain arrays. A file's
 * expressions are never evaluated through it, only through the closed
 * instance of their file (expression.ts).
 */
export const math: MathJs.MathJsInstance = create(all, { matrix: 'Array' });


/** `parse` of the default-configuration instance, for code that builds its own trees (statements, scopes, TeX). */
export const parse = (expr: string): MathJs.MathNode => mathjs.parse(expr);
