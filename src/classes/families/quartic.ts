/**
 * [quartic] f(x) = c Σ_j x_j⁴, c > 0 (separable over d coordinates).
 * Convex, bounded below with f* = 0 at the unique x* = 0, and NOT globally
 * smooth: f″ = 12c x² is unbounded, so L is undefined (only quarticLocalL, the
 * Lipschitz constant of ∇f on the ball ‖x‖_∞ ≤ radius, is finite). Not strongly
 * convex and not PL (½f′² = 8c²x⁶ ≪ c x⁴ near 0). With c = 1, GD with γ = 0.1
 * from x0 = 3 diverges within a few steps.
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family } from '../types.ts';
import { makeRng } from '../../numeric/rng.ts';
import { checkBatch, finiteArray, finiteNumber, logUniform, makeBatchedLoss, seedArb } from './common.ts';

/** Params of [quartic]: { c: number (> 0); x0: number[] (length d, the dimension) }. */
export type QuarticParams = { c: number; x0: number[] };

/** Lipschitz constant of ∇f on {‖x‖_∞ ≤ radius}: the Hessian is diag(12c x_j²). */
export function quarticLocalL(c: number, radius: number): number {
  return 12 * c * radius * radius;
}

function parse(p: QuarticParams) {
  const c = finiteNumber('quartic: c', p.c, 0, Infinity, true);
  const x0 = finiteArray('quartic: x0', p.x0);
  if (x0.length < 1) throw new Error('quartic: x0 must have length ≥ 1');
  return { c, x0 };
}

export const quartic: Family<QuarticParams> = {
  id: 'quartic',
  title: 'c·x⁴: convex but not globally smooth',
  description:
    'f(x) = cΣx_j⁴: convex, f* = 0 at x* = 0, not L-smooth on the whole space (f″ = 12cx² is unbounded), not strongly convex, not PL.',
  classes: ['convex', 'bounded-below'],

  arbitrary(ctx) {
    const dim = ctx.dim;
    return fc
      .record({ c: logUniform(0.01, 10, [1]), seed: seedArb(), scale: logUniform(0.01, 5, [1, 3]) })
      .map((r) => {
        const rng = makeRng(r.seed);
        return { c: r.c, x0: Array.from({ length: dim }, () => r.scale * rng.normal()) };
      });
  },

  instantiate(params) {
    const { c, x0 } = parse(params);
    const d = x0.length;
    return {
      family: 'quartic',
      params,
      dim: d,
      cert: { convex: true, quadratic: false, fstar: 0 },
      x0: Float64Array.from(x0),
      value(x) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[j] ** 4;
        return c * s;
      },
      grad: (x) => Float64Array.from({ length: d }, (_, j) => 4 * c * x[j] ** 3),
      hess(x) {
        const H = new Float64Array(d * d);
        for (let j = 0; j < d; j++) H[j * d + j] = 12 * c * x[j] ** 2;
        return H;
      },
      nearestMinimiser: () => new Float64Array(d),
      data: { c },
    };
  },

  tfLoss(instances) {
    checkBatch('quartic', instances);
    const cT = tf.tensor1d(Float32Array.from(instances, (i) => parse(i.params as QuarticParams).c));
    return makeBatchedLoss([cT], (x) => tf.mul(cT, tf.sum(tf.square(tf.square(x)), 1)) as tf.Tensor1D);
  },
};
