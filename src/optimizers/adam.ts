/**
 * Adam (Kingma–Ba 2015, Algorithm 1) by tf.train.adam: m ← β₁m + (1−β₁)g,
 * v ← β₂v + (1−β₂)g², x ← x − lr·m̂/(√v̂ + ε), m̂ = m/(1−β₁^t), v̂ = v/(1−β₂^t)
 * (tfjs-core 4.22 AdamOptimizer; ε is added to √v̂, as in the paper).
 * Every hyperparameter is uniform: tf.train.adam takes scalars, and Adam's
 * step is invariant to scaling f_i, so a per-row step cannot be folded into the loss.
 */
import { tf } from '../engine/tfjs.ts';
import { checkRows, trainRule, uniformValue } from './common.ts';
import type { OptimizerSpec } from './types.ts';

export const adam: OptimizerSpec = {
  id: 'adam',
  title: 'Adam',
  description:
    'm ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← x − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂ (Kingma–Ba 2015), via tf.train.adam.',
  implementation: 'tf.train.adam',
  hyper: [
    { name: 'lr', meaning: 'step size (one value per batch)', default: 0.001 },
    { name: 'beta1', meaning: 'first-moment decay β₁ (one value per batch)', default: 0.9 },
    { name: 'beta2', meaning: 'second-moment decay β₂ (one value per batch)', default: 0.999 },
    { name: 'epsilon', meaning: 'ε added to √v̂ (one value per batch)', default: 1e-7 },
  ],
  uniform: ['lr', 'beta1', 'beta2', 'epsilon'],
  rule: (hyper, ctx) => {
    checkRows(hyper, ctx.B, 'adam');
    const [lr, beta1, beta2, epsilon] = ['lr', 'beta1', 'beta2', 'epsilon'].map((n) => uniformValue(hyper, n, 'adam'));
    return trainRule<null>({
      makeOptimizer: () => tf.train.adam(lr, beta1, beta2, epsilon),
      weights: null,
      initExtra: () => null,
      disposeExtra: () => {},
    });
  },
};
