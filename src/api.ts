/**
 * The extension API (docs/api.md): register a witness family, an optimiser
 * and a theorem from a script, then verify, relax or measure tightness as the
 * CLI does. Scripts import it as `boundlab/api` (api.mjs, which loads this
 * TypeScript without any build step). Errors raised in the script's own
 * functions are reported as UserCodeError, naming the function.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { addFamily, familyById } from './classes/index.ts';
import type { Family, Instance } from './classes/types.ts';
import { initEngine } from './engine/backend.ts';
import { describeMethod } from './methods/describe.ts';
import { describedOptimizer } from './methods/optimizer.ts';
import { batchedGradient, column } from './optimizers/common.ts';
import { optimizerById, registerOptimizer as addOptimizer } from './optimizers/index.ts';
import type { OptimizerSpec, UpdateRule } from './optimizers/types.ts';
import { addTheorem } from './theorems/index.ts';
import { parseStatement } from './language/statement.ts';
import type { Theorem } from './theorems/types.ts';
import { loadTheoremFile as loadFile, loadTheoremText } from './theoremFiles/load.ts';

export { initEngine } from './engine/backend.ts';
/** The TensorFlow.js and fast-check that boundlab runs on: a script must use these (one engine, one registry). */
export { tf, fc };
export { verifyTheorem, plantedStatements } from './verify/verify.ts';
export { relax } from './search/relax.ts';
export { tightness } from './search/tightness.ts';
export { familyById, FAMILIES } from './classes/index.ts';
export { optimizerById, OPTIMIZERS } from './optimizers/index.ts';
export { theoremById, THEOREMS } from './theorems/index.ts';
export { linearForm, linearObstacle } from './methods/linear.ts';
export type { Family, Instance, Certificate, BatchedLoss, ClassName } from './classes/types.ts';
export type { OptimizerSpec } from './optimizers/types.ts';
export type { Theorem } from './theorems/types.ts';
export type { VerifyResult } from './verify/result.ts';
export type { Method } from './methods/describe.ts';
export type { LinearForm } from './methods/linear.ts';

/** An error thrown by a function a script gave boundlab; the message names which one. */
export class UserCodeError extends Error {}

