/**
 * Full-batch gradient descent, x_{t+1} = x_t − γ_i ∇f_i(x_t) on every row i,
 * by tf.train.sgd (Nesterov 2018 §1.2.3). Per-row step sizes: tf.train.sgd takes
 * one learning rate, so it runs with rate 1 on Σ_i γ_i f_i(x_i), whose row-i
 * gradient is γ_i ∇f_i(x_i): the same update (exact in real arithmetic, because
 * sgd's step is linear in the gradient; float32 only rounds in a different order).
 */
import { tf } from '../engine/tfjs.ts';
import { checkRows, required, trainRule } from './common.ts';
import type { OptimizerSpec } from './types.ts';

export const gd: OptimizerSpec = {
  id: 'gd',
  title: 'Gradient descent',
  description: 'x_{t+1} = x_t − γ∇f(x_t) on the full objective (tf.train.sgd; Nesterov 2018 §1.2.3).',
  implementation: 'tf.train.sgd',
  hyper: [{ name: 'lr', meaning: 'step size γ (per row)' }],
  uniform: [],
  rule: (hyper, ctx) => {
    checkRows(hyper, ctx.B, 'gd');
    return trainRule<null>({
      makeOptimizer: () => tf.train.sgd(1),
      weights: required(hyper, 'lr', 'gd'),
      initExtra: () => null,
      disposeExtra: () => {},
    });
  },
};
