/**
 * [least-squares] and [least-squares-rank-deficient]:
 * f(w) = (1/2n)‖Xw − y‖² = (1/n) Σ_i ½(x_iᵀw − y_i)², X ∈ R^{n×d}.
 *
 * Constants from the spectrum of XᵀX (Jacobi, float64, padded by the solver's
 * backward-error bound, see certifiedSpectrum): L = λ_max(XᵀX)/n;
 * full column rank: μ = PL = λ_min(XᵀX)/n, w* from the normal equations
 * (Cholesky + two steps of iterative refinement);
 * rank r < d: not strongly convex, PL with the smallest nonzero eigenvalue / n,
 * the minimisers are the affine set x† + null(X) (x† the minimum-norm solution),
 * and nearestMinimiser(x) = x† + P_null(x − x†).
 * f* = (1/2n)‖Xw* − y‖² with the residual summed in compensated arithmetic.
 *
 * Generated data are dyadic (entries on a 2^−8 grid, column scalings powers of
 * two; the rank-deficient X = U Vᵀ with integer V), so that Xw_true, XᵀX and,
 * for the rank-deficient family, the null space of X are exact in float64 (the
 * rank is exactly r, not r up to roundoff) and X is exact in float32 as well.
 * With noise = 0, y = Xw_true exactly (f* = 0 up to the roundoff of solving for
 * w*, ~1e-30 ‖y‖²); with noise > 0, f* > 0.
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family, Instance } from '../types.ts';
import { gram, matTVec, matVec, solveSPD, type Mat, type Vec } from '../../numeric/linalg.ts';
import { makeRng, type Rng } from '../../numeric/rng.ts';
import {
  accurateSum, certifiedSpectrum, checkBatch, dyadic, finiteArray, logUniform, makeBatchedLoss,
  gatherRows, makeMinibatchLoss, matFromRows, rowOffsets, rowsOf, seedArb, sphere, stackPadded, stackSamples,
} from './common.ts';

/** Params of [least-squares]: { X: number[][] (n×d, full column rank, n ≥ d); y: number[] (length n); x0: number[] (length d) }. */
export type LeastSquaresParams = { X: number[][]; y: number[]; x0: number[] };
/**
 * Params of [least-squares-rank-deficient]: { X: number[][] (n×d, rank exactly `rank` < d in float64,
 * e.g. dyadic U times integer Vᵀ); y: number[]; rank: number (checked against the spectrum); x0: number[] }.
 */
export type RankDeficientLeastSquaresParams = { X: number[][]; y: number[]; rank: number; x0: number[] };

/** Options of the generator; every field is a plain number so the generated params replay from them. */
export interface LeastSquaresGen {
  seed: number;
  n: number;
  dim: number;
  /** rank < dim for the rank-deficient family; omitted: full rank. */
  rank?: number;
  /** standard deviation of the label noise (0: y = X w_true exactly). */
  noise: number;
  /** multiply column j by 2^{e_j}, e_j ∈ {−2..2} (full rank only). */
  columnScales?: boolean;
  /** scale of w_true. */
  wScale: number;
  /** distance of x0 from w_true. */
  x0Dist: number;
}

function gaussianDyadic(rng: Rng, bits: number, s = 1): number {
  return dyadic(s * rng.normal(), bits);
}

