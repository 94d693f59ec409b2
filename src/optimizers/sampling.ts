/**
 * Randomness shared by the stochastic rules: per-row random streams keyed by
 * (seed, row position, purpose), and the minibatch oracle f_S of a finite-sum
 * family, S drawn uniformly WITH replacement (m draws per row and step,
 * independent across steps; Bottou–Curtis–Nocedal 2018 §4). Keying by the row's
 * position in the whole run means splitting a run into groups never changes a
 * row's samples.
 */
import { tf } from '../engine/tfjs.ts';
import type { MinibatchLoss } from '../classes/types.ts';
import { makeRng, type Rng } from '../numeric/rng.ts';
import { uniformValue } from './common.ts';
import type { Hyper, HyperSpec, RuleContext } from './types.ts';

/** What a row's stream is for; separate streams keep one use from shifting another's draws. */
export const STREAM = { minibatch: 0, binarisation: 1 } as const;

/** The random stream of row `row` (its position in the whole run) under `seed`, for one purpose. */
export function rowRng(seed: number, row: number, stream: number): Rng {
  return makeRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(row + 1, 0x85ebca6b) ^ Math.imul(stream, 0xc2b2ae35)) >>> 0);
}

/** The minibatch stream of row `row` under `seed`. */
export function minibatchRng(seed: number, row: number): Rng {
  return rowRng(seed, row, STREAM.minibatch);
}

/** Draws one minibatch per row: m indices in [0, n_i), with replacement. Row-major [B·m]. */
export function drawMinibatch(rngs: readonly Rng[], samples: readonly number[], m: number): Int32Array {
  const out = new Int32Array(rngs.length * m);
  rngs.forEach((rng, i) => {
    for (let j = 0; j < m; j++) out[i * m + j] = rng.int(samples[i]);
  });
  return out;
}

/** The per-row losses a rule differentiates: the full loss f, or f_S. */
export type Objective = (x: tf.Tensor2D) => tf.Tensor1D;

/** A live minibatch oracle (it owns the family's minibatch tensors). */
export interface Sampler {
  /** f_S(x) per row with S drawn afresh from each row's stream: one call per step. */
  objective: Objective;
  dispose(): void;
}

/** A checked minibatch setting; `open` makes the tensors (in a rule's init). */
export interface MinibatchPlan {
  m: number;
  open(): Sampler;
}

/**
 * Checks that the family is a finite sum and m an integer ≥ 1 (at rule
 * construction, so a bad spec fails before any step), without making tensors.
 */
export function minibatchPlan(optimizer: string, ctx: RuleContext, m: number): MinibatchPlan {
  if (!Number.isInteger(m) || m < 1) throw new Error(`optimizer '${optimizer}': batchSize must be an integer ≥ 1, got ${m}`);
  const { family, instances } = ctx;
  if (!family.tfMinibatchLoss || !family.samples)
    throw new Error(`optimizer '${optimizer}' needs a finite-sum family (tfMinibatchLoss and samples); '${family.id}' is not one`);
  const makeLoss = family.tfMinibatchLoss.bind(family);
  const samples = instances.map((inst) => family.samples!(inst));
  return {
    m,
    open() {
      const loss: MinibatchLoss = makeLoss(instances);
      const rngs = ctx.rows.map((r) => minibatchRng(ctx.seed, r));
      return {
        objective: (x) => tf.tidy(() => loss(x, tf.tensor2d(drawMinibatch(rngs, samples, m), [rngs.length, m], 'int32'))),
        dispose: () => loss.dispose(),
      };
    },
  };
}

/** The `batchSize` of rules that take the full gradient unless it is given (list it in `uniform` too). */
export const OPTIONAL_BATCH_SIZE: HyperSpec = {
  name: 'batchSize',
  meaning: 'minibatch size m drawn with replacement (one value per batch); left out: the full gradient',
  optional: true,
};

/** For rules whose `batchSize` may be left out: absent means the full gradient (null). */
export function optionalMinibatch(hyper: Hyper, ctx: RuleContext, optimizer: string): MinibatchPlan | null {
  return hyper.batchSize === undefined ? null : minibatchPlan(optimizer, ctx, uniformValue(hyper, 'batchSize', optimizer));
}
