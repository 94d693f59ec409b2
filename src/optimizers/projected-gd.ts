/**
 * Projected gradient descent, x_{t+1} = Π_C(x_t − γ∇f(x_t)) (Bubeck 2015 §3.1),
 * with C the Euclidean ball of radius r around 0, Π(z) = z·min(1, r/‖z‖), or the
 * box [lo, hi]^d, Π(z) = min(max(z, lo), hi). C is per row.
 */
import { tf } from '../engine/tfjs.ts';
import { batchedGradient, checkRows, column, required } from './common.ts';
import type { Hyper, OptimizerSpec, UpdateRule } from './types.ts';

type Constraint = { kind: 'ball'; radius: tf.Tensor2D } | { kind: 'box'; lo: tf.Tensor2D; hi: tf.Tensor2D };

export interface ProjectedState {
  lr: tf.Tensor2D;
  set: Constraint;
}

/** Π_C(z) for every row. */
export function project(z: tf.Tensor2D, set: Constraint): tf.Tensor2D {
  return tf.tidy(() => {
    if (set.kind === 'box') return tf.minimum(tf.maximum(z, set.lo), set.hi);
    // ‖z‖ = 0 gives r/0 = ∞ and a factor of 1: z stays 0.
    const norms = tf.norm(z, 'euclidean', 1, true);
    return tf.mul(z, tf.minimum(1, tf.div(set.radius, norms)));
  });
}

function constraint(hyper: Hyper): () => Constraint {
  const { radius, lo, hi } = hyper;
  if (radius && !lo && !hi) return () => ({ kind: 'ball', radius: column(radius) });
  if (lo && hi && !radius) {
    lo.forEach((l, i) => {
      if (!(l <= hi[i])) throw new Error(`optimizer 'projected-gd': row ${i} has lo = ${l} > hi = ${hi[i]}`);
    });
    return () => ({ kind: 'box', lo: column(lo), hi: column(hi) });
  }
  throw new Error(`optimizer 'projected-gd': give either 'radius' (a ball) or both 'lo' and 'hi' (a box)`);
}

export const projectedGd: OptimizerSpec = {
  id: 'projected-gd',
  title: 'Projected gradient descent',
  description: 'x_{t+1} = Π_C(x_t − γ∇f(x_t)), C a Euclidean ball around 0 or a box (Bubeck 2015 §3.1).',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row)' },
    { name: 'radius', meaning: 'radius of the ball C = {‖x‖ ≤ r} (per row); give this or lo and hi', optional: true },
    { name: 'lo', meaning: 'lower bound of the box C = [lo, hi]^d (per row)', optional: true },
    { name: 'hi', meaning: 'upper bound of the box C = [lo, hi]^d (per row)', optional: true },
  ],
  uniform: [],
  rule: (hyper, ctx): UpdateRule<ProjectedState> => {
    checkRows(hyper, ctx.B, 'projected-gd');
    const lr = required(hyper, 'lr', 'projected-gd');
    const makeSet = constraint(hyper);
    return {
      init: () => ({ lr: column(lr), set: makeSet() }),
      update: (loss, x, state) => ({
        x: tf.tidy(() => project(tf.sub(x, tf.mul(state.lr, batchedGradient(loss, x))), state.set)),
        state,
      }),
      dispose(state) {
        state.lr.dispose();
        if (state.set.kind === 'ball') state.set.radius.dispose();
        else tf.dispose([state.set.lo, state.set.hi]);
      },
    };
  },
};