/** Call a script's function; an error it throws becomes one UserCodeError naming `where`. */
function user<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UserCodeError) throw e;
    throw new UserCodeError(`${where} threw: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Registers a witness family after checking that its TensorFlow.js loss and
 * its float64 oracle agree (value and gradient, at the starting point and a
 * point beside it, on a few drawn instances): a family whose two halves
 * disagree would make every verdict on it meaningless. Its certificate
 * (L, mu, fstar, …) is the family's own claim: state where it comes from.
 */
export async function registerFamily(family: Family): Promise<Family> {
  await initEngine();
  if (!/^[a-z][\w-]*$/i.test(family.id ?? '')) throw new UserCodeError(`registerFamily: the id '${family.id}' must be a word (letters, digits, - and _)`);
  const dims = family.dims ?? [1, 3];
  for (const dim of dims.slice(0, 2)) {
    const params = user(`family '${family.id}': arbitrary`, () => fc.sample(family.arbitrary({ dim }), { seed: 7, numRuns: 3 }));
    const instances = params.map((p) => user(`family '${family.id}': instantiate`, () => family.instantiate(p)));
    for (const inst of instances) {
      if (inst.dim !== dim && !family.dims) throw new UserCodeError(`family '${family.id}': an instance drawn for dimension ${dim} has dimension ${inst.dim}`);
      if (!(inst.cert.fstar > -Infinity || inst.cert.fstar === -Infinity)) throw new UserCodeError(`family '${family.id}': its certificate has no fstar (inf f, or -Infinity when unbounded below)`);
    }
    const d = instances[0].dim;
    const points = instances.flatMap((inst) => [Float64Array.from(inst.x0), Float64Array.from(inst.x0, (v, j) => v + 0.25 * (j % 2 ? -1 : 1))]);
    const rows = instances.flatMap((inst) => [inst, inst]);
    const loss = user(`family '${family.id}': tfLoss`, () => family.tfLoss(rows));
    try {
      const [values, grads] = tf.tidy(() => {
        const x = tf.tensor2d(Float32Array.from(points.flatMap((p) => [...p])), [rows.length, d]);
        return [loss(x).arraySync() as number[], batchedGradient(loss, x).arraySync() as number[][]];
      });
      rows.forEach((inst, i) => {
        const v = inst.value(points[i]);
        const g = inst.grad(points[i]);
        // float32 against float64: a relative 1e-3 of the magnitudes is far above rounding and far below a wrong formula
        const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-3 * (1 + scale);
        if (!close(values[i], v, Math.abs(v))) {
          throw new UserCodeError(`family '${family.id}': tfLoss gives ${values[i]} but value() gives ${v} at ${JSON.stringify([...points[i]])} (instance ${JSON.stringify(inst.params)})`);
        }
        const gn = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
        g.forEach((gj, j) => {
          if (!close(grads[i][j], gj, gn)) {
            throw new UserCodeError(`family '${family.id}': the gradient of tfLoss is ${JSON.stringify(grads[i])} but grad() gives ${JSON.stringify([...g])} at ${JSON.stringify([...points[i]])}`);
          }
        });
      });
    } finally {
      loss.dispose();
    }
  }
  addFamily(family);
  return family;
}

/** What an optimiser's update sees: the iterate, its state, the gradient oracle, per-row hyperparameters as [B, 1] columns. */
export interface UpdateContext {
  x: tf.Tensor2D;
  state: tf.Tensor[];
  /** ∇f at a point (default: at x), every row its own instance. */
  grad(at?: tf.Tensor2D): tf.Tensor2D;
  hyper: Readonly<Record<string, tf.Tensor2D>>;
  step: number;
}

/** What an optimiser's float64 step sees: x_k and x_{k−1} of one row, its gradient oracle, its hyperparameters. */
export interface ReferenceContext {
  x: Float64Array;
  xPrev: Float64Array;
  grad(at: ArrayLike<number>): Float64Array;
  hyper: Readonly<Record<string, number>>;
  step: number;
}

export interface OptimizerDefinition {
  id: string;
  title?: string;
  description?: string;
  /** Per-row hyperparameters, by name (a theorem maps its parameters onto them). */
  hyper: readonly string[];
  /** The state at x_0 (default: none). Tensors returned are owned by boundlab. */
  init?(x: tf.Tensor2D, hyper: Readonly<Record<string, tf.Tensor2D>>): tf.Tensor[];
  /** One step, x_k → x_{k+1}, on every row at once (runs inside tf.tidy). */
  update(ctx: UpdateContext): { x: tf.Tensor2D; state?: tf.Tensor[] };
  /** The same step in float64 for one row: the tolerance model compares every float32 step with it. */
  reference(ctx: ReferenceContext): ArrayLike<number>;
}

/** Registers an optimiser written as an init/update pair (Optax's manner) with its float64 step. */
export function registerOptimizer(def: OptimizerDefinition): OptimizerSpec {
  if (typeof def.update !== 'function') throw new UserCodeError(`registerOptimizer '${def.id}': update(ctx) is required`);
  if (typeof def.reference !== 'function') {
    throw new UserCodeError(`registerOptimizer '${def.id}': reference(ctx), the float64 step, is required: the tolerance model compares every float32 step with it`);
  }
  const where = (part: string) => `optimizer '${def.id}': ${part}`;
  const spec: OptimizerSpec = {
    id: def.id,
    title: def.title ?? def.id,
    description: def.description ?? `registered by a script (${def.id})`,
    implementation: 'own',
    hyper: def.hyper.map((name) => ({ name, meaning: `${name} (per row)` })),
    uniform: [],
    rule: (hyper): UpdateRule<{ state: tf.Tensor[]; columns: Record<string, tf.Tensor2D> }> => ({
      init(x) {
        const columns = Object.fromEntries(def.hyper.map((h) => [h, column(hyper[h])]));
        const state = def.init ? tf.tidy(() => user(where('init'), () => def.init!(x, columns))) : [];
        return { state, columns };
      },
      update(loss, x, s, step) {
        const out = tf.tidy(() => {
          const r = user(where('update'), () => def.update({ x, state: s.state, grad: (at) => batchedGradient(loss, at ?? x), hyper: s.columns, step }));
          if (!(r?.x instanceof tf.Tensor) || r.x.shape.join() !== x.shape.join()) {
            throw new UserCodeError(`${where('update')} must return { x } with x of shape [${x.shape.join(', ')}]`);
          }
          return [r.x, ...(r.state ?? s.state)];
        });
        tf.dispose(s.state.filter((t) => !out.includes(t)));
        const [next, ...state] = out;
        return { x: next as tf.Tensor2D, state: { state, columns: s.columns } };
      },
      dispose(s) {
        tf.dispose([...s.state, ...Object.values(s.columns)]);
      },
    }),
    reference: (inst: Instance, hyper, x, xPrev, k) =>
      Float64Array.from(user(where('reference'), () => def.reference({ x, xPrev, grad: (at) => Float64Array.from(inst.grad(at)), hyper, step: k }))),
  };
  addOptimizer(spec);
  return spec;
}

/**
 * Registers a method written as update rules (the `method:` of a theorem
 * file, docs/theorem-format.md): compiled to TensorFlow.js, to float64 and,
 * when it is fixed-step linear, to its coefficients.
 */
export function defineMethod(id: string, rules: Readonly<Record<string, string>>, parameters: readonly string[]): OptimizerSpec {
  const method = describeMethod(Object.entries(rules).map(([key, text], i) => ({ key, text, line: i + 1 })), { file: `method '${id}'`, scalars: parameters });
  const spec = describedOptimizer(id, `method ${id}`, method);
  addOptimizer(spec);
  return spec;
}

/** A theorem file's text (or a path, with loadTheoremFile) as a registered theorem. */
export function loadTheorem(text: string, name: string): Theorem {
  const th = loadTheoremText(text, name).theorem;
  addTheorem(th);
  return th;
}

export function loadTheoremFile(path: string): Theorem {
  const th = loadFile(path).theorem;
  addTheorem(th);
  return th;
}

/**
 * Registers a theorem given as data (the catalogue's own form, src/theorems/types.ts),
 * after checking that its statement parses and its optimiser and families exist.
 */
export function registerTheorem(th: Theorem): Theorem {
  if (!th.id) throw new UserCodeError('registerTheorem: a theorem needs an id');
  user(`theorem '${th.id}': statement`, () => parseStatement(th.statement));
  if (th.algorithm) user(`theorem '${th.id}': algorithm`, () => optimizerById(th.algorithm!.optimizer));
  for (const f of th.families ?? []) if (!familyById(f)) throw new UserCodeError(`theorem '${th.id}': unknown family '${f}' (register it first)`);
  addTheorem(th);
  return th;
}
