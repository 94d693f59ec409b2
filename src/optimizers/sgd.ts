/**
 * Minibatch SGD, x_{k+1} = x_k − γ_i ∇f_{S_k}(x_k) with f_S = (1/m) Σ_{j∈S} f_j
 * and S_k drawn uniformly WITH replacement from {0..n−1} (m draws, independent
 * across steps; Bottou–Curtis–Nocedal 2018 §4), by tf.train.sgd at rate 1 on
 * Σ_i γ_i f_{S_k,i}(x_i) (per-row γ as in gd.ts). Row i draws its indices from
 * its own stream `minibatchRng(seed, row)` (sampling.ts), so a row's samples do
 * not depend on which other rows share its batch.
 */
import { tf } from '../engine/tfjs.ts';
import { checkRows, required, trainRule, uniformValue } from './common.ts';
import { minibatchPlan, type Sampler } from './sampling.ts';
import type { Hyper, OptimizerSpec } from './types.ts';

// Where they lived before sampling.ts; callers may keep importing them from here.
export { drawMinibatch, minibatchRng } from './sampling.ts';

/** The step-size schedules, in the order of the `schedule` hyperparameter's values. */
export const SCHEDULES = ['constant', 'inverse-time', 'kns'] as const;

/** φ_i(s) with γ_{i,s} = lr_i·φ_i(s), or null for the constant schedule. */
function scheduleFactor(hyper: Hyper, B: number): (step: number) => Float32Array | null {
  const kind = SCHEDULES[hyper.schedule ? uniformValue(hyper, 'schedule', 'sgd') : 0];
  switch (kind) {
    case 'constant': return () => null;
    case 'inverse-time': {
      const c = hyper.offset;
      if (!c || c.some((v) => !(v > 0))) throw new Error("optimizer 'sgd': the inverse-time schedule needs an offset > 0 on every row");
      return (s) => Float32Array.from(c, (ci) => ci / (ci + s));
    }
    case 'kns': return (s) => new Float32Array(B).fill((2 * s + 1) / (s + 1) ** 2);
  }
}

export const sgd: OptimizerSpec = {
  id: 'sgd',
  title: 'Minibatch SGD',
  description:
    'x_{k+1} = x_k − γ∇f_S(x_k) with S of size m drawn uniformly with replacement at every step (Bottou–Curtis–Nocedal 2018 §4), via tf.train.sgd; finite-sum families only.',
  implementation: 'tf.train.sgd',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row)' },
    { name: 'batchSize', meaning: 'minibatch size m, drawn with replacement (one value per batch: the minibatch tensor is [B, m])', default: 1 },
    {
      name: 'schedule',
      meaning: 'step sizes: constant γ_s = lr; inverse-time γ_s = lr·c/(c + s) (BCN Thm 4.7 with c = γ + 1); kns γ_s = lr·(2s + 1)/(s + 1)² (KNS Thm 4 with lr = 1/(2μ)); s counts updates from 0',
      choices: SCHEDULES,
      default: 0,
    },
    { name: 'offset', meaning: 'c of the inverse-time schedule (per row, > 0)', optional: true },
  ],
  uniform: ['batchSize', 'schedule'],
  rule: (hyper, ctx) => {
    checkRows(hyper, ctx.B, 'sgd');
    const plan = minibatchPlan('sgd', ctx, uniformValue(hyper, 'batchSize', 'sgd'));
    const factor = scheduleFactor(hyper, ctx.B);
    return trainRule<Sampler>({
      makeOptimizer: () => tf.train.sgd(1),
      weights: required(hyper, 'lr', 'sgd'),
      initExtra: () => plan.open(),
      disposeExtra: (s) => s.dispose(),
      // γ_s = lr·φ(s): scaling row i's loss by φ_i(s) scales its gradient, as the weights do for lr.
      objective: (_full, x, s, step) => {
        const phi = factor(step);
        return phi ? tf.mul(s.objective(x), tf.tensor1d(phi)) : s.objective(x);
      },
    });
  },
};
