/**
 * The float64 driver: the optimiser's exact step (src/optimizers/referenceStep.ts)
 * iterated in float64, with runBatch's interface. It is the same algorithm
 * without TensorFlow.js: a search evaluates thousands of candidates with it
 * (no per-operation cost, no batching constraint such as heavy ball's one
 * momentum per batch), and every verdict it leads to is then confirmed on a
 * real float32 run.
 */
import { referenceStep } from '../optimizers/referenceStep.ts';
import type { Vec } from '../numeric/linalg.ts';
import type { RunSpec } from './run.ts';

export type Float64RunSpec = Omit<RunSpec, 'onStep'> & {
  /** As RunSpec.onStep, one row at a time (`rows` has one entry), the iterate in float64. */
  onStep(t: number, x: Float64Array, d: number, rows: readonly number[]): void | 'stop';
};

/** Runs every row for spec.steps exact steps from its x0 (x_{−1} = x_0); a row ends when its iterate is not finite. */
export async function runFloat64(spec: Float64RunSpec): Promise<void> {
  const B = spec.instances.length;
  for (let i = 0; i < B; i++) {
    const inst = spec.instances[i];
    const d = inst.dim;
    const hyper = Object.fromEntries(Object.entries(spec.hyper).map(([k, v]) => [k, v[i]]));
    let x: Vec = Float64Array.from(spec.x0 ? spec.x0[i] : inst.x0);
    let prev: Vec = x;
    if (spec.onStep(0, x, d, [i]) === 'stop') return;
    for (let t = 1; t <= spec.steps; t++) {
      const next = referenceStep(spec.optimizer, inst, hyper, x, prev, t - 1);
      if (!next) throw new Error(`no float64 step for optimiser '${spec.optimizer}'`);
      prev = x;
      x = next;
      if (spec.onStep(t, x, d, [i]) === 'stop') return;
      if (!x.every(Number.isFinite)) break;
    }
  }
}
