/**
 * The stochastic theorems of the catalogue (docs/theorems.md): bounds in expectation for minibatch
 * SGD (one sample per step, drawn uniformly) on finite sums whose noise
 * constants are certified (src/classes/types.ts NoiseCertificate). Each is
 * checked on the mean over many seeds with a confidence interval
 * (src/verify/expectation.ts, src/verify/statistics.ts).
 *
 * Indexing. BCN start at w_1; our x_t is the iterate after t updates, so
 * w_k = x_{k−1}: BCN's (1 − ᾱcμ)^{k−1} is (1 − αμ)^t here, ν/(γ + k) is
 * ν/(γ + 1 + t), and their average over w_1..w_K is over x_0..x_{t−1}.
 *
 * Symbols: mu is the strong-convexity (or PL) constant, BCN's c; BCN's μ and
 * μ_G are 1 for an unbiased gradient, and M_G = MV + 1. M, MV, sigma2star and
 * Lmax come from the witness's certificate. avggrad2_t = (1/t) Σ_{k<t} ‖∇f(x_k)‖²;
 * C2_t = max over k < t of the upper confidence limit of E‖∇f_i(x_k)‖² (KNS
 * Thm 4 assume E‖∇f_i(x_k)‖² ≤ C² in total expectation on the region visited:
 * measured over the seeds, with the same interval as the check).
 */
import type { Theorem } from './types.ts';

/** ½(x ∓ 1)² from x_0: the noisy quadratic with A = 1 and shifts ±1 (M = σ* = 1, L = μ = 1). */
const plusMinusOne = (x0: number) => ({ dim: 1, eigenvalues: [1], rotationSeed: null, shifts: [[1]], x0: [x0] });

/** The same with zero shifts: every f_i is ½x², so σ* = M = 0 (interpolation) and SGD is gradient descent. */
const zeroNoise = (x0: number) => ({ dim: 1, eigenvalues: [1], rotationSeed: null, shifts: [[0]], x0: [x0] });

const FAMILIES = ['noisy-quadratic', 'logistic-l2'];

