/**
 * ProxQuant (Bai, Wang, Liberty 2019, Algorithm 1 with the binary regulariser
 * R(θ) = Σ_j min(|θ_j − 1|, |θ_j + 1|)): a gradient step, then the prox of R
 * with a growing weight, then a clip:
 *   θ ← clip_{[−1,1]}(prox_{η λ_t R}(θ − η ĝ(θ))),  λ_t = lambdaRate·t,
 * t the update counter (from 0; the paper grows λ linearly in the epoch). ĝ is
 * the full gradient, or a minibatch gradient when batchSize is given.
 */
import { tf } from '../../engine/tfjs.ts';
import { batchedGradient, checked } from '../common.ts';
import { OPTIONAL_BATCH_SIZE } from '../sampling.ts';
import type { OptimizerSpec } from '../types.ts';
import { frameInputs, frameRule } from './frame.ts';
import { clamp, proxQuant } from './quantisers.ts';

export const proxquant: OptimizerSpec = {
  id: 'proxquant',
  title: 'ProxQuant (binary)',
  description:
    'θ ← clip_{[−1,1]}(prox_{ηλ_t R}(θ − η ĝ(θ))), R(θ) = Σ min(|θ − 1|, |θ + 1|), λ_t = lambdaRate·t (Bai, Wang, Liberty 2019).',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size η (per row)' },
    { name: 'lambdaRate', meaning: 'growth of the regulariser weight λ_t = lambdaRate·t, ≥ 0 (per row)' },
    OPTIONAL_BATCH_SIZE,
  ],
  uniform: ['batchSize'],
  rule: (hyper, ctx) => {
    const id = 'proxquant';
    const { lr, minibatch } = frameInputs(hyper, ctx, id);
    const rate = checked(hyper, 'lambdaRate', id, '≥ 0', (v) => v >= 0);
    return frameRule<null>({
      // η·lambdaRate per row: the prox threshold at step t is this times t.
      columns: { lr, lrRate: lr.map((g, i) => g * rate[i]) },
      minibatch,
      initExtra: () => null,
      step(objective, theta, { cols }, t) {
        const moved = tf.sub<tf.Tensor2D>(theta, tf.mul(cols.lr, batchedGradient(objective, theta)));
        return clamp(proxQuant(moved, tf.mul(cols.lrRate, t)), -1, 1);
      },
    });
  },
};
