/**
 * mathjs without its default instance. `import … from 'mathjs'` builds every
 * one of its ~600 functions when it is loaded (about 1.2 s of CPU here),
 * whichever are used; its factories alone load in a quarter of that, and an
 * instance made from them with `create` builds a function only when it is
 * first used. The package exports no path to its factories, so they are
 * required by file, from the CommonJS build next to the entry point that
 * `require.resolve('mathjs')` names (CommonJS: loaded synchronously, and
 * faster than the ES module files). The instances are the same functions
 * with the same configuration as mathjs's own, so nothing computed changes.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as MathJs from 'mathjs';

const require = createRequire(import.meta.url);
const lib = dirname(require.resolve('mathjs'));

/** mathjs's `create`: an instance from factories, each function built when first used. */
export const create: typeof MathJs.create = (require(join(lib, 'core', 'create.js')) as typeof MathJs).create;
/** All of mathjs's factories (what `import { all } from 'mathjs'` gives). */
export const all: typeof MathJs.all = require(join(lib, 'factoriesAny.js')) as typeof MathJs.all;
/** mathjs's `factory`: a named function of named dependencies, for `create`. */
export const { factory } = require(join(lib, 'utils', 'factory.js')) as { factory: typeof MathJs.factory };

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
