/**
 * Minibatch SGD, x_{k+1} = x_k − γ_i ∇f_{S_k}(x_k) with f_S = (1/m) Σ_{j∈S} f_j
 * and S_k drawn uniformly WITH replacement from {0..n−1} (m draws, independent
 * across steps; Bottou–Curtis–Nocedal 2018 §4), by tf.train.sgd at rate 1 on
 * Σ_i γ_i f_{S_k,i}(x_i) (per-row γ as in gd.ts). Row i draws its indices from
 * its own stream `minibatchRng(seed, row)`, so a row's samples do not depend on
 * which other rows share its batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { MinibatchLoss } from '../classes/types.ts';
import { makeRng, type Rng } from '../numeric/rng.ts';
import { checkRows, required, trainRule, uniformValue } from './common.ts';
import type { OptimizerSpec } from './types.ts';

/** The random stream of row `row` (its position in the whole run) under `seed`. */
export function minibatchRng(seed: number, row: number): Rng {
  return makeRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(row + 1, 0x85ebca6b)) >>> 0);
}

/** Draws one minibatch per row: m indices in [0, n_i), with replacement. Row-major [B·m]. */
export function drawMinibatch(rngs: readonly Rng[], samples: readonly number[], m: number): Int32Array {
  const out = new Int32Array(rngs.length * m);
  rngs.forEach((rng, i) => {
    for (let j = 0; j < m; j++) out[i * m + j] = rng.int(samples[i]);
  });
  return out;
}

interface Sampler {
  loss: MinibatchLoss;
  rngs: Rng[];
  samples: number[];
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
  ],
  uniform: ['batchSize'],
  rule: (hyper, ctx) => {
    checkRows(hyper, ctx.B, 'sgd');
    const m = uniformValue(hyper, 'batchSize', 'sgd');
    if (!Number.isInteger(m) || m < 1) throw new Error(`optimizer 'sgd': batchSize must be an integer ≥ 1, got ${m}`);
    const { family, instances } = ctx;
    if (!family.tfMinibatchLoss || !family.samples)
      throw new Error(`optimizer 'sgd' needs a finite-sum family (tfMinibatchLoss and samples); '${family.id}' is not one`);
    const makeLoss = family.tfMinibatchLoss.bind(family);
    const samples = instances.map((inst) => family.samples!(inst));
    return trainRule<Sampler>({
      makeOptimizer: () => tf.train.sgd(1),
      weights: required(hyper, 'lr', 'sgd'),
      initExtra: () => ({ loss: makeLoss(instances), rngs: ctx.rows.map((r) => minibatchRng(ctx.seed, r)), samples }),
      disposeExtra: (s) => s.loss.dispose(),
      objective: (_full, x, s) => {
        const batch = tf.tensor2d(drawMinibatch(s.rngs, s.samples, m), [s.rngs.length, m], 'int32');
        return s.loss(x, batch);
      },
    });
  },
};