/** Random params of either least-squares family (deterministic in `gen`). */
export function leastSquaresData(gen: LeastSquaresGen): LeastSquaresParams & { rank?: number } {
  const { n, dim: d } = gen;
  const rng = makeRng(gen.seed);
  const r = gen.rank;
  if (r !== undefined && !(Number.isInteger(r) && r >= 1 && r < d && r <= n))
    throw new Error(`leastSquaresData: rank must be an integer in [1, min(n, d − 1)], got ${r}`);
  if (r === undefined && n < d) throw new Error(`leastSquaresData: full rank needs n ≥ d, got n = ${n}, d = ${d}`);
  let X: Mat | undefined;
  for (let attempt = 0; attempt < 100 && !X; attempt++) {
    const m: Mat = { rows: n, cols: d, data: new Float64Array(n * d) };
    if (r === undefined) {
      const e = Array.from({ length: d }, () => (gen.columnScales ? rng.int(5) - 2 : 0));
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m.data[i * d + j] = gaussianDyadic(rng, 8) * 2 ** e[j];
    } else {
      const U = Array.from({ length: n * r }, () => gaussianDyadic(rng, 8));
      const V = Array.from({ length: d * r }, () => rng.int(5) - 2);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k = 0; k < r; k++) s += U[i * r + k] * V[j * r + k];
          m.data[i * d + j] = s;
        }
    }
    const { values, max } = certifiedSpectrum(gram(m));
    const firstNonzero = r === undefined ? 0 : d - r;
    // a clear spectral gap: the nonzero eigenvalues well above roundoff
    if (max > 0 && values[firstNonzero] > 1e-6 * max && (r === undefined || Math.abs(values[firstNonzero - 1]) <= 1e-12 * max)) X = m;
  }
  if (!X) throw new Error('leastSquaresData: no well-posed X found (try another seed)');
  const wTrue = Array.from({ length: d }, () => gaussianDyadic(rng, 8, gen.wScale));
  const noise = Array.from({ length: n }, () => (gen.noise > 0 ? gaussianDyadic(rng, 16, gen.noise) : 0));
  const Xw = matVec(X, wTrue);
  const y = Array.from(Xw, (v, i) => v + noise[i]);
  const dir = sphere(rng, d, gen.x0Dist);
  const x0 = wTrue.map((v, i) => v + dir[i]);
  const params: LeastSquaresParams & { rank?: number } = { X: rowsOf(X), y, x0 };
  if (r !== undefined) params.rank = r;
  return params;
}

interface LsData {
  X: Mat;
  y: Vec;
  x0: Vec;
  n: number;
  d: number;
}

function parseData(id: string, params: { X: unknown; y: unknown; x0: unknown }): LsData {
  const X = matFromRows(`${id}: X`, params.X);
  const y = Float64Array.from(finiteArray(`${id}: y`, params.y, X.rows));
  const x0 = Float64Array.from(finiteArray(`${id}: x0`, params.x0, X.cols));
  return { X, y, x0, n: X.rows, d: X.cols };
}

/** The float64 oracle shared by both families. */
function oracle(D: LsData) {
  const { X, y, n } = D;
  const residual = (w: ArrayLike<number>): Vec => {
    const r = matVec(X, w);
    for (let i = 0; i < n; i++) r[i] -= y[i];
    return r;
  };
  const value = (w: ArrayLike<number>): number => {
    const r = residual(w);
    return (0.5 * accurateSum(r.map((v) => v * v))) / n;
  };
  const grad = (w: ArrayLike<number>): Vec => matTVec(X, residual(w)).map((v) => v / n);
  return { residual, value, grad };
}

function makeInstance(
  family: string,
  params: Record<string, unknown>,
  D: LsData,
  G: Mat,
  cert: Instance['cert'],
  nearest: (x: ArrayLike<number>) => Vec,
): Instance {
  const o = oracle(D);
  return {
    family,
    params,
    dim: D.d,
    cert,
    x0: D.x0,
    value: o.value,
    grad: o.grad,
    hess: () => G.data.map((v) => v / D.n),
    nearestMinimiser: nearest,
    data: { X: rowsOf(D.X), y: Array.from(D.y), n: D.n },
  };
}

function arbitraryGen(dim: number, rankDeficient: boolean): fc.Arbitrary<LeastSquaresGen> {
  // n ≤ 40 for the dimensions tests use; larger d get up to 5 rows beyond d
  const nMax = Math.max(40, dim + 5);
  return fc
    .record({
      seed: seedArb(),
      extraRows: fc.integer({ min: 0, max: nMax - dim }),
      rankFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      noise: fc.oneof(fc.constant(0), logUniform(1e-3, 1)),
      columnScales: fc.boolean(),
      wScale: logUniform(0.1, 10, [1]),
      x0Dist: logUniform(0.01, 10, [1]),
    })
    .map((r) => {
      const rank = rankDeficient ? 1 + Math.min(dim - 2, Math.floor(r.rankFrac * (dim - 1))) : undefined;
      const n = rankDeficient ? Math.min(nMax, rank! + r.extraRows) : Math.min(nMax, dim + r.extraRows);
      return {
        seed: r.seed, n, dim, rank, noise: r.noise,
        columnScales: rankDeficient ? false : r.columnScales,
        wScale: r.wScale, x0Dist: r.x0Dist,
      };
    });
}

