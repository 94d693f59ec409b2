/**
 * Small pieces the update rules share: the per-row gradient, per-row
 * hyperparameters as broadcastable columns, and the wrapper that puts a real
 * tf.train optimiser behind the UpdateRule interface.
 */
import { tf } from '../engine/tfjs.ts';
import type { BatchedLoss } from '../classes/types.ts';
import type { Hyper, UpdateRule } from './types.ts';

/**
 * ∇f_i(x_i) for every row: the gradient of the summed batched loss. Rows never
 * mix in a BatchedLoss, so row i of ∇(Σ_j f_j) is ∇f_i(x_i).
 */
export function batchedGradient(loss: BatchedLoss | ((x: tf.Tensor2D) => tf.Tensor1D), x: tf.Tensor2D): tf.Tensor2D {
  return tf.grad((z) => tf.sum(loss(z as tf.Tensor2D)))(x) as tf.Tensor2D;
}

/** A per-row hyperparameter as a [B, 1] column, so it scales row i of a [B, d] tensor. */
export function column(values: Float32Array): tf.Tensor2D {
  return tf.tensor2d(values, [values.length, 1]);
}

/**
 * Checks that every hyperparameter has one value per row: a [B', 1] column
 * against a [B, d] iterate would broadcast silently when B' or B is 1.
 */
export function checkRows(hyper: Hyper, B: number, optimizer: string): void {
  for (const [name, v] of Object.entries(hyper))
    if (v.length !== B) throw new Error(`optimizer '${optimizer}': hyperparameter '${name}' has ${v.length} values for ${B} rows`);
}

/** The per-row values of a hyperparameter, or a clear error naming the optimiser. */
export function required(hyper: Hyper, name: string, optimizer: string): Float32Array {
  const v = hyper[name];
  if (v === undefined) throw new Error(`optimizer '${optimizer}': hyperparameter '${name}' is required`);
  return v;
}

/**
 * The single value of a hyperparameter that a tf.train optimiser takes as one
 * scalar; throws when rows disagree (the run driver splits such batches).
 */
export function uniformValue(hyper: Hyper, name: string, optimizer: string): number {
  const v = required(hyper, name, optimizer);
  for (let i = 1; i < v.length; i++)
    if (!Object.is(v[i], v[0]))
      throw new Error(`optimizer '${optimizer}': '${name}' must be equal on every row of a batch (row 0: ${v[0]}, row ${i}: ${v[i]})`);
  return v[0];
}

/**
 * Throws unless `value` is an index into `choices` (a categorical
 * hyperparameter, HyperSpec.choices); `where` says which row or instance.
 */
export function checkChoice(optimizer: string, name: string, choices: readonly string[], value: number, where: string): void {
  if (!(Number.isInteger(value) && value >= 0 && value < choices.length))
    throw new Error(
      `optimizer '${optimizer}': hyperparameter '${name}' of ${where} is ${value}, not an index into its choices (${choices.map((c, i) => `${i} ${c}`).join(', ')})`,
    );
}

/** The choice a categorical hyperparameter names, equal on every row of a batch. */
export function uniformChoice<C extends string>(hyper: Hyper, name: string, choices: readonly C[], optimizer: string): C {
  const v = uniformValue(hyper, name, optimizer);
  checkChoice(optimizer, name, choices, v, 'this batch');
  return choices[v];
}

/** The per-row choices a categorical hyperparameter names. */
export function rowChoices<C extends string>(hyper: Hyper, name: string, choices: readonly C[], optimizer: string): C[] {
  return Array.from(required(hyper, name, optimizer), (v, i) => {
    checkChoice(optimizer, name, choices, v, `row ${i}`);
    return choices[v];
  });
}

/**
 * The per-row values of a hyperparameter that must satisfy `ok` (stated in
 * `must`, e.g. '> 0'), or an error naming the optimiser, the hyperparameter and the row.
 */
export function checked(hyper: Hyper, name: string, optimizer: string, must: string, ok: (v: number) => boolean): Float32Array {
  const v = required(hyper, name, optimizer);
  v.forEach((x, i) => {
    if (!ok(x)) throw new Error(`optimizer '${optimizer}': hyperparameter '${name}' must be ${must} (row ${i}: ${x})`);
  });
  return v;
}

/** The state of a tf.train-backed rule: the optimiser's own tf.Variables, mutated in place. */
export interface TrainState<E> {
  /** The iterate, as the variable the tf.train optimiser updates. */
  variable: tf.Variable<tf.Rank2>;
  optimizer: tf.Optimizer;
  /** w_i multiplying f_i in the minimised objective Σ_i w_i f_i (the per-row step size), or null for w = 1. */
  weights: tf.Tensor1D | null;
  extra: E;
}

export interface TrainRuleOptions<E> {
  makeOptimizer(): tf.Optimizer;
  /**
   * Per-row weights w_i: the optimiser minimises Σ_i w_i f_i(x_i), so row i
   * sees the gradient w_i ∇f_i(x_i). With learning rate 1 this turns a per-row
   * step size into a weight (exact for update rules that are linear in the
   * gradient, see gd.ts and heavy-ball.ts). null: w_i = 1.
   */
  weights: Float32Array | null;
  /** Resources the objective needs (created in init, freed in dispose). */
  initExtra(): E;
  disposeExtra(extra: E): void;
  /** The per-row losses the optimiser minimises at step `step` (default: the full loss). */
  objective?(loss: BatchedLoss, x: tf.Tensor2D, extra: E, step: number): tf.Tensor1D;
}

/**
 * A real tf.train optimiser behind the UpdateRule interface. Each update first
 * assigns the given x to the optimiser's variable, so the step is taken from
 * exactly the iterate the caller passes; the optimiser's accumulators (momentum,
 * Adam's moments) live in its own tf.Variables.
 */
export function trainRule<E>(opts: TrainRuleOptions<E>): UpdateRule<TrainState<E>> {
  return {
    init(x) {
      // The extra resources first: they are what may fail (e.g. a family's minibatch loss).
      const extra = opts.initExtra();
      const variable = tf.variable(x, true) as tf.Variable<tf.Rank2>;
      const weights = opts.weights ? tf.tensor1d(opts.weights) : null;
      return { variable, optimizer: opts.makeOptimizer(), weights, extra };
    },
    update(loss, x, state, step) {
      const { variable, optimizer, weights, extra } = state;
      variable.assign(x);
      tf.tidy(() => {
        optimizer.minimize(() => {
          const f = opts.objective ? opts.objective(loss, variable, extra, step) : loss(variable);
          return tf.sum(weights ? tf.mul(f, weights) : f);
        }, false, [variable]);
      });
      return { x: tf.clone(variable), state };
    },
    dispose(state) {
      state.optimizer.dispose();
      // tfjs 4.22's MomentumOptimizer.dispose() does not free the learning-rate
      // scalar `c` of its SGDOptimizer base; free whatever tensor the optimiser
      // still holds in its own fields (disposing twice is a no-op).
      tf.dispose(Object.values(state.optimizer).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
      state.variable.dispose();
      state.weights?.dispose();
      opts.disposeExtra(state.extra);
    },
  };
}
