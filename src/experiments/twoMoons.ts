/**
 * [two-moons] A 2-3-1 ReLU network with the logistic (binary cross-entropy)
 * loss on seeded two-moons data, as a finite-sum Family, so the real
 * optimisers (runBatch, minibatch rules) train it like any other family:
 *   f(θ) = (1/n) Σ_i softplus(−s_i g_θ(x_i)),   g_θ(x) = W2ᵀ relu(W1ᵀx + b1) + b2,
 * θ = (W1 ∈ R^{2×3} row-major, b1 ∈ R^3, W2 ∈ R^3, b2) flattened to d = 13.
 *
 * Nothing is certified: f is nonconvex and nonsmooth (ReLU kinks), its
 * smoothness and infimum are unknown, so the certificate claims no L, μ or f*
 * (fstar is NaN) and the family stays out of FAMILIES, where theorems would
 * read its constants. The float64 oracle (value and hand-written gradient,
 * relu′(0) := 0 as in tf.relu) is for measuring, not for certifying.
 */
import { tf } from '../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family, Instance } from '../classes/types.ts';
import {
  accurateSum, checkBatch, finiteArray, gatherRows, makeBatchedLoss, makeMinibatchLoss, matFromRows,
  rowOffsets, seedArb, softplus, stackPadded, stackSamples,
} from '../classes/families/common.ts';
import type { Mat, Vec } from '../numeric/linalg.ts';
import { makeRng } from '../numeric/rng.ts';

export const MOONS_HIDDEN = 3;
/** 2·3 + 3 + 3 + 1. */
export const MOONS_DIM = 2 * MOONS_HIDDEN + MOONS_HIDDEN + MOONS_HIDDEN + 1;

/** Params of [two-moons]: X n×2, labels s ∈ {−1, +1}, x0 of length 13. */
export type TwoMoonsParams = { X: number[][]; s: number[]; x0: number[] };

export interface MoonsGen {
  seed: number;
  n: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  noise: number;
}

/**
 * n points of two interleaved half circles (as scikit-learn's make_moons, but
 * with positions t ~ U[0, 1] drawn at random): the upper moon (cos πt, sin πt),
 * label −1, and the lower one (1 − cos πt, ½ − sin πt), label +1, each point
 * taking either moon with probability ½, plus N(0, noise²) per coordinate;
 * then centred and scaled by the fixed map (x − ½, 2(y − ¼)), so both inputs
 * span about [−1.5, 1.5] (weights in {±1} then make sense).
 */
export function moonsData(gen: MoonsGen): { X: number[][]; s: number[] } {
  const rng = makeRng(gen.seed);
  const X: number[][] = [], s: number[] = [];
  for (let i = 0; i < gen.n; i++) {
    const lower = rng.next() < 0.5;
    const t = Math.PI * rng.next();
    const x = (lower ? 1 - Math.cos(t) : Math.cos(t)) + gen.noise * rng.normal();
    const y = (lower ? 0.5 - Math.sin(t) : Math.sin(t)) + gen.noise * rng.normal();
    X.push([x - 0.5, 2 * (y - 0.25)]);
    s.push(lower ? 1 : -1);
  }
  return { X, s };
}

/** g_θ(x) in float64 (θ laid out as W1 row-major, b1, W2, b2). */
export function moonsLogit(th: ArrayLike<number>, x: ArrayLike<number>): number {
  const H = MOONS_HIDDEN;
  let out = th[4 * H];
  for (let j = 0; j < H; j++) {
    const pre = x[0] * th[j] + x[1] * th[H + j] + th[2 * H + j];
    if (pre > 0) out += th[3 * H + j] * pre;
  }
  return out;
}

interface MoonsData { X: Mat; s: Vec; x0: Vec; n: number }

function parse(params: TwoMoonsParams): MoonsData {
  const X = matFromRows('two-moons: X', params.X, 2);
  const s = Float64Array.from(finiteArray('two-moons: s', params.s, X.rows));
  if (s.some((v) => v !== 1 && v !== -1)) throw new Error('two-moons: labels s must be −1 or +1');
  const x0 = Float64Array.from(finiteArray('two-moons: x0', params.x0, MOONS_DIM));
  return { X, s, x0, n: X.rows };
}

function oracle(D: MoonsData) {
  const H = MOONS_HIDDEN;
  const row = (i: number) => D.X.data.subarray(2 * i, 2 * i + 2);
  const value = (th: ArrayLike<number>): number => {
    const terms = new Float64Array(D.n);
    for (let i = 0; i < D.n; i++) terms[i] = softplus(-D.s[i] * moonsLogit(th, row(i)));
    return accurateSum(terms) / D.n;
  };
  // Backpropagation by hand: ∂/∂g softplus(−s g) = −s σ(−s g).
  const grad = (th: ArrayLike<number>): Vec => {
    const g = new Float64Array(MOONS_DIM);
    for (let i = 0; i < D.n; i++) {
      const x = row(i);
      const z = -D.s[i] * moonsLogit(th, x);
      const dOut = (-D.s[i] / (1 + Math.exp(-z))) / D.n;
      for (let j = 0; j < H; j++) {
        const pre = x[0] * th[j] + x[1] * th[H + j] + th[2 * H + j];
        if (pre <= 0) continue;
        g[3 * H + j] += dOut * pre;
        const dPre = dOut * th[3 * H + j];
        g[j] += dPre * x[0];
        g[H + j] += dPre * x[1];
        g[2 * H + j] += dPre;
      }
      g[4 * H] += dOut;
    }
    return g;
  };
  return { value, grad };
}

