/**
 * [relu-net] Student–teacher regression with a two-layer ReLU network (no biases):
 *   f(θ) = (1/2n) Σ_i (vᵀ relu(W x_i) − y_i)²,   y_i = v*ᵀ relu(W* x_i),
 * with θ = (W ∈ R^{k×p} row-major, then v ∈ R^k) flattened to dim k·p + k, and a
 * teacher of width k* ≤ k, so the problem is realisable: f* = 0 exactly (the
 * teacher padded with zero units is a minimiser and f ≥ 0). Nonconvex,
 * nonsmooth (kinks where some w_jᵀx_i = 0, and f″ unbounded along rescalings
 * (W, v) → (cW, v/c)), bounded below; the minimisers are not isolated
 * (permutations of units, rescalings, dead units), so nearestMinimiser is null.
 *
 * Gradient (float64, by hand) with relu′(0) := 0, the convention of tf.relu:
 *   r_i = vᵀh_i − y_i, h_i = relu(Wx_i);  ∂f/∂v = (1/n) Σ r_i h_i,
 *   ∂f/∂W_j = (1/n) Σ r_i v_j 1[W_j x_i > 0] x_iᵀ.
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family, Instance } from '../types.ts';
import { makeRng } from '../../numeric/rng.ts';
import {
  accurateSum, checkBatch, finiteArray, gatherRows, logUniform, makeBatchedLoss, makeMinibatchLoss, matFromRows, rowOffsets, rowsOf, seedArb,
  stackPadded, stackSamples,
} from './common.ts';
import type { Mat, Vec } from '../../numeric/linalg.ts';

/**
 * Params of [relu-net]: { p: number (input dim, ≤ 3); k: number (student width, ≤ 4);
 * X: number[][] (n×p, n ≤ 20); Wstar: number[][] (k*×p, k* ≤ k); vstar: number[] (k*);
 * x0: number[] (length k·p + k: W row-major, then v) }.
 */
export type ReluNetParams = { p: number; k: number; X: number[][]; Wstar: number[][]; vstar: number[]; x0: number[] };

/** The dimensions k·p + k reachable with p ≤ 3, k ≤ 4. */
export const RELU_DIMS = [2, 3, 4, 6, 8, 9, 12, 16] as const;
/** The canonical (p, k) of each dimension used by the arbitrary (p ≥ 2 where possible). */
export const RELU_SHAPES: Readonly<Record<number, { p: number; k: number }>> = {
  2: { p: 1, k: 1 }, 3: { p: 2, k: 1 }, 4: { p: 3, k: 1 }, 6: { p: 2, k: 2 },
  8: { p: 3, k: 2 }, 9: { p: 2, k: 3 }, 12: { p: 2, k: 4 }, 16: { p: 3, k: 4 },
};

interface ReluData { p: number; k: number; X: Mat; y: Vec; x0: Vec; n: number; dim: number }

function teacherOutputs(X: Mat, Wt: Mat, vt: ArrayLike<number>): Vec {
  const { rows: n, cols: p } = X;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < Wt.rows; j++) {
      let a = 0;
      for (let c = 0; c < p; c++) a += Wt.data[j * p + c] * X.data[i * p + c];
      if (a > 0) s += vt[j] * a;
    }
    y[i] = s;
  }
  return y;
}

function parse(params: ReluNetParams): ReluData {
  const { p, k } = params;
  if (!(Number.isInteger(p) && p >= 1 && p <= 3)) throw new Error(`relu-net: p must be an integer in [1, 3], got ${String(p)}`);
  if (!(Number.isInteger(k) && k >= 1 && k <= 4)) throw new Error(`relu-net: k must be an integer in [1, 4], got ${String(k)}`);
  const X = matFromRows('relu-net: X', params.X, p);
  if (X.rows > 20) throw new Error(`relu-net: at most 20 samples, got ${X.rows}`);
  const Wt = matFromRows('relu-net: Wstar', params.Wstar, p);
  if (Wt.rows > k) throw new Error(`relu-net: teacher width ${Wt.rows} exceeds the student width ${k} (not realisable)`);
  const vt = finiteArray('relu-net: vstar', params.vstar, Wt.rows);
  const dim = k * p + k;
  const x0 = Float64Array.from(finiteArray('relu-net: x0', params.x0, dim));
  return { p, k, X, y: teacherOutputs(X, Wt, vt), x0, n: X.rows, dim };
}

