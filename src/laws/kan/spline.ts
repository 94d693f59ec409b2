/**
 * Cubic B-splines on a uniform grid, in TensorFlow.js: the learnable edges of
 * a Kolmogorov–Arnold layer (Liu et al. 2024, whose default degree k = 3 is
 * the one the law is about). A grid of G intervals on [lo, hi] is extended by
 * 3 knots on each side, giving G + 3 basis functions B_j; a spline is
 * Σ_j c_j B_j(x). In knot units u = (x − lo)/h + 3 (h = (hi − lo)/G), B_j is
 * the cardinal cubic B-spline centred at j + 2:
 *   β(s) = ((2 − |s|)₊³ − 4 (1 − |s|)₊³) / 6,  β′(s) = sign(s) (2 (1 − |s|)₊² − (2 − |s|)₊² / 2),
 * written with arithmetic only: comparisons and boolean casts are slow on the
 * wasm backend, and this centred form has no cancellation (its terms are ≤ 4/3,
 * unlike the truncated-power form).
 */
import { tf } from '../../engine/backend.ts';

/** The spline degree (cubic). */
export const DEGREE = 3;

/** Where a spline lives: G intervals on [lo, hi]. */
export interface SplineGrid { lo: number; hi: number; G: number }

/** Basis functions of a grid of G intervals. */
export const basisCount = (G: number): number => G + DEGREE;

/**
 * The basis (…, G + 3) at x (shape […, 1]) and its slope in x; lo and h
 * broadcast against x (one grid per seed: shape [S, 1, 1] for x [S, n, 1]).
 */
export function bsplineBasis(x: tf.Tensor, lo: tf.Tensor, h: tf.Tensor, G: number): { basis: tf.Tensor; slope: tf.Tensor } {
  return tf.tidy(() => {
    // s = u − (j + 2) = (x − lo)/h + 1 − j
    const s = tf.sub(tf.add(tf.div(tf.sub(x, lo), h), 1), tf.range(0, basisCount(G), 1, 'float32'));
    const a = tf.abs(s);
    const t2 = tf.relu(tf.sub(2, a)), t1 = tf.relu(tf.sub(1, a));
    const basis = tf.div(tf.sub(tf.pow(t2, 3), tf.mul(4, tf.pow(t1, 3))), 6);
    const slope = tf.div(tf.mul(tf.sign(s), tf.sub(tf.mul(2, tf.square(t1)), tf.div(tf.square(t2), 2))), h);
    return { basis, slope };
  });
}

/** The Greville abscissae of the grid: Σ_j ξ_j B_j(x) = x on [lo, hi] (how a linear function is written in the basis). */
export function greville(grid: SplineGrid): Float64Array {
  const h = (grid.hi - grid.lo) / grid.G;
  return Float64Array.from({ length: basisCount(grid.G) }, (_, j) => grid.lo + (j - 1) * h);
}
