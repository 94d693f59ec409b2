/**
 * The methods `boundlab pep METHOD` knows by id: each a method description
 * (the built-in optimisers' own from src/methods/builtins.ts, or rules written
 * here for methods that have no TensorFlow.js optimiser: OGM, triple
 * momentum), its hyperparameters as expressions in the user's parameters and
 * the constants L, mu, M, R, N, and the class, measure and initial condition
 * it is usually studied with.
 */
import { builtinMethod } from '../methods/builtins.ts';
import { describeMethod, type Method } from '../methods/describe.ts';
import type { PepClass, PepInit, PepMeasure } from './model.ts';

export interface PepMethod {
  id: string;
  title: string;
  source: string;
  method: Method;
  /** The method's parameters as expressions (in the user's parameters and L, mu, M, R, N). */
  hyper: Readonly<Record<string, string>>;
  /** The user's parameters and their defaults (expressions in L, mu, M, R, N). */
  defaults: Readonly<Record<string, string>>;
  cls: PepClass;
  measure: PepMeasure;
  init: PepInit;
}

/**
 * The nonsmooth term h of the composite methods. Its kind is never used:
 * these descriptions are only compiled to linear forms, where h is any closed
 * convex function reached through its proximal map (model.ts).
 */
const H = { h: { kind: 'l1' as const, args: [] } };
const described = (id: string, rules: [string, string][], scalars: string[], proxes = {}): Method =>
  describeMethod(rules.map(([key, text], i) => ({ key, text, line: i + 1 })), { file: `pep method ${id}`, scalars, proxes });

/** Methods that cannot be compiled yet, with the reason. */
export const PEP_REFUSED: Readonly<Record<string, string>> = {
  adam: 'its step divides by a running norm of the gradients: the coefficients are not fixed in advance',
  sgd: 'a stochastic gradient: performance estimation here is deterministic',
  'gd-exact-line-search': 'a step chosen by a line search depends on the run: not a fixed-step linear method',
};