function oracle(D: ReluData) {
  const { p, k, X, y, n } = D;
  const kp = k * p;
  // residuals and pre-activations
  const forward = (th: ArrayLike<number>) => {
    const pre = new Float64Array(n * k), r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        let a = 0;
        for (let c = 0; c < p; c++) a += th[j * p + c] * X.data[i * p + c];
        pre[i * k + j] = a;
        if (a > 0) s += th[kp + j] * a;
      }
      r[i] = s - y[i];
    }
    return { pre, r };
  };
  const value = (th: ArrayLike<number>) => {
    const { r } = forward(th);
    return (0.5 * accurateSum(r.map((v) => v * v))) / n;
  };
  const grad = (th: ArrayLike<number>) => {
    const { pre, r } = forward(th);
    const g = new Float64Array(D.dim);
    for (let i = 0; i < n; i++) {
      const ri = r[i] / n;
      for (let j = 0; j < k; j++) {
        const a = pre[i * k + j];
        if (a > 0) {
          g[kp + j] += ri * a;
          const c0 = ri * th[kp + j];
          for (let c = 0; c < p; c++) g[j * p + c] += c0 * X.data[i * p + c];
        }
      }
    }
    return g;
  };
  return { value, grad };
}

/** Random params for a given (p, k) (deterministic in the seed). */
export function reluNetData(gen: { seed: number; p: number; k: number; n: number; teacherWidth: number; init: 'random' | 'near-teacher'; scale: number }): ReluNetParams {
  const { p, k, n } = gen;
  const kt = Math.min(k, Math.max(1, gen.teacherWidth));
  const rng = makeRng(gen.seed);
  const X = Array.from({ length: n }, () => Array.from({ length: p }, () => rng.normal()));
  const Wstar = Array.from({ length: kt }, () => Array.from({ length: p }, () => rng.normal() / Math.sqrt(p)));
  const vstar = Array.from({ length: kt }, () => (rng.next() < 0.5 ? -1 : 1) * (0.5 + rng.next()));
  let x0: number[];
  if (gen.init === 'near-teacher') {
    const W = Array.from({ length: k }, (_, j) => (j < kt ? Wstar[j] : new Array(p).fill(0)));
    const v = Array.from({ length: k }, (_, j) => (j < kt ? vstar[j] : 0));
    x0 = [...W.flat(), ...v].map((t) => t + gen.scale * rng.normal());
  } else {
    x0 = [
      ...Array.from({ length: k * p }, () => (gen.scale * rng.normal()) / Math.sqrt(p)),
      ...Array.from({ length: k }, () => gen.scale * rng.normal()),
    ];
  }
  return { p, k, X, Wstar, vstar, x0 };
}

