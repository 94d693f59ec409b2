/**
 * Optimisers as Optax-style pairs: `init(x) → state` and
 * `update(loss, x, state, step) → { x, state }`, over a batch of B independent
 * instances (x is [B, d]; row i is instance i; rows never mix).
 *
 * The rule receives the loss, not a gradient, because some methods (Nesterov)
 * take the gradient at a point other than x. `x` is always the iterate a
 * theorem talks about (x_t after t updates).
 */
import type * as tf from '@tensorflow/tfjs';
import type { BatchedLoss, Family, Instance } from '../classes/types.ts';
import type { Vec } from '../numeric/linalg.ts';

/** Per-row hyperparameters: every array has length B (row i belongs to instance i). */
export type Hyper = Readonly<Record<string, Float32Array>>;

/**
 * One update rule, already bound to its hyperparameters.
 *
 * Ownership (tensors are freed explicitly, so this is the contract):
 * - `init` borrows x (the caller still owns and frees it) and returns a state
 *   that owns every tensor it holds.
 * - `update` borrows `x` and consumes `state`: the old state must not be used
 *   afterwards (the rule frees what it does not carry over; rules backed by
 *   tf.train keep their tf.Variables and return the same object). The returned
 *   `x` is a new tensor owned by the caller.
 * - `dispose(state)` frees the state's tensors (call it once, on the latest state).
 */
export interface UpdateRule<S> {
  init(x: tf.Tensor2D): S;
  /** One update: from x_t (t = `step`, counting from 0) to x_{t+1}. */
  update(loss: BatchedLoss, x: tf.Tensor2D, state: S, step: number): { x: tf.Tensor2D; state: S };
  dispose(state: S): void;
}

/** What a rule may need beyond its hyperparameters. */
export interface RuleContext {
  /** Rows in this batch. */
  B: number;
  d: number;
  family: Family;
  /** The B instances, in row order. */
  instances: readonly Instance[];
  /**
   * The rows' positions in the caller's whole run (length B). Random streams
   * are keyed by these, so splitting a run into groups never changes them.
   */
  rows: readonly number[];
  /** Seed for anything random (minibatch sampling). */
  seed: number;
}

export type RuleFactory = (hyper: Hyper, ctx: RuleContext) => UpdateRule<unknown>;

export interface HyperSpec {
  name: string;
  /** What the number means, with its symbol in the theorems (α, β, …). */
  meaning: string;
  /** Used when the caller leaves the hyperparameter out. */
  default?: number;
  /** May be left out (and has no default): the rule then behaves as documented in `meaning`. */
  optional?: boolean;
  /** Categorical: the value is an index into these names (0 → choices[0], …). */
  choices?: readonly string[];
}

export interface OptimizerSpec {
  id: string;
  title: string;
  /** The update in one or two sentences, with its source. */
  description: string;
  /** 'own' for rules written here; otherwise the tf.train optimiser that does the work. */
  implementation: 'own' | 'tf.train.sgd' | 'tf.train.momentum' | 'tf.train.adam';
  hyper: readonly HyperSpec[];
  /** Hyperparameters that must be equal on every row of one batch (the run driver splits a batch into groups). */
  uniform: readonly string[];
  rule: RuleFactory;
  /**
   * The exact step in float64, x_{k+1} from x_k and x_{k−1} (x_{−1} = x_0),
   * for optimisers that src/optimizers/referenceStep.ts does not know
   * (described methods, the extension API's): the tolerance model needs it.
   */
  reference?(inst: Instance, hyper: Readonly<Record<string, number>>, x: Vec, xPrev: Vec, k: number): Vec;
  /**
   * How an iterate error made k steps ago can have grown (e_t = Σ gain·ξ);
   * default: src/engine/precision.ts errorGain by id (1 for an unknown id).
   */
  errorGain?(hyper: Readonly<Record<string, number>>, constants: { L: number; mu?: number }): (k: number) => number;
}