function leastSquaresTfLoss(family: string, instances: readonly Instance[]) {
  checkBatch(family, instances);
  const Ds = instances.map((inst) => parseData(family, inst.params as LeastSquaresParams));
  const { X, weights, nmax } = stackSamples(Ds.map((D) => D.X));
  const Y = stackPadded(Ds.map((D) => D.y), nmax);
  const B = instances.length;
  const full = makeBatchedLoss([X, weights, Y], (x) => {
    const pred = tf.matMul(X, x.expandDims(2)).reshape([B, nmax]);
    const r = tf.sub(pred, Y);
    return tf.mul(0.5, tf.sum(tf.mul(weights, tf.square(r)), 1)) as tf.Tensor1D;
  });
  return full;
}

function leastSquaresMinibatch(family: string, instances: readonly Instance[]) {
  checkBatch(family, instances);
  const Ds = instances.map((inst) => parseData(family, inst.params as LeastSquaresParams));
  const { X, weights, nmax } = stackSamples(Ds.map((D) => D.X));
  weights.dispose(); // the minibatch mean needs no weights
  const Y = stackPadded(Ds.map((D) => D.y), nmax);
  const off = rowOffsets(instances.length, nmax);
  return makeMinibatchLoss([X, Y, off], (x, batch) => {
    const Xb = gatherRows(X, batch, off) as tf.Tensor3D; // [B, m, d]
    const yb = gatherRows(Y, batch, off) as tf.Tensor2D; // [B, m]
    const pred = tf.matMul(Xb, x.expandDims(2)).squeeze([2]);
    return tf.mul(0.5, tf.mean(tf.square(tf.sub(pred, yb)), 1)) as tf.Tensor1D;
  });
}

export const leastSquares: Family<LeastSquaresParams> = {
  id: 'least-squares',
  title: 'Least squares, full column rank',
  description:
    'f(w) = (1/2n)‖Xw − y‖² with X of full column rank: L = λ_max(XᵀX)/n, μ = PL = λ_min(XᵀX)/n (Jacobi eigenvalues with a backward-error pad), w* by Cholesky with iterative refinement, f* from the compensated residual.',
  classes: ['convex', 'quadratic', 'L-smooth', 'mu-strongly-convex', 'mu-PL', 'bounded-below'],

  arbitrary(ctx) {
    return arbitraryGen(ctx.dim, false).map((g) => {
      const { X, y, x0 } = leastSquaresData(g);
      return { X, y, x0 };
    });
  },

  instantiate(params) {
    const id = 'least-squares';
    const D = parseData(id, params);
    if (D.n < D.d) throw new Error(`${id}: full column rank needs n ≥ d, got n = ${D.n}, d = ${D.d}`);
    const G = gram(D.X);
    const sp = certifiedSpectrum(G);
    const lmin = sp.values[0] - sp.pad;
    if (!(lmin > 1e3 * sp.pad)) throw new Error(`${id}: XᵀX is singular or too ill-conditioned to certify (λ_min = ${sp.values[0]}, λ_max = ${sp.max}); use least-squares-rank-deficient`);
    const o = oracle(D);
    let w = solveSPD(G, matTVec(D.X, D.y));
    for (let k = 0; k < 2; k++) {
      const r = o.residual(w);
      const dw = solveSPD(G, matTVec(D.X, r));
      w = w.map((v, i) => v - dw[i]);
    }
    const wstar = w;
    const mu = lmin / D.n;
    const cert = { convex: true, quadratic: true, L: (sp.max + sp.pad) / D.n, mu, pl: mu, fstar: o.value(wstar) };
    return makeInstance(id, params, D, G, cert, () => Float64Array.from(wstar));
  },

  tfLoss: (instances) => leastSquaresTfLoss('least-squares', instances),
  tfMinibatchLoss: (instances) => leastSquaresMinibatch('least-squares', instances),
  samples: (inst) => (inst.params as LeastSquaresParams).X.length,
};

