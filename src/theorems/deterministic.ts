/**
 * The deterministic theorems of the catalogue (docs/theorems.md): bounds along the iterates of
 * gradient methods, checked at every step of real TensorFlow.js runs.
 *
 * Symbols: f_t = f(x_t), f_prev = f(x_{t−1}), dist_t = ‖x_t − x*‖,
 * mingrad2_t = min_{k<t} ‖∇f(x_k)‖² (src/language/observables.ts);
 * R = ‖x_0 − x*‖, Delta0 = f(x_0) − f*; L, mu are the witness's constants
 * (mu is the strong-convexity constant, or the PL constant for a PL theorem).
 */
import type { Theorem } from './types.ts';
import { makeRng } from '../numeric/rng.ts';
import { huberWorstCase } from '../classes/families/huber.ts';

/** A diagonal quadratic diag(eigenvalues) with minimiser 0 and f* = 0, started at x0. */
const diagonalQuadratic = (eigenvalues: number[], x0: number[]) =>
  ({ dim: eigenvalues.length, eigenvalues, rotationSeed: null, xstar: eigenvalues.map(() => 0), x0, fstar: 0 });

/**
 * Logistic regression whose data never use the second coordinate: there F is
 * exactly (λ/2)w₂², the slowest direction gradient descent can have, and x0
 * starts far along it.
 */
function flatDirectionLogistic() {
  const rng = makeRng(2024);
  const X = Array.from({ length: 12 }, () => [rng.normal(), 0]);
  const s = X.map(() => (rng.next() < 0.5 ? -1 : 1));
  return { X, s, lambda: 0.01, x0: [0.5, 5] };
}

const GD = { optimizer: 'gd', hyper: { lr: 'gamma' } } as const;

