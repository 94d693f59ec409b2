/**
 * The batched run driver: one optimiser on B instances of one family, advanced
 * together as a [B, d] tensor program, with the iterate downloaded after every
 * update and handed to the caller.
 *
 * Groups. Some hyperparameters are a single scalar inside a tf.train optimiser
 * (heavy ball's momentum, all of Adam's); the optimiser lists them as
 * `uniform`. When such a value differs across rows, the rows are split into
 * groups of equal values (in order of first appearance) and each group runs
 * separately, with its own batched loss, from t = 0 to T. `onStep` then sees
 * one group at a time: `x` holds that group's rows only and `rows` says which
 * instances they are. Without uniform hyperparameters (or with equal values)
 * there is one group: all rows, in order, with the loss built once.
 *
 * Memory. Every tensor the run creates (loss data, iterate, optimiser state)
 * is freed before runBatch returns or throws.
 */
import { tf } from '../engine/tfjs.ts';
import type { Family, Instance } from '../classes/types.ts';
import { initEngine } from '../engine/backend.ts';
import { allFinite } from '../numeric/linalg.ts';
import { optimizerById, resolveHyper } from '../optimizers/index.ts';
import type { Hyper, OptimizerSpec, UpdateRule } from '../optimizers/types.ts';

export interface RunSpec {
  family: Family;
  /** B instances of `family`, all of the same dimension d. */
  instances: readonly Instance[];
  /** An id in OPTIMIZERS. */
  optimizer: string;
  /** Per-instance values, each of length B (a hyperparameter with a default may be left out). */
  hyper: Record<string, readonly number[]>;
  /** T: the number of updates. */
  steps: number;
  /** Starting points, one per instance (default: each instance.x0). */
  x0?: readonly ArrayLike<number>[];
  /** For minibatch sampling (default 0). */
  seed?: number;
  /**
   * Called for t = 0..T with the iterate after t updates (t = 0 is x0 rounded
   * to float32): `x` is row-major [rows.length × d], row k being instance
   * `rows[k]` (an index into `instances`). `x` is a copy the caller may keep.
   * Return 'stop' to end the whole run (remaining groups included). When an
   * entry of x is not finite, onStep still sees that step, then the group ends
   * (other groups still run).
   */
  onStep(t: number, x: Float32Array, d: number, rows: readonly number[]): void | 'stop';
}

/** Runs spec.optimizer for spec.steps updates on every instance; see the module comment. */
export async function runBatch(spec: RunSpec): Promise<void> {
  await initEngine();
  const opt = optimizerById(spec.optimizer);
  const { B, d } = checkShape(spec);
  const hyper = resolveHyper(opt, spec.hyper, B);
  // Every group's rule is built (and its hyperparameters checked) before any
  // step runs, so a bad spec fails before onStep is first called.
  const groups = groupRows(opt, hyper, B).map((rows) => ({ rows, rule: makeRule(spec, opt, hyper, rows, d) }));
  for (const { rows, rule } of groups) {
    if (runGroup(spec, rule, rows, d) === 'stop') return;
  }
}

function checkShape(spec: RunSpec): { B: number; d: number } {
  const B = spec.instances.length;
  if (B === 0) throw new Error('runBatch: no instances');
  const d = spec.instances[0].dim;
  spec.instances.forEach((inst, i) => {
    if (inst.dim !== d) throw new Error(`runBatch: instance ${i} has dimension ${inst.dim}, instance 0 has ${d}`);
  });
  if (!Number.isInteger(spec.steps) || spec.steps < 0) throw new Error(`runBatch: steps must be an integer ≥ 0, got ${spec.steps}`);
  if (spec.x0) {
    if (spec.x0.length !== B) throw new Error(`runBatch: x0 has ${spec.x0.length} points for ${B} instances`);
    spec.x0.forEach((p, i) => {
      if (p.length !== d) throw new Error(`runBatch: x0[${i}] has length ${p.length}, the dimension is ${d}`);
    });
  }
  return { B, d };
}

/** Rows with equal values of every uniform hyperparameter, in order of first appearance. */
function groupRows(opt: OptimizerSpec, hyper: Record<string, readonly number[]>, B: number): number[][] {
  const names = opt.uniform.filter((n) => hyper[n] !== undefined);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < B; i++) {
    const key = JSON.stringify(names.map((n) => hyper[n][i]));
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  return [...groups.values()];
}

/** The update rule for the rows of one group (no tensors are made here). */
function makeRule(
  spec: RunSpec,
  opt: OptimizerSpec,
  hyper: Record<string, readonly number[]>,
  rows: readonly number[],
  d: number,
): UpdateRule<unknown> {
  const groupHyper: Hyper = Object.fromEntries(
    Object.entries(hyper).map(([name, values]) => [name, Float32Array.from(rows, (i) => values[i])]),
  );
  return opt.rule(groupHyper, {
    B: rows.length,
    d,
    family: spec.family,
    instances: rows.map((i) => spec.instances[i]),
    rows,
    seed: spec.seed ?? 0,
  });
}

/** T updates on one group, with its own batched loss; 'stop' when the caller asked to end the run. */
function runGroup(spec: RunSpec, rule: UpdateRule<unknown>, rows: readonly number[], d: number): 'stop' | 'done' {
  const start = new Float32Array(rows.length * d);
  rows.forEach((i, k) => start.set(spec.x0 ? spec.x0[i] : spec.instances[i].x0, k * d));

  const loss = spec.family.tfLoss(rows.map((i) => spec.instances[i]));
  let x: tf.Tensor2D | undefined;
  let state: { value: unknown } | undefined;
  try {
    x = tf.tensor2d(start, [rows.length, d]);
    state = { value: rule.init(x) };
    for (let t = 0; ; t++) {
      if (t > 0) {
        const next = rule.update(loss, x, state.value, t - 1);
        state.value = next.state;
        x.dispose();
        x = next.x;
      }
      const data = (x.dataSync() as Float32Array).slice();
      if (spec.onStep(t, data, d, rows) === 'stop') return 'stop';
      if (t === spec.steps || !allFinite(data)) return 'done';
    }
  } finally {
    if (state) rule.dispose(state.value);
    x?.dispose();
    loss.dispose();
  }
}
