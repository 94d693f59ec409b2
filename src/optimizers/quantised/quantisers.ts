/**
 * The quantisers and quantisation-aware maps of the quantised rules, as pure
 * tensor functions (facts from the papers cited with each):
 * - sign⁺ (sign with sign(0) = +1), hard sigmoid σ(x) = clip((x + 1)/2, 0, 1),
 *   deterministic binarisation H·sign⁺(w) and stochastic binarisation (+H with
 *   probability σ(w/H), else −H), from BinaryConnect (Courbariaux, Bengio,
 *   David 2015, §2.2 and eqs. 1–3);
 * - the prox of ProxQuant's binary regulariser R(θ) = Σ_j min(|θ_j − 1|, |θ_j + 1|)
 *   (Bai, Wang, Liberty 2019, §3): soft thresholding toward sign θ;
 * - ASkewSGD's constraint c_ε(w) = ε − (w² − 1)², the velocity bound
 *   K_{ε,α}(w) = α c_ε(w) / (4w(w² − 1)) and the direction rule
 *   (Leconte, Schechtman, Moulines, AISTATS 2023).
 *
 * NaN in, NaN out everywhere: the run driver ends a group on a non-finite
 * iterate, so a quantiser must not turn a diverged weight into ±1 (tf.sign(NaN)
 * is 0 and tf.clipByValue(NaN) is the lower bound on the wasm backend).
 */
import { tf } from '../../engine/tfjs.ts';
import type { Rng } from '../../numeric/rng.ts';
import { rowRng, STREAM } from '../sampling.ts';

/** A scalar or a per-row [B, 1] column (broadcast against [B, d]). */
export type PerRow = tf.Tensor | number;

/** min(max(x, lo), hi), keeping NaN (unlike tf.clipByValue on wasm). */
export function clamp<T extends tf.Tensor>(x: T, lo: PerRow, hi: PerRow): T {
  return tf.tidy(() => tf.minimum(tf.maximum(x, lo), hi)) as T;
}

/** +1 where `cond` holds, −1 elsewhere, NaN where `x` is NaN. */
function plusMinusOne<T extends tf.Tensor>(cond: tf.Tensor, x: T): T {
  return tf.tidy(() => tf.where(tf.isNaN(x), x, tf.sub(tf.mul(tf.cast(cond, 'float32'), 2), 1))) as T;
}

/** sign(x) with sign(0) = sign(−0) = +1 (tf.sign(0) is 0): every output is ±1 (or NaN for NaN). */
export function signPlusOne<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => plusMinusOne(tf.greaterEqual(x, 0), x));
}

/** The hard sigmoid σ(x) = clip((x + 1)/2, 0, 1). */
export function hardSigmoid<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => clamp(tf.div(tf.add(x, 1), 2), 0, 1)) as T;
}

/** Deterministic binarisation w_b = H·sign⁺(w). */
export function binarise<T extends tf.Tensor>(w: T, H: PerRow): T {
  return tf.tidy(() => tf.mul(H, signPlusOne(w))) as T;
}

/**
 * Stochastic binarisation: w_b = +H if u < σ(w/H), else −H, with u uniform in
 * [0, 1) (same shape as w). Then P(w_b = H) = σ(w/H), so E[w_b] = H(2σ(w/H) − 1) = w
 * for |w| ≤ H: unbiased.
 */
export function stochasticBinarise<T extends tf.Tensor>(w: T, H: PerRow, u: T): T {
  return tf.tidy(() => tf.mul(H, plusMinusOne(tf.less(u, hardSigmoid(tf.div(w, H))), w))) as T;
}

/** The binarisation stream of row `row` (its position in the whole run) under `seed`. */
export function binarisationRng(seed: number, row: number): Rng {
  return rowRng(seed, row, STREAM.binarisation);
}

/**
 * d uniforms per row from each row's stream, row-major [B·d], on the 2^−24 grid:
 * exact in float32, so u < p has probability ⌈p·2^24⌉/2^24 (within 6e−8 of p) and
 * never rounds up to 1.
 */
export function rowUniforms(rngs: readonly Rng[], d: number): Float32Array {
  const out = new Float32Array(rngs.length * d);
  rngs.forEach((rng, i) => {
    for (let j = 0; j < d; j++) out[i * d + j] = Math.floor(rng.next() * 2 ** 24) / 2 ** 24;
  });
  return out;
}

/**
 * The loss after deterministic binarisation of a full-precision iterate,
 * f(H·sign⁺(x)) per row: what a full-precision run (gd, sgd) would score once quantised.
 */
export function lossAfterBinarisation(loss: (x: tf.Tensor2D) => tf.Tensor1D, x: tf.Tensor2D, H: PerRow = 1): tf.Tensor1D {
  return tf.tidy(() => loss(binarise(x, H)));
}

/**
 * ProxQuant's prox_{λR}(θ) = sign(θ)·(1 + sign(|θ| − 1)·max(||θ| − 1| − λ, 0)):
 * |θ| moves toward 1 by λ and stops there. The outer sign is sign⁺: at θ = 0
 * both ±λ are minimisers of ½(z − θ)² + λR(z) (λ < 1), and sign(0) = 0 would
 * return 0, which is not; the inner sign is the plain one (|θ| = 1 stays).
 */
export function proxQuant<T extends tf.Tensor>(theta: T, lambda: PerRow): T {
  return tf.tidy(() => {
    const dist = tf.sub(tf.abs(theta), 1);
    return tf.mul(signPlusOne(theta), tf.add(1, tf.mul(tf.sign(dist), tf.relu(tf.sub(tf.abs(dist), lambda)))));
  }) as T;
}

/** ASkewSGD's constraint c_ε(w) = ε − (w² − 1)² (≥ 0 on two intervals around ±1, shrinking to {±1} as ε → 0). */
export function askewConstraint<T extends tf.Tensor>(w: T, eps: PerRow): T {
  return tf.tidy(() => tf.sub(eps, tf.square(tf.sub(tf.square(w), 1)))) as T;
}

/**
 * K_{ε,α}(w) = α c_ε(w) / (4w(w² − 1)): since c_ε'(w) = −4w(w² − 1), the
 * velocities v with c_ε' v ≥ −α c_ε are one side of K (Muehlebach–Jordan).
 * Infinite at w ∈ {0, ±1}, where the direction rule never uses it.
 */
export function askewK<T extends tf.Tensor>(w: T, eps: PerRow, alpha: PerRow): T {
  return tf.tidy(() => tf.div(tf.mul(alpha, askewConstraint(w, eps)), tf.mul(tf.mul(4, w), tf.sub(tf.square(w), 1)))) as T;
}

/**
 * The direction of ASkewSGD, per coordinate: s = −ĝ if c_ε(w) ≥ 0 or w = 0 or
 * (−ĝ)·K > K² (−ĝ already moves back toward the constraint set at least as fast
 * as K), otherwise s = K.
 */
export function askewDirection<T extends tf.Tensor>(w: T, g: T, eps: PerRow, alpha: PerRow): T {
  return tf.tidy(() => {
    const descent = tf.neg(g);
    const K = askewK(w, eps, alpha);
    const free = tf.logicalOr(
      tf.logicalOr(tf.greaterEqual(askewConstraint(w, eps), 0), tf.equal(w, 0)),
      tf.greater(tf.mul(descent, K), tf.square(K)),
    );
    return tf.where(free, descent, K);
  }) as T;
}