export const DETERMINISTIC: readonly Theorem[] = [
  {
    id: 'gd-convex',
    title: 'Gradient descent, convex and L-smooth: O(1/t)',
    source: 'Garrigos–Gower Handbook §3.1',
    kind: 'run',
    classes: ['convex', 'L-smooth'],
    constraints: ['0 < gamma <= 1 / L'],
    algorithm: GD,
    statement: 'f_t - fstar <= R^2 / (2 * gamma * t)',
    witnesses: ({ steps }) => [{ family: 'huber', params: huberWorstCase(1, 1, steps, 1), set: { gamma: 1 } }],
    from: 1,
    planted: {
      scale: 0.45,
      faster: { t: 't^1.2' },
      note: 'Half the bound is still a theorem: Drori–Teboulle give L R²/(4th + 2) ≤ R²/(4γt) for h = γL ≤ 1, so ×0.5 cannot be violated; ×0.45 is caught on the Huber worst case once ht > 4.5.',
    },
  },
  {
    id: 'gd-convex-tight',
    title: 'Gradient descent, convex and L-smooth: the exact worst case',
    source: 'Drori–Teboulle 2014 Thm 3.1',
    kind: 'run',
    classes: ['convex', 'L-smooth'],
    constraints: ['0 < h <= 1'],
    derived: { gamma: 'h / L' },
    algorithm: GD,
    statement: 'f_t - fstar <= L * R^2 / (4 * t * h + 2)',
    witnesses: ({ steps }) => [0.5, 1].map((h) => ({ family: 'huber', params: huberWorstCase(2, 1, steps, h), set: { h } })),
    from: 1,
    planted: { faster: { t: '1.1 * t' } },
    tight: 'at step N on the 1-D Huber function with threshold τ = R/(2Nh + 1), x_0 = R',
  },
  {
    id: 'gd-convex-any-step',
    title: 'Gradient descent, convex and L-smooth, any step below 2/L',
    source: 'Nesterov 2018 Thm 2.1.14',
    kind: 'run',
    classes: ['convex', 'L-smooth'],
    constraints: ['0 < gamma < 2 / L'],
    algorithm: GD,
    statement: 'f_t - fstar <= 2 * Delta0 * R^2 / (2 * R^2 + t * gamma * (2 - L * gamma) * Delta0)',
    from: 0,
    planted: { faster: { t: '2 * t' } },
  },
  {
    id: 'gd-strongly-convex',
    title: 'Gradient descent, strongly convex: linear convergence of the iterates',
    source: 'Nesterov 2018 Thm 2.1.15',
    kind: 'run',
    classes: ['mu-strongly-convex', 'L-smooth'],
    constraints: ['0 < gamma <= 2 / (mu + L)'],
    algorithm: GD,
    statement: 'dist_t^2 <= (1 - 2 * gamma * mu * L / (mu + L))^t * R^2',
    witnesses: () => [{ family: 'quadratic', params: diagonalQuadratic([0.5, 4], [1, 0]), set: { gamma: 2 / 4.5 } }],
    planted: { faster: { mu: '1.1 * mu' } },
    tight: 'at γ = 2/(μ+L) the rate is ((κ−1)/(κ+1))^{2k}, attained on a quadratic with x_0 − x* on an extreme eigenvector',
  },
  {
    id: 'gd-contraction-tight',
    title: 'Gradient descent, strongly convex: the exact contraction factor',
    source: 'Taylor–Hendrickx–Glineur 2018',
    kind: 'run',
    classes: ['mu-strongly-convex', 'L-smooth'],
    constraints: ['0 < gamma < 2 / L'],
    algorithm: GD,
    statement: 'dist_t^2 <= max((1 - gamma * L)^2, (1 - gamma * mu)^2)^t * R^2',
    witnesses: () => [
      { family: 'quadratic', params: diagonalQuadratic([0.5, 4], [1, 0]), set: { gamma: 0.2 } },
      { family: 'quadratic', params: diagonalQuadratic([0.5, 4], [0, 1]), set: { gamma: 0.45 } },
    ],
    planted: { faster: { t: '1.1 * t' } },
    tight: '(μ/2)x₁² + (L/2)x₂² with x_0 − x* on the eigenvector of the larger factor',
  },
  {
    id: 'gd-pl',
    title: 'Gradient descent under the PL inequality: linear rate',
    source: 'Karimi–Nutini–Schmidt 2016 Thm 1 (γ = 1/L); general γ ≤ 1/L derived',
    kind: 'run',
    classes: ['L-smooth', 'mu-PL'],
    constraints: ['0 < gamma <= 1 / L'],
    algorithm: GD,
    statement: 'f_t - fstar <= (1 - gamma * mu)^t * Delta0',
    planted: { faster: { mu: '2 * mu' } },
    notes:
      'Derived for 0 < γ ≤ 1/L: the descent lemma gives f(x⁺) ≤ f(x) − γ(1 − Lγ/2)‖∇f‖² ≤ f(x) − (γ/2)‖∇f‖² since Lγ ≤ 1, and PL (½‖∇f‖² ≥ μ(f − f*)) gives f(x⁺) − f* ≤ (1 − γμ)(f(x) − f*). At γ = 1/L this is KNS Thm 1.',
  },
  {
    id: 'gd-pl-exp',
    title: 'Gradient descent under the PL inequality: exponential envelope',
    source: 'gd-pl with 1 − x ≤ e^{−x}',
    kind: 'run',
    classes: ['L-smooth', 'mu-PL'],
    constraints: ['0 < gamma <= 1 / L'],
    algorithm: GD,
    statement: 'f_t - fstar <= exp(-gamma * mu * t) * Delta0',
    planted: {
      faster: { mu: '3 * mu' },
      note: 'e^{−2γμt} is not a plant: on every family here it holds (a quadratic gives (1 − γμ)^{2t} ≤ e^{−2γμt}), so the plant triples μ.',
    },
  },
  {
    id: 'gd-nonconvex',
    title: 'Gradient descent, nonconvex L-smooth: stationarity',
    source: 'Nesterov 2018 §1.2.3; Bottou–Curtis–Nocedal Thm 4.8 with M = 0',
    kind: 'run',
    classes: ['L-smooth', 'bounded-below'],
    constraints: ['0 < gamma <= 1 / L'],
    algorithm: GD,
    statement: 'mingrad2_t <= 2 * (f_0 - fstar) / (gamma * t)',
    from: 1,
    planted: { faster: { t: 't^2' } },
    notes: 'f_inf = f* for every witness (each attains or certifies its infimum).',
  },
  {
    id: 'gd-regularized',
    title: 'Gradient descent on an L2-regularised objective',
    source: 'regularized-constants + gd-pl',
    kind: 'run',
    classes: ['convex', 'L-smooth'],
    structural: ['L2-regularized'],
    constraints: ['lambda > 0'],
    derived: { gamma: '1 / (L + lambda)' },
    algorithm: GD,
    statement: 'f_t - fstar <= (1 - lambda / (L + lambda))^t * Delta0',
    witnesses: () => [{ family: 'logistic-l2', params: flatDirectionLogistic() }],
    planted: {
      faster: { lambda: '3 * lambda' },
      note: 'Doubling λ is not a plant: along a direction the data never uses, F is (λ/2)w² and its gap contracts by (1 − γλ)² per step, faster than 1 − 2λ/(L + 2λ). The plant triples λ; the flat-direction witness catches it.',
    },
    notes:
      'Here f is the regularised objective F = g + (λ/2)‖x‖² and L is the smoothness constant of the unregularised g, as in the catalogue. The rate 1 − λ/(L+λ) = L/(L+λ): the larger λ, the faster, towards a minimiser that moves with λ.',
  },
  {
    id: 'gd-exact-line-search',
    title: 'Steepest descent with exact line search on a strongly convex quadratic',
    source: 'de Klerk–Glineur–Taylor 2017',
    kind: 'run',
    classes: ['mu-strongly-convex', 'L-smooth', 'quadratic'],
    constraints: [],
    derived: { kappa: 'L / mu' },
    algorithm: { optimizer: 'gd-exact-line-search', hyper: {} },
    statement: 'f_t - fstar <= ((kappa - 1) / (kappa + 1))^2 * (f_prev - fstar)',
    witnesses: () => [{ family: 'quadratic', params: diagonalQuadratic([0.5, 4], [1 / 0.5, 1 / 4]) }],
    from: 1,
    perStep: true,
    planted: { faster: { kappa: '0.9 * kappa' } },
    tight: 'a 2-D quadratic diag(μ, L) started at x* + c(1/μ, 1/L): the zigzag stays on the worst ray',
    notes: 'de Klerk et al. prove it for every μ-strongly convex L-smooth f; the exact line search is closed-form only for quadratics, so the witnesses are quadratics.',
  },
  {
    id: 'nesterov-convex',
    title: 'Nesterov’s accelerated gradient (FISTA without prox), convex',
    source: 'Beck–Teboulle 2009 Thm 4.4',
    kind: 'run',
    classes: ['convex', 'L-smooth'],
    constraints: [],
    algorithm: { optimizer: 'nesterov', hyper: { lr: '1 / L' } },
    statement: 'f_t - fstar <= L * R^2 / (2 * lambda_t^2)',
    sequences: { lambda_t: { start: 1, at: 1, next: '(1 + sqrt(1 + 4 * lambda_t^2)) / 2' } },
    from: 1,
    planted: { faster: { lambda_t: 'lambda_t^1.2' } },
    notes: 'λ_t ≥ (t + 1)/2, so the bound implies 2LR²/(t + 1)².',
  },
  {
    id: 'nesterov-strongly-convex',
    title: 'Nesterov’s accelerated gradient, strongly convex, constant momentum',
    source: 'd’Aspremont–Scieur–Taylor 2021 Cor 4.15',
    kind: 'run',
    classes: ['mu-strongly-convex', 'L-smooth'],
    constraints: [],
    algorithm: { optimizer: 'nesterov', hyper: { lr: '1 / L', momentum: '(sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu))' } },
    statement: 'f_t - fstar <= (1 - sqrt(mu / L))^t * (Delta0 + mu / 2 * R^2)',
    planted: { faster: { mu: '2 * mu' } },
  },
  {
    id: 'heavy-ball-quadratic',
    title: 'Heavy ball on a strongly convex quadratic',
    source: 'Polyak 1964 (rate); the constant derived here',
    kind: 'run',
    classes: ['mu-strongly-convex', 'L-smooth', 'quadratic'],
    constraints: [],
    derived: {
      rho: '(sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu))',
      alpha: '4 / (sqrt(L) + sqrt(mu))^2',
    },
    algorithm: { optimizer: 'heavy-ball', hyper: { lr: 'alpha', momentum: 'rho^2' } },
    statement: 'dist_t <= (1 + t * (1 + rho)) * rho^t * R',
    witnesses: () => [{ family: 'quadratic', params: diagonalQuadratic([1, 9], [0, 1]) }],
    planted: { faster: { rho: '0.9 * rho' } },
    tight: 'x_0 − x* on the eigenvector of L',
    notes:
      'Derived: in the eigenbasis each error coordinate obeys e_{k+1} = (1 + β − αλ)e_k − βe_{k−1}. At λ = μ and λ = L the characteristic roots are double, r = ρ and r = −ρ; with e_{−1} = e_0 the solution is e_k = (1 + k(1 − r)) r^k e_0, largest at λ = L: (1 + k(1 + ρ)) ρ^k. Interior eigenvalues have complex roots of modulus ρ; that they stay below the same envelope is checked on every instance, not proved here.',
  },
];
