/**
 * Polyak's heavy ball, x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}) with
 * x_{−1} = x_0 (Polyak 1964), by tf.train.momentum (lr, momentum) = (α, β).
 *
 * The mapping, read from tfjs-core 4.22 MomentumOptimizer.applyGradients:
 * a ← m·a + g, then x ← x − lr·a, with the accumulator a created as zeros at
 * the first step. So a_1 = g_0 and x_1 = x_0 − α g_0 (that is x_{−1} = x_0), and
 * for k ≥ 1, x_{k+1} − x_k = −α a_{k+1} = −α g_k + β(−α a_k) = −α g_k + β(x_k − x_{k−1}).
 * Per-row α: run with lr = 1 on Σ_i α_i f_i, so a_i accumulates α_i g (α_i is
 * constant in time, and the recurrence is linear in g, so this is exact in real
 * arithmetic). β is one scalar in tf.train.momentum, hence uniform.
 */
import { tf } from '../engine/tfjs.ts';
import { checkRows, required, trainRule, uniformValue } from './common.ts';
import type { OptimizerSpec } from './types.ts';

export const heavyBall: OptimizerSpec = {
  id: 'heavy-ball',
  title: 'Heavy ball (Polyak momentum)',
  description:
    'x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}), x_{−1} = x_0 (Polyak 1964), via tf.train.momentum with lr = α, momentum = β.',
  implementation: 'tf.train.momentum',
  hyper: [
    { name: 'lr', meaning: 'step size α (per row)' },
    { name: 'momentum', meaning: 'momentum β (one value per batch: tf.train.momentum takes a scalar)' },
  ],
  uniform: ['momentum'],
  rule: (hyper, ctx) => {
    checkRows(hyper, ctx.B, 'heavy-ball');
    const beta = uniformValue(hyper, 'momentum', 'heavy-ball');
    return trainRule<null>({
      makeOptimizer: () => tf.train.momentum(1, beta, false),
      weights: required(hyper, 'lr', 'heavy-ball'),
      initExtra: () => null,
      disposeExtra: () => {},
    });
  },
};