export const reluNet: Family<ReluNetParams> = {
  id: 'relu-net',
  title: 'Two-layer ReLU network (student–teacher)',
  description:
    'f(θ) = (1/2n)Σ(vᵀrelu(Wx_i) − y_i)² with targets from a teacher no wider than the student: f* = 0 exactly; nonconvex, nonsmooth, minimisers not isolated.',
  classes: ['bounded-below'],
  dims: RELU_DIMS,

  arbitrary(ctx) {
    const shape = RELU_SHAPES[ctx.dim];
    if (!shape) throw new Error(`relu-net: dimension ${ctx.dim} is not k·p + k with p ≤ 3, k ≤ 4 (one of ${RELU_DIMS.join(', ')})`);
    return fc
      .record({
        seed: seedArb(),
        n: fc.integer({ min: 2, max: 20 }),
        teacherWidth: fc.integer({ min: 1, max: shape.k }),
        init: fc.constantFrom('random' as const, 'near-teacher' as const),
        scale: logUniform(0.01, 2, [1]),
      })
      .map((r) => reluNetData({ ...r, ...shape }));
  },

  instantiate(params) {
    const D = parse(params);
    const o = oracle(D);
    const inst: Instance = {
      family: 'relu-net',
      params,
      dim: D.dim,
      cert: { convex: false, quadratic: false, fstar: 0 },
      x0: D.x0,
      value: o.value,
      grad: o.grad,
      nearestMinimiser: () => null,
      data: { X: rowsOf(D.X), y: Array.from(D.y), n: D.n, p: D.p, k: D.k },
    };
    return inst;
  },

  tfLoss(instances) {
    checkBatch('relu-net', instances);
    const consts: tf.Tensor[] = [];
    const parts = runsByShape(instances).map((g) => {
      const Ds = instances.slice(g.start, g.start + g.len).map((inst) => parse(inst.params as ReluNetParams));
      const { X, weights, nmax } = stackSamples(Ds.map((D) => D.X));
      const Y = stackPadded(Ds.map((D) => D.y), nmax);
      consts.push(X, weights, Y);
      return { ...g, X, weights, Y };
    });
    const B = instances.length;
    return makeBatchedLoss(consts, (x) => {
      const outs = parts.map((g) => {
        const xs = g.len === B ? x : tf.slice(x, [g.start, 0], [g.len, x.shape[1]]);
        const pred = predict(xs, g.X, g.p, g.k);
        return tf.mul(0.5, tf.sum(tf.mul(g.weights, tf.square(tf.sub(pred, g.Y))), 1));
      });
      return (outs.length === 1 ? outs[0] : tf.concat(outs)) as tf.Tensor1D;
    });
  },

  tfMinibatchLoss(instances) {
    checkBatch('relu-net', instances);
    const consts: tf.Tensor[] = [];
    const parts = runsByShape(instances).map((g) => {
      const Ds = instances.slice(g.start, g.start + g.len).map((inst) => parse(inst.params as ReluNetParams));
      const { X, weights, nmax } = stackSamples(Ds.map((D) => D.X));
      weights.dispose(); // the minibatch mean needs no weights
      const Y = stackPadded(Ds.map((D) => D.y), nmax);
      const off = rowOffsets(g.len, nmax);
      consts.push(X, Y, off);
      return { ...g, X, Y, off };
    });
    const B = instances.length;
    return makeMinibatchLoss(consts, (x, batch) => {
      const outs = parts.map((g) => {
        const all = g.len === B;
        const xs = all ? x : tf.slice(x, [g.start, 0], [g.len, x.shape[1]]);
        const bs = all ? batch : (tf.slice(batch, [g.start, 0], [g.len, batch.shape[1]]) as tf.Tensor2D);
        const Xb = gatherRows(g.X, bs, g.off) as tf.Tensor3D;
        const yb = gatherRows(g.Y, bs, g.off) as tf.Tensor2D;
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(predict(xs, Xb, g.p, g.k), yb)), 1));
      });
      return (outs.length === 1 ? outs[0] : tf.concat(outs)) as tf.Tensor1D;
    });
  },

  samples: (inst) => (inst.params as ReluNetParams).X.length,
};

/** pred[b, i] = v_bᵀ relu(W_b x_{b,i}) for θ rows x [B, kp + k] and inputs X [B, n, p]. */
function predict(x: tf.Tensor2D, X: tf.Tensor3D, p: number, k: number): tf.Tensor2D {
  const B = x.shape[0];
  const W = tf.slice(x, [0, 0], [B, k * p]).reshape([B, k, p]);
  const v = tf.slice(x, [0, k * p], [B, k]).reshape([B, k, 1]);
  const H = tf.relu(tf.matMul(X, W, false, true)); // [B, n, k]
  return tf.matMul(H, v).squeeze([2]) as tf.Tensor2D;
}

/**
 * Maximal runs of consecutive instances sharing (p, k): each run is stacked and
 * evaluated on a tf.slice of the rows, and the results concatenated in order.
 * (A batch may mix shapes of one dimension, e.g. (3, 2) and (1, 4) for d = 8.
 * Not tf.gather of rows: its gradient needs UnsortedSegmentSum, which the wasm
 * backend lacks; and not a 0/1 selection matMul, which would spread an inf or
 * NaN of one row into the others.)
 */
function runsByShape(instances: readonly Instance[]): { p: number; k: number; start: number; len: number }[] {
  const runs: { p: number; k: number; start: number; len: number }[] = [];
  instances.forEach((inst, i) => {
    const { p, k } = inst.params as ReluNetParams;
    const last = runs[runs.length - 1];
    if (last && last.p === p && last.k === k) last.len++;
    else runs.push({ p, k, start: i, len: 1 });
  });
  return runs;
}