export const leastSquaresRankDeficient: Family<RankDeficientLeastSquaresParams> = {
  id: 'least-squares-rank-deficient',
  title: 'Least squares, rank-deficient',
  description:
    'f(w) = (1/2n)‖Xw − y‖² with rank X = r < d (exactly, dyadic data): L = λ_max(XᵀX)/n, not strongly convex, PL with the smallest nonzero eigenvalue of XᵀX over n; the minimisers are x† + null(X), nearestMinimiser projects onto them.',
  classes: ['convex', 'quadratic', 'L-smooth', 'mu-PL', 'bounded-below'],
  dims: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],

  arbitrary(ctx) {
    if (ctx.dim < 2) throw new Error('least-squares-rank-deficient: needs dim ≥ 2');
    return arbitraryGen(ctx.dim, true).map((g) => {
      const { X, y, x0 } = leastSquaresData(g);
      return { X, y, rank: g.rank!, x0 };
    });
  },

  instantiate(params) {
    const id = 'least-squares-rank-deficient';
    const D = parseData(id, params);
    const r = params.rank;
    if (!(Number.isInteger(r) && r >= 1 && r < D.d)) throw new Error(`${id}: rank must be an integer in [1, d − 1], got ${String(r)}`);
    const G = gram(D.X);
    const sp = certifiedSpectrum(G);
    const k0 = D.d - r; // index of the smallest nonzero eigenvalue
    // The rank is certified only with a clear gap: zeros at roundoff level, the rest far above it.
    if (!(Math.abs(sp.values[k0 - 1]) <= 1e-12 * sp.max))
      throw new Error(`${id}: XᵀX has more than ${r} nonzero eigenvalues (λ_${k0} = ${sp.values[k0 - 1]}, λ_max = ${sp.max}); X must be exactly rank ${r}`);
    if (!(sp.values[k0] - sp.pad > 1e3 * sp.pad))
      throw new Error(`${id}: XᵀX has fewer than ${r} clearly nonzero eigenvalues (λ = ${sp.values[k0]}, λ_max = ${sp.max})`);
    const { vectors: V } = sp;
    const d = D.d;
    const col = (k: number): Vec => Float64Array.from({ length: d }, (_, i) => V.data[i * d + k]);
    const range = Array.from({ length: r }, (_, j) => ({ v: col(k0 + j), lam: sp.values[k0 + j] }));
    /** pinv(XᵀX) b restricted to the range */
    const pinvG = (b: ArrayLike<number>): Vec => {
      const out = new Float64Array(d);
      for (const { v, lam } of range) {
        let c = 0;
        for (let i = 0; i < d; i++) c += v[i] * b[i];
        c /= lam;
        for (let i = 0; i < d; i++) out[i] += c * v[i];
      }
      return out;
    };
    const projectRange = (x: ArrayLike<number>): Vec => {
      const out = new Float64Array(d);
      for (const { v } of range) {
        let c = 0;
        for (let i = 0; i < d; i++) c += v[i] * x[i];
        for (let i = 0; i < d; i++) out[i] += c * v[i];
      }
      return out;
    };
    const o = oracle(D);
    let w = pinvG(matTVec(D.X, D.y));
    for (let k = 0; k < 2; k++) {
      const dw = pinvG(matTVec(D.X, o.residual(w)));
      w = w.map((v, i) => v - dw[i]);
    }
    const xdag = projectRange(w); // the minimum-norm minimiser lies in the range of XᵀX
    const pl = (sp.values[k0] - sp.pad) / D.n;
    const cert = { convex: true, quadratic: true, L: (sp.max + sp.pad) / D.n, pl, fstar: o.value(xdag) };
    const nearest = (x: ArrayLike<number>): Vec => {
      const pr = projectRange(x);
      return Float64Array.from({ length: d }, (_, i) => x[i] - pr[i] + xdag[i]);
    };
    const inst = makeInstance(id, params, D, G, cert, nearest);
    inst.data = { ...inst.data, rank: r, xdagger: Array.from(xdag) };
    return inst;
  },

  tfLoss: (instances) => leastSquaresTfLoss('least-squares-rank-deficient', instances),
  tfMinibatchLoss: (instances) => leastSquaresMinibatch('least-squares-rank-deficient', instances),
  samples: (inst) => (inst.params as RankDeficientLeastSquaresParams).X.length,
};