function catalogue(): PepMethod[] {
  const gd = builtinMethod('gd')!;
  return [
    {
      id: 'gd', title: 'gradient descent, step gamma', source: 'Drori–Teboulle 2014 Thm 3.1 (the worst case for h = γL ≤ 1)',
      method: gd, hyper: { lr: 'gamma' }, defaults: { gamma: '1/L' }, cls: 'smooth-convex', measure: 'f-gap', init: 'dist2',
    },
    {
      id: 'heavy-ball', title: 'heavy ball, step gamma and momentum beta', source: 'Polyak 1964',
      method: builtinMethod('heavy-ball')!, hyper: { lr: 'gamma', momentum: 'beta' }, defaults: { gamma: '1/L', beta: '0.5' },
      cls: 'smooth-convex', measure: 'f-gap', init: 'dist2',
    },
    {
      id: 'nesterov', title: "Nesterov's fast gradient, convex schedule (FISTA's momentum), step gamma", source: 'Beck–Teboulle 2009 Thm 4.4; Nesterov 1983',
      method: builtinMethod('fista')!, hyper: { lr: 'gamma' }, defaults: { gamma: '1/L' }, cls: 'smooth-convex', measure: 'f-gap', init: 'dist2',
    },
    {
      id: 'nesterov-constant-momentum', title: "Nesterov's fast gradient, constant momentum (√L − √μ)/(√L + √μ)", source: 'Nesterov 2018 scheme 2.2.22',
      method: builtinMethod('nesterov')!, hyper: { lr: 'gamma', momentum: 'beta' },
      defaults: { gamma: '1/L', beta: '(sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu))' }, cls: 'smooth-strongly-convex', measure: 'f-gap', init: 'dist2',
    },
    {
      id: 'ogm', title: 'the optimized gradient method (OGM)', source: 'Kim–Fessler 2016, OGM1 and Thm 2: f(x_N) − f* ≤ L R²/(2θ_N²)',
      method: described('ogm', [
        ['x(0)', 'x0'], ['y(0)', 'x0'], ['theta(0)', '1'],
        // θ_{k+1} = (1 + √(1 + 4θ_k²))/2, and the last one (k + 1 = N) with 8θ_k²
        ['theta(k+1)', '(1 + sqrt(1 + (4 + 4 * max(0, k + 2 - N)) * theta(k)^2)) / 2'],
        ['y(k+1)', 'x(k) - 1 / L * grad(f, x(k))'],
        ['x(k+1)', 'y(k+1) + (theta(k) - 1) / theta(k+1) * (y(k+1) - y(k)) + theta(k) / theta(k+1) * (y(k+1) - x(k))'],
      ], ['L', 'N']),
      hyper: { L: 'L', N: 'N' }, defaults: {}, cls: 'smooth-convex', measure: 'f-gap', init: 'dist2',
    },
    {
      id: 'triple-momentum', title: 'the triple momentum method', source: 'Van Scoy–Freeman–Lynch 2018, eq. (3) and its parameters',
      method: described('triple-momentum', [
        ['x(0)', 'x0'], ['xi(0)', 'x0'], ['y(0)', 'x0'],
        ['xi(k+1)', '(1 + b) * xi(k) - b * xi(k-1) - a * grad(f, y(k))'],
        ['y(k+1)', '(1 + c) * xi(k+1) - c * xi(k)'],
        ['x(k+1)', '(1 + d) * xi(k+1) - d * xi(k)'],
      ], ['a', 'b', 'c', 'd']),
      // ρ = 1 − √(μ/L), α = (1 + ρ)/L, β = ρ²/(2 − ρ), γ = ρ²/((1 + ρ)(2 − ρ)), δ = ρ²/(1 − ρ²)
      hyper: {
        a: '(2 - sqrt(mu / L)) / L', b: '(1 - sqrt(mu / L))^2 / (1 + sqrt(mu / L))',
        c: '(1 - sqrt(mu / L))^2 / ((2 - sqrt(mu / L)) * (1 + sqrt(mu / L)))', d: '(1 - sqrt(mu / L))^2 / (1 - (1 - sqrt(mu / L))^2)',
      },
      defaults: {}, cls: 'smooth-strongly-convex', measure: 'dist2', init: 'dist2',
    },
    {
      id: 'subgradient', title: 'the subgradient method, constant step gamma', source: 'Nesterov 2018 Thm 3.2.2 (min over the iterates ≤ MR/√(N+1) at γ = R/(M√(N+1)))',
      method: gd, hyper: { lr: 'gamma' }, defaults: { gamma: 'R / (M * sqrt(N + 1))' }, cls: 'lipschitz-convex', measure: 'min-f-gap', init: 'dist2',
    },
    {
      id: 'proximal-gd', title: 'proximal gradient (ISTA) on F = f + h, step gamma', source: 'Taylor–Hendrickx–Glineur 2018 (JOTA), exact rates of the proximal gradient method',
      method: described('proximal-gd', [['x(0)', 'x0'], ['x(k+1)', 'prox(h, gamma, x(k) - gamma * grad(f, x(k)))']], ['gamma'], H),
      hyper: { gamma: 'gamma' }, defaults: { gamma: '1/L' }, cls: 'smooth-convex', measure: 'f-gap', init: 'dist2',
    },
    {
      id: 'fista', title: 'FISTA on F = f + h (Beck–Teboulle momentum), step gamma', source: 'Beck–Teboulle 2009 Thm 4.4: F(x_N) − F* ≤ 2L R²/(N + 1)² at γ = 1/L',
      method: described('fista', [
        ['x(0)', 'x0'], ['y(0)', 'x0'], ['lam(0)', '1'],
        ['lam(k+1)', '(1 + sqrt(1 + 4 * lam(k)^2)) / 2'],
        ['x(k+1)', 'prox(h, gamma, y(k) - gamma * grad(f, y(k)))'],
        ['y(k+1)', 'x(k+1) + (lam(k) - 1) / lam(k+1) * (x(k+1) - x(k))'],
      ], ['gamma'], H),
      hyper: { gamma: 'gamma' }, defaults: { gamma: '1/L' }, cls: 'smooth-convex', measure: 'f-gap', init: 'dist2',
    },
    {
      id: 'proximal-point', title: 'the proximal point method on a closed convex h, step gamma', source: 'Güler 1991; tight: Taylor–Hendrickx–Glineur 2017 (SIAM J. Optim.), h(x_N) − h* ≤ R²/(4γN)',
      method: described('proximal-point', [['x(0)', 'x0'], ['x(k+1)', 'prox(h, gamma, x(k))']], ['gamma'], H),
      hyper: { gamma: 'gamma' }, defaults: { gamma: '1' }, cls: 'convex', measure: 'f-gap', init: 'dist2',
    },
  ];
}

let CACHE: PepMethod[] | undefined;
export const pepMethods = (): PepMethod[] => (CACHE ??= catalogue());
export const pepMethodById = (id: string): PepMethod | undefined => pepMethods().find((m) => m.id === id);