/**
 * f at every sign vector θ ∈ {±1}^13, indexed by code (bit j set: θ_j = −1),
 * equal bit for bit to the oracle's value at that θ: the same products, sums
 * and order. Faster because codes that differ only in the output weights of
 * hidden units a point leaves inactive give that point the same logit, whose
 * softplus is computed once (its term is copied from the code with those bits
 * clear, already done).
 */
export function moonsSignLosses(params: TwoMoonsParams): Float64Array {
  const D = parse(params);
  const H = MOONS_HIDDEN, first = 3 * H, outer = 2 ** (H + 1);
  const losses = new Float64Array(2 ** MOONS_DIM);
  const th = new Float64Array(MOONS_DIM);
  const terms = Array.from({ length: outer }, () => new Float64Array(D.n));
  const pre = new Float64Array(H);
  for (let a = 0; a < 2 ** first; a++) {
    for (let j = 0; j < first; j++) th[j] = (a >> j) & 1 ? -1 : 1;
    for (let i = 0; i < D.n; i++) {
      const x0 = D.X.data[2 * i], x1 = D.X.data[2 * i + 1];
      let keep = 1 << H; // b2's bit always counts
      for (let j = 0; j < H; j++) {
        pre[j] = x0 * th[j] + x1 * th[H + j] + th[2 * H + j];
        if (pre[j] > 0) keep |= 1 << j;
      }
      for (let b = 0; b < outer; b++) {
        if ((b & keep) !== b) { terms[b][i] = terms[b & keep][i]; continue; }
        // moonsLogit's sum: b2, then each active unit's w2_j·pre_j in order
        let g = (b >> H) & 1 ? -1 : 1;
        for (let j = 0; j < H; j++) if (pre[j] > 0) g += ((b >> j) & 1 ? -1 : 1) * pre[j];
        terms[b][i] = softplus(-D.s[i] * g);
      }
    }
    for (let b = 0; b < outer; b++) losses[a | (b << first)] = accurateSum(terms[b]) / D.n;
  }
  return losses;
}

/** g_θ(x) for θ rows [B, 13] and inputs [B, n, 2]: logits [B, n]. */
function predict(x: tf.Tensor2D, X: tf.Tensor3D): tf.Tensor2D {
  const B = x.shape[0], H = MOONS_HIDDEN;
  const W1 = tf.slice(x, [0, 0], [B, 2 * H]).reshape([B, 2, H]);
  const b1 = tf.slice(x, [0, 2 * H], [B, H]).reshape([B, 1, H]);
  const W2 = tf.slice(x, [0, 3 * H], [B, H]).reshape([B, H, 1]);
  const b2 = tf.slice(x, [0, 4 * H], [B, 1]);
  const hidden = tf.relu(tf.add(tf.matMul(X, W1), b1)); // [B, n, H]
  return tf.add(tf.matMul(hidden, W2).squeeze([2]), b2) as tf.Tensor2D;
}

/** The batch's inputs [B, nmax, 2], weights 1/n_i (0 on padding) and labels [B, nmax]. */
function stacked(instances: readonly Instance[]): { X: tf.Tensor3D; weights: tf.Tensor2D; S: tf.Tensor2D; nmax: number } {
  checkBatch('two-moons', instances);
  const Ds = instances.map((inst) => parse(inst.params as TwoMoonsParams));
  const { X, weights, nmax } = stackSamples(Ds.map((D) => D.X));
  return { X, weights, S: stackPadded(Ds.map((D) => D.s), nmax), nmax };
}

/** softplus(−s·g) elementwise: the logistic loss of logits g with labels s = ±1. */
const logisticLoss = (s: tf.Tensor, g: tf.Tensor): tf.Tensor => tf.softplus(tf.neg(tf.mul(s, g)));

export const twoMoons: Family<TwoMoonsParams> = {
  id: 'two-moons',
  title: 'Two moons, 2-3-1 ReLU network, logistic loss',
  description:
    'f(θ) = (1/n)Σ softplus(−s_i g_θ(x_i)) for a 2-3-1 ReLU network g_θ (d = 13) on seeded two-moons data; nonconvex, nonsmooth, no constant certified.',
  classes: [],
  dims: [MOONS_DIM],

  arbitrary() {
    return fc
      .record({ seed: seedArb(), n: fc.integer({ min: 2, max: 64 }), noise: fc.double({ min: 0, max: 0.3, noNaN: true }) })
      .map((r) => {
        const rng = makeRng(r.seed ^ 0x5bd1e995);
        return { ...moonsData(r), x0: Array.from({ length: MOONS_DIM }, () => rng.uniform(-1, 1)) };
      });
  },

  instantiate(params) {
    const D = parse(params);
    // Not certified: f ≥ 0, but inf f is unknown (NaN, never a claim), and no L, μ, G.
    const cert = { convex: false, quadratic: false, fstar: Number.NaN };
    return { family: 'two-moons', params, dim: MOONS_DIM, cert, x0: D.x0, ...oracle(D), nearestMinimiser: () => null };
  },

  tfLoss(instances) {
    const { X, weights, S } = stacked(instances);
    return makeBatchedLoss([X, weights, S], (x) => tf.sum(tf.mul(weights, logisticLoss(S, predict(x, X))), 1) as tf.Tensor1D);
  },

  tfMinibatchLoss(instances) {
    const { X, weights, S, nmax } = stacked(instances);
    weights.dispose(); // the minibatch mean needs no weights
    const off = rowOffsets(instances.length, nmax);
    return makeMinibatchLoss([X, S, off], (x, batch) => {
      const Xb = gatherRows(X, batch, off) as tf.Tensor3D; // [B, m, 2]
      return tf.mean(logisticLoss(gatherRows(S, batch, off), predict(x, Xb)), 1) as tf.Tensor1D;
    });
  },

  samples: (inst) => (inst.params as TwoMoonsParams).X.length,
};
