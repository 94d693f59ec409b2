/**
 * The built-in optimisers that are fixed-step linear methods, written as
 * method descriptions over their own hyperparameter names, so that what
 * compiles a description (performance estimation) takes a built-in id and a
 * theorem file alike. tests/methods.test.ts holds each to its optimiser.
 */
import { describeMethod, type Method } from './describe.ts';

const RULES: Readonly<Record<string, { rules: readonly (readonly [string, string])[]; parameters: readonly string[] }>> = {
  gd: { rules: [['x(0)', 'x0'], ['x(k+1)', 'x(k) - lr * grad(f, x(k))']], parameters: ['lr'] },
  'heavy-ball': {
    rules: [['x(0)', 'x0'], ['x(k+1)', 'x(k) - lr * grad(f, x(k)) + momentum * (x(k) - x(k-1))']],
    parameters: ['lr', 'momentum'],
  },
  /** Nesterov with a constant momentum (Nesterov 2018 scheme 2.2.22). */
  nesterov: {
    rules: [
      ['x(0)', 'x0'], ['y(0)', 'x0'],
      ['x(k+1)', 'y(k) - lr * grad(f, y(k))'],
      ['y(k+1)', 'x(k+1) + momentum * (x(k+1) - x(k))'],
    ],
    parameters: ['lr', 'momentum'],
  },
  /** Nesterov without `momentum`: FISTA's schedule (Beck–Teboulle 2009, eq. 4.1–4.3). */
  fista: {
    rules: [
      ['x(0)', 'x0'], ['y(0)', 'x0'], ['lam(0)', '1'],
      ['lam(k+1)', '(1 + sqrt(1 + 4 * lam(k)^2)) / 2'],
      ['x(k+1)', 'y(k) - lr * grad(f, y(k))'],
      ['y(k+1)', 'x(k+1) + (lam(k) - 1) / lam(k+1) * (x(k+1) - x(k))'],
    ],
    parameters: ['lr'],
  },
};

/** Ids with a description: gd, heavy-ball, nesterov (constant momentum), fista (nesterov without momentum). */
export const DESCRIBED_BUILTINS = Object.keys(RULES);

/** The description of a built-in optimiser, or undefined when it has none. */
export function builtinMethod(id: string): Method | undefined {
  const r = RULES[id];
  if (!r) return undefined;
  return describeMethod(r.rules.map(([key, text], i) => ({ key, text, line: i + 1 })), { file: `built-in ${id}`, scalars: r.parameters });
}
