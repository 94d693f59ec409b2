/**
 * The tolerance model: the one place that says how far a float32 run may sit
 * above a bound proved for exact arithmetic before we call it a violation.
 *
 * TensorFlow.js computes in float32. We measure every observable in float64
 * on the float32 iterate x̂_t, so measurement adds (almost) nothing; the gap
 * between the run and the theorem is that x̂_t is not the exact-arithmetic
 * iterate x_t. We bound e_t ≥ ‖x̂_t − x_t‖ and turn it into a tolerance on each
 * observable with the function's own constants:
 *
 *  - one step's rounding is measured, not modelled: ξ_t = ‖x̂_{t+1} − S(x̂_t)‖,
 *    where S is the optimiser's exact step computed in float64 from the
 *    float32 iterates (src/optimizers/referenceStep.ts), plus the float64
 *    rounding of S itself. It contains everything float32 did in that step:
 *    the gradient's rounding, the update's, underflow, a stalled step;
 *  - the start: the run starts at x̂_0 = fl32(x_0), and R, Δ0 are measured
 *    there, so e_0 = 0;
 *  - accumulation: e_t = Σ_{s<t} gain(t−1−s)·ξ_s, with gain the error
 *    propagation of the exact method (`errorGain`: contraction for gradient
 *    descent, (1 + k)ρ^k for heavy ball, …); assumptions where there is no
 *    proof are held to account by the property tests (no false alarm on any
 *    catalogue theorem over many seeds, planted violations caught); a
 *    statement about one step (`perStep`) uses ξ alone;
 *  - observables: ‖x̂ − x*‖² ≤ (‖x − x*‖ + e)², ‖∇f(x̂)‖ ≤ ‖∇f(x)‖ + L·e, and
 *    f(x̂) ≤ f(x) + ‖∇f(x̂)‖·e + (L/2)e² (L-smoothness).
 *
 * The statement itself is evaluated in float64: the measured side is off by
 * a few eps times its magnitude (|f(x_t)| + |f*| for a gap: when f* = −10 the
 * gap is known to 2e-15 only), taken twice to cover an observable inside the
 * bound (f(x_{t−1}) − f*); the bound is evaluated at its constants nudged by
 * 1e-12 (src/verify/checker.ts), since a base like 1 − 2γμL/(μ+L) at μ ≈ L
 * is float64 noise.
 *
 * A step is violated when measured > bound + tolerance. A step is resolved
 * when tolerance ≤ bound/100, i.e. a violation of 1% of the bound would be
 * seen; the worst margin is taken over resolved steps. A run in which no step
 * is resolved is `inconclusive`: the bound fell below the float32 floor
 * before anything could be seen.
 */
import type { MathNode } from 'mathjs';
/** Float64 checks (lemmas, proofs): relative to the magnitude of the terms. */
export const FLOAT64_RELATIVE_TOLERANCE = 1e-9;

/**
 * How much an iterate perturbation made k steps ago can have grown since
 * (the error propagation of the exact method), so e_t = Σ_s gain(t−1−s)·ξ_s:
 *  - gradient descent: q^k, q = max(|1 − γμ|, |1 − γL|) on a μ-strongly convex
 *    f (the step map's Lipschitz constant); 1 on a convex f with γ ≤ 2/L
 *    (nonexpansive); on a nonconvex PL witness 1 is an assumption;
 *  - heavy ball with β = ρ² on a quadratic: (1 + k)ρ^k. Per eigenvalue the
 *    error obeys e_{k+1} = (1 + β − αλ)e_k − βe_{k−1}; a perturbation δ of
 *    one iterate (the previous one unperturbed) gives e_k = δ(1 + k)r^k at a
 *    double root r = ±ρ and δ·sin((k+1)θ)/sin θ·ρ^k at complex roots of
 *    modulus ρ, both at most (1 + k)ρ^k. Momentum amplifies (up to ~6× at
 *    ρ = 0.94), which a nonexpansive model would miss;
 *  - Nesterov: 1 + k, the same bound with momentum coefficients ≤ 1 and roots
 *    of modulus ≤ 1; for the time-varying FISTA coefficients an assumption.
 */
export function errorGain(opts: { optimizer: string; gamma: number; L: number; mu?: number; momentum?: number }): (k: number) => number {
  switch (opts.optimizer) {
    case 'gd': {
      if (!(opts.mu && opts.mu > 0)) return () => 1;
      const q = Math.max(Math.abs(1 - opts.gamma * opts.mu), Math.abs(1 - opts.gamma * opts.L));
      return (k) => q ** k;
    }
    case 'heavy-ball': {
      const rho = Math.sqrt(opts.momentum ?? 0);
      return (k) => (1 + k) * rho ** k;
    }
    case 'nesterov':
      return (k) => 1 + k;
    default:
      return () => 1;
  }
}

/** A step counts as resolved when its tolerance is at most this fraction of the bound. */
export const RESOLVED_FRACTION = 0.01;

/** Float64 evaluation of a simple expression: a few operations, each within eps. */
export const FLOAT64_EVALUATION = 64 * 2 ** -52;

/** The float64 evaluation of the measured side, of magnitude `magnitude` (statement.ts magnitudeOf). */
export const evaluationTolerance = (magnitude: number): number => 2 * FLOAT64_EVALUATION * magnitude;

export type ToleranceKind = 'value' | 'distance' | 'distance-squared' | 'gradient-squared';

/** Which tolerance applies to a statement's left-hand side. */
export function toleranceKind(lhs: MathNode): ToleranceKind {
  const src = lhs.toString();
  if (/\bdist_t\s*\^\s*2\b/.test(src)) return 'distance-squared';
  if (/\bdist_t\b/.test(src)) return 'distance';
  if (/\b(min|avg)?grad2_t\b/.test(src)) return 'gradient-squared';
  if (/\bf_t\b/.test(src)) return 'value';
  throw new Error(`no tolerance model for the quantity "${src}": it must be built from f_t, dist_t, grad2_t, mingrad2_t or avggrad2_t`);
}


/**
 * How much the observable may exceed its exact-arithmetic value, given the
 * iterate error e, the bound b, and at x̂ the gradient norm.
 */
export function tolerance(kind: ToleranceKind, e: number, b: number, L: number, gradNorm: number): number {
  const sb = Math.sqrt(Math.max(b, 0));
  switch (kind) {
    case 'value': return gradNorm * e + (L / 2) * e * e;
    case 'distance': return e;
    case 'distance-squared': return 2 * sb * e + e * e;
    case 'gradient-squared': return 2 * sb * L * e + L * L * e * e;
  }
}
