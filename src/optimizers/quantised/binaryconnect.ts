/**
 * BinaryConnect (Courbariaux, Bengio, David 2015, Algorithm 1): binarise the
 * weights, take the gradient there, apply it to the real-valued weights, clip
 * them to [−H, H]:
 *   w_b = H·sign⁺(w)  (deterministic)  or  ±H with P(+H) = σ(w/H)  (stochastic),
 *   w ← clip(w − γ ĝ(w_b), −H, H).
 * ĝ is the full gradient, or a minibatch gradient when batchSize is given.
 * Stochastic rows draw from their own stream binarisationRng(seed, row), so
 * results do not depend on how rows are grouped.
 */
import { tf } from '../../engine/tfjs.ts';
import type { Rng } from '../../numeric/rng.ts';
import { batchedGradient, checked, uniformChoice } from '../common.ts';
import { OPTIONAL_BATCH_SIZE } from '../sampling.ts';
import type { OptimizerSpec } from '../types.ts';
import { frameInputs, frameRule } from './frame.ts';
import { binarisationRng, binarise, clamp, rowUniforms, stochasticBinarise } from './quantisers.ts';

const MODES = ['deterministic', 'stochastic'] as const;

export const binaryconnect: OptimizerSpec = {
  id: 'binaryconnect',
  title: 'BinaryConnect',
  description:
    'w ← clip(w − γ ĝ(w_b), −H, H) with w_b = H·sign(w) or stochastic ±H (P(+H) = hard-sigmoid(w/H)): the gradient at the binarised weights moves the real ones (Courbariaux, Bengio, David 2015).',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row)' },
    { name: 'H', meaning: 'binarisation magnitude H > 0: weights binarise to ±H and are clipped to [−H, H] (per row)', default: 1 },
    { name: 'stochastic', meaning: 'binarisation: deterministic H·sign(w) or stochastic (one value per batch)', default: 0, choices: MODES },
    OPTIONAL_BATCH_SIZE,
  ],
  uniform: ['stochastic', 'batchSize'],
  rule: (hyper, ctx) => {
    const id = 'binaryconnect';
    const { lr, minibatch } = frameInputs(hyper, ctx, id);
    const H = checked(hyper, 'H', id, '> 0', (v) => v > 0);
    const mode = uniformChoice(hyper, 'stochastic', MODES, id);
    return frameRule<Rng[]>({
      columns: { lr, H },
      minibatch,
      initExtra: () => (mode === 'stochastic' ? ctx.rows.map((r) => binarisationRng(ctx.seed, r)) : []),
      step(objective, w, { cols, extra: rngs }) {
        const [B, d] = w.shape;
        const wb = mode === 'stochastic'
          ? stochasticBinarise(w, cols.H, tf.tensor2d(rowUniforms(rngs, d), [B, d]))
          : binarise(w, cols.H);
        const g = batchedGradient(objective, wb);
        return clamp(tf.sub(w, tf.mul(cols.lr, g)), tf.neg(cols.H), cols.H);
      },
    });
  },
};