export const STOCHASTIC: readonly Theorem[] = [
  {
    id: 'sgd-strongly-convex-fixed',
    title: 'SGD, strongly convex, fixed step: linear rate down to a noise floor',
    source: 'Bottou–Curtis–Nocedal 2018 Thm 4.6',
    kind: 'expectation',
    classes: ['mu-strongly-convex', 'L-smooth'],
    structural: ['stochastic-gradient'],
    constraints: ['0 < alpha <= 1 / (L * (MV + 1))'],
    algorithm: { optimizer: 'sgd', hyper: { lr: 'alpha' } },
    statement: 'E(f_t - fstar) <= alpha * L * M / (2 * mu) + (1 - alpha * mu)^t * (Delta0 - alpha * L * M / (2 * mu))',
    families: FAMILIES,
    // At α = 1 on ½(x ∓ 1)² the floor is attained: x_1 = ±1 whatever x_0, and E[f − f*] = ½ = αLM/(2μ).
    witnesses: () => [{ family: 'noisy-quadratic', params: plusMinusOne(3), set: { alpha: 1 } },
      { family: 'noisy-quadratic', params: plusMinusOne(10), set: { alpha: 0.05 } }],
    planted: { faster: { t: '3 * t' } },
    tight: 'the floor αLM/(2μ) is attained at α = 1 on ½(x ∓ 1)²; below it the floor of that witness is α/(2(2 − α)), half the bound as α → 0',
    notes: 'BCN with μ = μ_G = 1 (unbiased gradient), M_G = MV + 1, c written mu; the step bound ᾱ ≤ μ/(L M_G) becomes α ≤ 1/(L(MV + 1)).',
  },
  {
    id: 'sgd-strongly-convex-diminishing',
    title: 'SGD, strongly convex, diminishing steps β/(γ + k): O(1/k)',
    source: 'Bottou–Curtis–Nocedal 2018 Thm 4.7',
    kind: 'expectation',
    classes: ['mu-strongly-convex', 'L-smooth'],
    structural: ['stochastic-gradient'],
    // b > 1 is β > 1/(cμ) written as β = b/μ; γ is the smallest offset the first step allows.
    constraints: ['b > 1', 'beta > 1 / mu', 'gamma > 0', 'beta / (gamma + 1) <= 1 / (L * (MV + 1))'],
    derived: { beta: 'b / mu', gamma: 'beta * L * (MV + 1) - 1' },
    ranges: { b: [1, 4] },
    algorithm: { optimizer: 'sgd', hyper: { lr: 'beta / (gamma + 1)', schedule: 'inverse-time', offset: 'gamma + 1' } },
    statement: 'E(f_t - fstar) <= max(beta^2 * L * M / (2 * (beta * mu - 1)), (gamma + 1) * Delta0) / (gamma + 1 + t)',
    families: FAMILIES,
    // Where the bound is sharpest. Early: κ = 10, little noise, x_0 along the flat direction; the first
    // step α_0 = 1/L barely moves it, so E f(x_1) − f* ≈ 0.81Δ0 against (γ+1)Δ0/(γ+2) ≈ 0.95Δ0.
    // Late: ½(x ∓ 1)² from x* (Δ0 = 0, ν = 2LM/μ² at b = 2), where E f − f* ≈ 2/(3t) against 2/(2 + t).
    witnesses: () => [
      { family: 'noisy-quadratic', params: { dim: 2, eigenvalues: [0.1, 1], rotationSeed: null, shifts: [[0.01, 0.01]], x0: [3, 0] }, set: { b: 2 } },
      { family: 'noisy-quadratic', params: plusMinusOne(0), set: { b: 2 } },
    ],
    planted: {
      faster: { t: 't^1.5' },
      note: 'On quadratics the late regime is at most half the bound ((βμ − 1)/(2βμ − 1) < ½ of ν/t), so ×0.5 is caught only early, where (γ+1)Δ0 dominates ν; the faster rate only late.',
    },
    notes: 'α_k = β/(γ + k) for k = 1, 2, … is lr·offset/(offset + s) at our step s = k − 1, with lr = β/(γ + 1) and offset = γ + 1 (the sgd schedule `inverse-time`).',
  },
  {
    id: 'sgd-nonconvex-fixed',
    title: 'SGD, nonconvex, fixed step: average squared gradient',
    source: 'Bottou–Curtis–Nocedal 2018 Thm 4.8',
    kind: 'expectation',
    classes: ['L-smooth', 'bounded-below'],
    structural: ['stochastic-gradient'],
    constraints: ['0 < alpha <= 1 / (L * (MV + 1))'],
    algorithm: { optimizer: 'sgd', hyper: { lr: 'alpha' } },
    statement: 'E(avggrad2_t) <= alpha * L * M + 2 * (f_0 - fstar) / (t * alpha)',
    from: 1,
    families: FAMILIES,
    // At α = 1 on ½(x ∓ 1)²: x_k² = 1 for k ≥ 1, so the average is 1 + (x_0² − 1)/t against 1 + x_0²/t.
    witnesses: () => [{ family: 'noisy-quadratic', params: plusMinusOne(3), set: { alpha: 1 } }],
    planted: { faster: { t: 't^1.5' } },
    tight: 'on ½(x ∓ 1)² at α = 1 the average is 1 + (x_0² − 1)/t against the bound 1 + x_0²/t',
    notes: 'F_inf = f*; no convexity is used, though the witnesses with certified noise are convex.',
  },
  {
    id: 'sgd-pl',
    title: 'SGD under the PL inequality, steps (2k + 1)/(2μ(k + 1)²): O(1/k)',
    source: 'Karimi–Nutini–Schmidt 2016 Thm 4',
    kind: 'expectation',
    classes: ['L-smooth', 'mu-PL'],
    structural: ['stochastic-gradient'],
    constraints: [],
    algorithm: { optimizer: 'sgd', hyper: { lr: '1 / (2 * mu)', schedule: 'kns' } },
    statement: 'E(f_t - fstar) <= L * C2_t / (2 * t * mu^2)',
    from: 1,
    families: FAMILIES,
    // From x_0 = x* = 0: C² is then about 1 + E x² ≤ 1.25, and E f − f* ≈ 1/(2t) against C²/(2t).
    witnesses: () => [{ family: 'noisy-quadratic', params: plusMinusOne(0) }, { family: 'noisy-quadratic', params: plusMinusOne(3) }],
    planted: {
      faster: { t: 't^1.3' },
      seeds: 800,
      note: 'Power, not tolerance: on ½(x ∓ 1)² from x* the bound is about 25 % above the mean (C² ≈ 1.25), but x² is spread like a χ² (sd ≈ √2 × mean), so at the Bonferroni level a 200-seed interval reaches about half the mean below it and ×0.5 is missed; 800 seeds halve the width and catch it.',
    },
    notes:
      'Derived (the catalogue marks it "check"): with δ_k = E f(x_k) − f*, L-smoothness and E‖g‖² ≤ C² give δ_{k+1} ≤ δ_k − α_k E‖∇f‖² + Lα_k²C²/2, and PL (‖∇f‖² ≥ 2μδ) gives δ_{k+1} ≤ (1 − 2μα_k)δ_k + Lα_k²C²/2. With α_k = (2k+1)/(2μ(k+1)²), 1 − 2μα_k = k²/(k+1)², so (k+1)²δ_{k+1} ≤ k²δ_k + LC²(2k+1)²/(8μ²(k+1)²) < k²δ_k + LC²/(2μ²); summing from k = 0, t²δ_t ≤ tLC²/(2μ²). The constant holds, for t ≥ 1, with the first step α_0 = 1/(2μ), however large against 1/L: C² absorbs it. C² is measured on the run: at each k < t the upper end of the confidence interval for the mean over seeds of E_i‖∇f_i(x_k)‖² (the total expectation the proof uses), the largest taken, so the bound at t uses only what happened before t.',
    tight: 'within about 25 % on ½(x ∓ 1)² from x_0 = 0: measured E f − f* ≈ 1/(2t) (0.00248 at t = 200), against LC²/(2tμ²) with C² = 1 + max_k E x_k² ≈ 1.25',
  },
  {
    id: 'sgd-interpolation-floor',
    title: 'SGD on a strongly convex finite sum of convex functions: linear rate to 2γσ*/μ',
    source: 'Gower et al. 2019 Thm 3.1',
    kind: 'expectation',
    classes: ['mu-strongly-convex'],
    structural: ['stochastic-gradient', 'convex-samples'],
    constraints: ['0 < gamma <= 1 / (2 * Lmax)'],
    algorithm: { optimizer: 'sgd', hyper: { lr: 'gamma' } },
    statement: 'E(dist_t^2) <= (1 - gamma * mu)^t * R^2 + 2 * gamma * sigma2star / mu',
    families: FAMILIES,
    witnesses: () => [{ family: 'noisy-quadratic', params: plusMinusOne(10), set: { gamma: 0.05 } },
      { family: 'noisy-quadratic', params: plusMinusOne(3), set: { gamma: 0.5 } }],
    planted: { faster: { t: '3 * t' } },
    notes:
      'Derived (the catalogue marks it "check"): r_{k+1} = r_k − 2γ⟨g, x_k − x*⟩ + γ²‖g‖²; expected smoothness with ℒ = Lmax for convex Lmax-smooth f_i gives E‖g‖² ≤ 4Lmax(f − f*) + 2σ*, strong convexity ⟨∇f, x − x*⟩ ≥ f − f* + (μ/2)r, so E r_{k+1} ≤ (1 − γμ)r_k − 2γ(1 − 2γLmax)(f − f*) + 2γ²σ* ≤ (1 − γμ)r_k + 2γ²σ* for γ ≤ 1/(2Lmax); unrolled, r_t ≤ (1 − γμ)^t r_0 + 2γσ*/μ. Without interpolation (σ* > 0) the floor is real: on ½(x ∓ 1)², E x_t² → γ/(2 − γ), not 0.',
    tight: 'the floor is not attained: on ½(x ∓ 1)² the limit γ/(2 − γ) is about a quarter of 2γσ*/μ = 2γ for small γ',
  },
  {
    // Not a row of the Stochastic table: the σ* = 0 case of sgd-interpolation-floor, kept as a theorem
    // so that the catalogue's relaxation row "interpolation (for SGD)" has an assumption to drop.
    id: 'sgd-interpolation',
    title: 'SGD under interpolation (σ* = 0), constant step: linear rate to x*',
    source: 'Gower et al. 2019 Thm 3.1 (σ* = 0)',
    kind: 'expectation',
    classes: ['mu-strongly-convex'],
    structural: ['stochastic-gradient', 'convex-samples', 'interpolation'],
    constraints: ['0 < gamma <= 1 / (2 * Lmax)'],
    algorithm: { optimizer: 'sgd', hyper: { lr: 'gamma' } },
    statement: 'E(dist_t^2) <= (1 - gamma * mu)^t * R^2',
    families: FAMILIES,
    witnesses: () => [{ family: 'noisy-quadratic', params: zeroNoise(10), set: { gamma: 0.05 } },
      { family: 'noisy-quadratic', params: zeroNoise(3), set: { gamma: 0.5 } }],
    planted: { faster: { t: '3 * t' } },
    notes:
      'sgd-interpolation-floor with σ* = 0, where its floor 2γσ*/μ vanishes: the derivation there gives E r_{k+1} ≤ (1 − γμ)r_k. Kept as a theorem of its own for the catalogue\'s relaxation "interpolation (for SGD)": `relax sgd-interpolation --drop interpolation` must find a witness such as ½(x ∓ 1)², where E x_t² → γ/(2 − γ), not 0. The interpolating witnesses here are noisy quadratics with zero shifts (every f_i is F; logistic-l2 never interpolates, having λ > 0): SGD on them is gradient descent, ‖x_t − x*‖² ≤ (1 − γμ)^{2t}R², so the check is deterministic and the bound far from attained on them.',
  },
];
