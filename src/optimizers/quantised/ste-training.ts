/**
 * Training through a straight-through estimator (Bengio, Léonard, Courville
 * 2013; Yin et al. 2019 for the quantised-weight setting):
 *   w ← w − γ ∂/∂w f(q(w)),
 * q = sign⁺ forward with the chosen estimator's backward (ste.ts), so the step
 * is w − γ·(∇f(sign⁺ w) ⊙ q'(w)). ĝ is the full gradient, or a minibatch
 * gradient when batchSize is given.
 */
import { tf } from '../../engine/tfjs.ts';
import { batchedGradient, checked, uniformChoice } from '../common.ts';
import { OPTIONAL_BATCH_SIZE } from '../sampling.ts';
import type { OptimizerSpec } from '../types.ts';
import { frameInputs, frameRule } from './frame.ts';
import { ESTIMATORS, steSign } from './ste.ts';

export const ste: OptimizerSpec = {
  id: 'ste',
  title: 'Straight-through estimator training',
  description:
    'w ← w − γ ∂/∂w f(q(w)), q = sign forward with a straight-through backward: identity, clipped 1{|x| ≤ 1}, ApproxSign or SwishSign (Bengio et al. 2013; Larq).',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row)' },
    { name: 'estimator', meaning: 'backward of the sign quantiser (one value per batch)', choices: ESTIMATORS },
    { name: 'beta', meaning: "SwishSign's sharpness β > 0 (per row; other estimators ignore it)", default: 5 },
    OPTIONAL_BATCH_SIZE,
  ],
  uniform: ['estimator', 'batchSize'],
  rule: (hyper, ctx) => {
    const id = 'ste';
    const { lr, minibatch } = frameInputs(hyper, ctx, id);
    const beta = checked(hyper, 'beta', id, '> 0', (v) => v > 0);
    const estimator = uniformChoice(hyper, 'estimator', ESTIMATORS, id);
    return frameRule<null>({
      columns: { lr, beta },
      minibatch,
      initExtra: () => null,
      step(objective, w, { cols }) {
        const q = steSign(estimator, cols.beta);
        return tf.sub(w, tf.mul(cols.lr, batchedGradient((z) => objective(q(z)), w)));
      },
    });
  },
};
