/**
 * The tolerance model: the one place that says how far a float32 run may sit
 * above a bound proved for exact arithmetic before we call it a violation.
 *
 * TensorFlow.js computes in float32 (unit roundoff u = 2⁻²⁴). We measure every
 * observable in float64 on the float32 iterate x̂_t, so measurement adds
 * nothing; the only gap between the run and the theorem is that x̂_t is not
 * the exact-arithmetic iterate x_t. We bound e_t ≥ ‖x̂_t − x_t‖ and turn it
 * into a tolerance on each observable with the function's own constants:
 *
 *  - one step's rounding: ξ_s = 2u·(‖x̂_{s+1}‖ + √d·(γ‖∇f(x̂_s)‖ + h‖x̂_s‖)) + γ·g₀ + 4√d·η,
 *    the rounding of the update, of γ∇f and of the gradient's dot products
 *    (h = γL bounds their magnitude relative to ‖x‖), plus g₀, the float32
 *    gradient's error near the minimiser (measured against the float64 oracle at
 *    fl(x*) and a few float32 neighbours, times two: the gradient noise floor),
 *    plus √d·(1 + γ)·2⁻¹²⁶: below the smallest normal float32 relative
 *    rounding no longer holds (subnormals have a fixed spacing, and the step
 *    multiplies the gradient's absolute error by γ);
 *  - the start: the run starts at x̂_0 = fl32(x_0), and R, Δ0 are measured
 *    there, so e_0 = 0;
 *  - accumulation: e_{t+1} = q·e_t + ξ_t with q = max(|1 − γμ|, |1 − γL|) for
 *    gradient descent on a μ-strongly convex function and q = 1 otherwise.
 *    Exact for GD with γ ≤ 2/L on convex functions (the step map is
 *    nonexpansive); for momentum methods and nonconvex PL witnesses linear
 *    accumulation is an assumption, held to account by the property tests
 *    (no false alarm on any catalogue theorem, planted violations caught);
 *  - observables: ‖x̂ − x*‖² ≤ (‖x − x*‖ + e)², ‖∇f(x̂)‖ ≤ ‖∇f(x)‖ + L·e, and
 *    f(x̂) ≤ f(x) + ‖∇f(x̂)‖·e + (L/2)e² (L-smoothness).
 *
 * The statement itself is evaluated in float64: the measured side is off by
 * a few eps times its magnitude (|f(x_t)| + |f*| for a gap: when f* = −10 the
 * gap is known to 2e-15 only), taken twice to cover an observable inside the
 * bound (f(x_{t−1}) − f*); the bound is evaluated at its constants nudged by
 * 1e-12 (src/verify/runCheck.ts), since a base like 1 − 2γμL/(μ+L) at μ ≈ L
 * is float64 noise.
 *
 * Exact line search computes gᵀg and gᵀ∇²f g, which underflow once
 * ‖g‖ < √(d·2⁻¹²⁶) ≈ 1e-19·√d: no step can be computed below that, so the
 * iterate may stall at distance √(d·2⁻¹²⁶)/μ (`stallDistance`).
 *
 * A step is violated when measured > bound + tolerance. A step is resolved
 * when tolerance ≤ bound/100, i.e. a violation of 1% of the bound would be
 * seen; the worst margin is taken over resolved steps. A run in which no step
 * is resolved is `inconclusive`: the bound fell below the float32 floor
 * before anything could be seen.
 */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;
/** The smallest normal float32: below it rounding is absolute, not relative. */
export const FLOAT32_MIN_NORMAL = 2 ** -126;

/** Float64 checks (lemmas, proofs): relative to the magnitude of the terms. */
export const FLOAT64_RELATIVE_TOLERANCE = 1e-9;

export interface StepRounding {
  /** ‖x̂_{s+1}‖ */
  nextNorm: number;
  /** ‖x̂_s‖ */
  norm: number;
  /** ‖∇f(x̂_s)‖ */
  gradNorm: number;
  /** the step size used */
  gamma: number;
  L: number;
  dim: number;
  /** float32 gradient norm at the rounded minimiser */
  gradientNoise: number;
}

/** ξ_s: how far one float32 step can land from the exact step from the same point. */
export function stepRounding(s: StepRounding): number {
  const u = FLOAT32_UNIT_ROUNDOFF;
  const h = s.gamma * s.L;
  const rootD = Math.sqrt(s.dim);
  return 2 * u * (s.nextNorm + rootD * (s.gamma * s.gradNorm + h * s.norm)) + s.gamma * s.gradientNoise
    + rootD * (1 + s.gamma) * FLOAT32_MIN_NORMAL;
}

/** The contraction factor q of the exact step map, where we know it. */
export function contraction(opts: { optimizer: string; gamma: number; L: number; mu?: number; convex: boolean }): number {
  if (opts.optimizer === 'gd' && opts.mu && opts.mu > 0) {
    return Math.max(Math.abs(1 - opts.gamma * opts.mu), Math.abs(1 - opts.gamma * opts.L));
  }
  return 1;
}

/** A step counts as resolved when its tolerance is at most this fraction of the bound. */
export const RESOLVED_FRACTION = 0.01;

/** Where an optimiser can stall for want of float32 range (see the module comment). */
export function stallDistance(optimizer: string, dim: number, mu?: number): number {
  if (optimizer === 'gd-exact-line-search' && mu && mu > 0) return Math.sqrt(dim * FLOAT32_MIN_NORMAL) / mu;
  return 0;
}

/** Float64 evaluation of a simple expression: a few operations, each within eps. */
export const FLOAT64_EVALUATION = 64 * 2 ** -52;

/** The float64 evaluation of the measured side, of magnitude `magnitude` (statement.ts magnitudeOf). */
export const evaluationTolerance = (magnitude: number): number => 2 * FLOAT64_EVALUATION * magnitude;

export type ToleranceKind = 'value' | 'distance' | 'distance-squared' | 'gradient-squared';

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
