/**
 * The catalogue as data: ids as in docs/theorems.md, statements that parse and
 * render, domains that refuse parameters outside them.
 */
import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { THEOREMS, theoremById } from '../src/theorems/index.ts';
import { parseStatement, scaleBound, substituteInBounds } from '../src/language/statement.ts';
import { theoremParameters } from '../src/verify/scope.ts';
import { UsageError } from '../src/language/usage.ts';
import { makeRng } from '../src/numeric/rng.ts';

// The lemmas, deterministic and stochastic theorems of the catalogue, in order.
const CATALOGUE_IDS = [
  'descent-lemma', 'gd-sufficient-decrease', 'gradient-gap', 'cocoercivity', 'pl-quadratic-growth',
  'strong-convexity-pl', 'regularized-constants', 'regularized-gap-at-zero', 'logistic-smoothness',
  'least-squares-constants', 'spectral-norm-symmetric',
  'gd-convex', 'gd-convex-tight', 'gd-convex-any-step', 'gd-strongly-convex', 'gd-contraction-tight',
  'gd-pl', 'gd-pl-exp', 'gd-nonconvex', 'gd-regularized', 'gd-exact-line-search', 'nesterov-convex',
  'nesterov-strongly-convex', 'heavy-ball-quadratic',
  'sgd-strongly-convex-fixed', 'sgd-strongly-convex-diminishing', 'sgd-nonconvex-fixed', 'sgd-pl', 'sgd-interpolation-floor',
  // Not in the tables: the σ* = 0 case of sgd-interpolation-floor, for the relaxation row "interpolation (for SGD)".
  'sgd-interpolation',
];

describe('the catalogue', () => {
  it('has exactly the ids of the Lemmas, Deterministic and Stochastic tables, and sgd-interpolation', () => {
    expect(THEOREMS.map((t) => t.id)).toEqual(CATALOGUE_IDS);
  });

  it.each(THEOREMS.map((t) => [t.id, t] as const))('%s: the statement parses and its TeX renders with KaTeX', (_, th) => {
    const st = parseStatement(th.statement);
    expect(st.parts.length).toBeGreaterThan(0);
    const html = katex.renderToString(st.tex, { throwOnError: true, trust: false });
    expect(html).toContain('katex');
    expect(html).not.toContain('katex-error');
  });

  it('derives the TeX from the same expression as the check', () => {
    const tex = parseStatement(theoremById('gd-pl')!.statement).tex;
    expect(tex).toContain('f(x_t)');
    expect(tex).toContain('\\gamma');
    expect(tex).toContain('\\Delta_0');
    // mathjs's own TeX for dot() drops the parentheses around y − x; ours keeps the pairing.
    const inner = parseStatement('dot(grad(x), y - x) <= 1').tex.replace(/[{}]/g, '');
    expect(inner).toContain('\\left\\langle \\nabla f(x),\\, y-x \\right\\rangle');
  });

  it('plants a tightened bound and a substituted rate', () => {
    const st = parseStatement('f_t - fstar <= (1 - gamma * mu)^t * Delta0');
    const scope = { f_t: 1, fstar: 0, gamma: 0.1, mu: 1, t: 2, Delta0: 1 };
    const b = st.parts[0].bound.evaluate(scope);
    expect(scaleBound(st, 0, 0.5).parts[0].bound.evaluate(scope)).toBeCloseTo(0.5 * b, 14);
    expect(substituteInBounds(st, { mu: '2 * mu' }).parts[0].bound.evaluate(scope)).toBeCloseTo(0.8 ** 2, 14);
    // A lower bound is tightened by raising it.
    const lower = parseStatement('q >= 2 * c');
    expect(scaleBound(lower, 0, 0.5).parts[0].bound.evaluate({ c: 1 })).toBe(4);
  });
});

describe('parameter domains', () => {
  const rng = makeRng(1);
  it('refuses a step above 1/L naming the constraint', () => {
    const th = theoremById('gd-convex')!;
    expect(() => theoremParameters(th, { L: 4, fstar: 0 }, rng, { gamma: 0.5 })).toThrow(UsageError);
    expect(() => theoremParameters(th, { L: 4, fstar: 0 }, rng, { gamma: 0.5 })).toThrow(/0 < gamma <= 1 \/ L fails: .*gamma = 0\.5.*1 \/ L = 0\.25/);
  });
  it('refuses a zero step', () => {
    expect(() => theoremParameters(theoremById('gd-pl')!, { L: 1, mu: 0.1, fstar: 0 }, rng, { gamma: 0 })).toThrow(/0 < gamma/);
  });
  it('refuses a derived or unknown parameter by name', () => {
    expect(() => theoremParameters(theoremById('gd-convex-tight')!, { L: 1, fstar: 0 }, rng, { gamma: 0.5 })).toThrow(/gamma is derived/);
    expect(() => theoremParameters(theoremById('gd-convex')!, { L: 1, fstar: 0 }, rng, { eta: 0.5 })).toThrow(/unknown parameter 'eta'.*gamma/);
  });
  it('samples inside the domain, including its closed end', () => {
    const th = theoremById('gd-convex')!;
    const gammas = Array.from({ length: 200 }, () => theoremParameters(th, { L: 4, fstar: 0 }, rng).gamma);
    expect(Math.max(...gammas)).toBe(0.25);
    expect(Math.min(...gammas)).toBeGreaterThan(0);
    const open = Array.from({ length: 200 }, () => theoremParameters(theoremById('gd-convex-any-step')!, { L: 4, fstar: 0 }, rng).gamma);
    expect(Math.max(...open)).toBeLessThan(0.5);
  });
});
