/**
 * [lessard] The piecewise quadratic of Lessard, Recht and Packard (2016, §4.6)
 * on which the heavy-ball method with Polyak's quadratic tuning fails:
 *   f(x) = 25x²/2               for x < 1,
 *          x²/2 + 24x − 12      for 1 ≤ x < 2,
 *          25x²/2 − 24x + 36    for x ≥ 2.
 * Checked here: f and f′ agree at the joins (f(1) = 12.5, f′(1) = 25;
 * f(2) = 38, f′(2) = 26), so f is C¹ with f′ piecewise linear of slopes
 * 25, 1, 25: hence μ = 1 (strongly convex) and L = 25 (smooth), both attained;
 * f′ > 0 for x > 0, so x* = 0, f* = 0. Heavy ball with α = 4/(√L + √μ)² = 1/9,
 * β = ((√κ − 1)/(√κ + 1))² = 4/9 and x_{−1} = x0 = 3.3 settles into a 3-cycle
 * instead of converging (tests/families-specific.test.ts runs it in float64).
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family } from '../types.ts';
import { checkBatch, finiteArray, makeBatchedLoss } from './common.ts';

/** Params of [lessard]: { x0: number[] (length 1; default [3.3], inside the cycling basin [3.07, 3.46]) }. */
export type LessardParams = { x0: number[] };

export const LESSARD_DEFAULT: LessardParams = { x0: [3.3] };

export function lessardValue(x: number): number {
  if (x < 1) return 12.5 * x * x;
  if (x < 2) return 0.5 * x * x + 24 * x - 12;
  return 12.5 * x * x - 24 * x + 36;
}
export function lessardGrad(x: number): number {
  if (x < 1) return 25 * x;
  if (x < 2) return x + 24;
  return 25 * x - 24;
}

export const lessard: Family<LessardParams> = {
  id: 'lessard',
  title: 'Lessard–Recht–Packard piecewise quadratic',
  description:
    '1-D C¹ piecewise quadratic with f″ ∈ {25, 1, 25}: μ = 1, L = 25, x* = 0, f* = 0; heavy ball tuned for quadratics (α = 1/9, β = 4/9) cycles from x0 = 3.3.',
  classes: ['convex', 'L-smooth', 'mu-strongly-convex', 'mu-PL', 'bounded-below'],
  dims: [1],

  arbitrary() {
    return fc
      .oneof(
        fc.constant(3.3),
        fc.double({ min: 3.07, max: 3.46, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
      )
      .map((v) => ({ x0: [v === 0 ? 0 : v] }));
  },

  instantiate(params) {
    const x0 = finiteArray('lessard: x0', params.x0, 1);
    return {
      family: 'lessard',
      params,
      dim: 1,
      cert: { convex: true, quadratic: false, L: 25, mu: 1, pl: 1, fstar: 0 },
      x0: Float64Array.from(x0),
      value: (x) => lessardValue(x[0]),
      grad: (x) => Float64Array.of(lessardGrad(x[0])),
      // f″ jumps at x = 1 and x = 2; there the value of the piece to the right is returned
      hess: (x) => Float64Array.of(x[0] >= 1 && x[0] < 2 ? 1 : 25),
      nearestMinimiser: () => Float64Array.of(0),
    };
  },

  tfLoss(instances) {
    checkBatch('lessard', instances);
    const B = instances.length;
    return makeBatchedLoss([], (x) => {
      // One branch-free formula (tf.where on tf.less has no gradient): with u = clip(x − 1, 0, 1),
      // f′ = 25x − 24u and f = 12.5x² − 12u² − 24·relu(x − 2), equal to the three pieces above.
      const v = x.reshape([B]);
      const u = tf.clipByValue(tf.sub(v, 1), 0, 1);
      return tf.sub(tf.sub(tf.mul(12.5, tf.square(v)), tf.mul(12, tf.square(u))), tf.mul(24, tf.relu(tf.sub(v, 2)))) as tf.Tensor1D;
    });
  },
};
