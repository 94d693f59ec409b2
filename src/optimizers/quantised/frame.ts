/**
 * The frame the quantised rules share, Optax style (an update is a pure step
 * over explicit state): per-row hyperparameters as [B, 1] columns, the
 * objective whose gradient is ĝ (the full loss f, or f_S on a minibatch drawn
 * afresh every step when batchSize is given, sampling.ts), rule-specific state
 * without tensors (random streams), and the ownership contract of UpdateRule
 * (types.ts): init makes every tensor the state holds, dispose frees them.
 */
import { tf } from '../../engine/tfjs.ts';
import { checkRows, column, required } from '../common.ts';
import { optionalMinibatch, type MinibatchPlan, type Objective, type Sampler } from '../sampling.ts';
import type { Hyper, RuleContext, UpdateRule } from '../types.ts';

/**
 * What every quantised rule starts from, checked: one value per row for each
 * hyperparameter, the step size `lr`, and the minibatch plan (null: full gradient).
 */
export function frameInputs(hyper: Hyper, ctx: RuleContext, optimizer: string): { lr: Float32Array; minibatch: MinibatchPlan | null } {
  checkRows(hyper, ctx.B, optimizer);
  return { lr: required(hyper, 'lr', optimizer), minibatch: optionalMinibatch(hyper, ctx, optimizer) };
}

export interface FrameState<E> {
  /** Per-row hyperparameters as [B, 1] columns. */
  cols: Readonly<Record<string, tf.Tensor2D>>;
  /** The minibatch oracle, or null: ĝ is the full gradient. */
  sampler: Sampler | null;
  extra: E;
}

export interface FrameOptions<E> {
  /** Per-row values (length B each), uploaded as columns in init. */
  columns: Readonly<Record<string, Float32Array>>;
  minibatch: MinibatchPlan | null;
  initExtra(): E;
  /**
   * x_{t+1} from x_t (t counts from 0), run inside tf.tidy; `objective` is the
   * function ĝ differentiates (call it once per step: each call draws a minibatch).
   */
  step(objective: Objective, x: tf.Tensor2D, state: FrameState<E>, t: number): tf.Tensor2D;
}

/** An UpdateRule from a step function: init uploads the columns and opens the sampler, update runs `step` in tf.tidy. */
export function frameRule<E>(opts: FrameOptions<E>): UpdateRule<FrameState<E>> {
  return {
    init() {
      // The sampler first: it is what may fail (the family's minibatch loss).
      const sampler = opts.minibatch ? opts.minibatch.open() : null;
      const cols = Object.fromEntries(Object.entries(opts.columns).map(([name, v]) => [name, column(v)]));
      return { cols, sampler, extra: opts.initExtra() };
    },
    update: (loss, x, state, t) => ({
      x: tf.tidy(() => opts.step(state.sampler ? state.sampler.objective : loss, x, state, t)),
      state,
    }),
    dispose(state) {
      tf.dispose(Object.values(state.cols));
      state.sampler?.dispose();
    },
  };
}
