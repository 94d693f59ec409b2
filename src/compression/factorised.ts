/**
 * Low rank, then GPFQ on the factors: a layer W (N1 × N0, one neuron per row)
 * is replaced by its truncated SVD W_r = L R (R = V_rᵀ, r × N0, a layer of r
 * neurons on the input; L = U_r Σ_r, N1 × r, a layer on R's output), and each
 * factor is quantised to its own b-bit alphabet (layerAlphabet) in network
 * order: R by GPFQ on the input X, then L by GPFQ on its analog input X Rᵀ
 * with the quantised network's input X R̃ᵀ (Zhang, Zhou & Saab 2023's
 * sequential scheme), or both by nearest rounding. The error is measured on
 * the layer's output, ‖X Wᵀ − X R̃ᵀ L̃ᵀ‖_F² / ‖X Wᵀ‖_F², against rank and bits,
 * next to the low-rank error alone and to W quantised whole.
 */
import { mat, matMul, transpose, type Mat } from '../numeric/linalg.ts';
import { makeRng } from '../numeric/rng.ts';
import { layerAlphabet, roundLayer } from './alphabet.ts';
import { gaussianMatrix } from './experiments.ts';
import { gpfqLayer } from './gpfq.ts';
import { lowRankApproximation, matrixWithSingularValues } from './lowRank.ts';

export interface FactorisedOptions {
  /** N1 × N0 of W. Default 32 × 128. */
  rows?: number;
  cols?: number;
  /** Samples m of the layer input X (Gaussian). Default 64. */
  samples?: number;
  /** Ranks r (each ≤ min(rows, cols)). Default 1, 2, 4, 8, 16, 32. */
  ranks?: readonly number[];
  /** Bits b of each factor's alphabet (K = 2^{b−1} levels a side). Default 2, 3, 4, 6. */
  bits?: readonly number[];
  /** W = U diag(σ) Vᵀ with σ_i = i^{−decay} (a decaying spectrum, as trained layers have). Default 1. */
  decay?: number;
  seed?: number;
}
export const FACTORISED_DEFAULTS: Required<FactorisedOptions> = {
  rows: 32, cols: 128, samples: 64, ranks: [1, 2, 4, 8, 16, 32], bits: [2, 3, 4, 6], decay: 1, seed: 1,
};

export interface FactorisedResult {
  options: Required<FactorisedOptions>;
  /** ‖XWᵀ − XW_rᵀ‖²/‖XWᵀ‖², one per rank. */
  lowRank: number[];
  /** gpfq[i][j], rounding[i][j]: rank ranks[i], bits bits[j]. */
  gpfq: number[][];
  rounding: number[][];
  /** W quantised whole (no factorisation), one per bits. */
  whole: { gpfq: number[]; rounding: number[] };
}

/** ‖A − B‖_F² / ‖A‖_F². */
const relativeSquared = (A: Mat, B: Mat): number => {
  let num = 0, den = 0;
  for (let i = 0; i < A.data.length; i++) { num += (A.data[i] - B.data[i]) ** 2; den += A.data[i] ** 2; }
  return num / den;
};

/** X Mᵀ: the output of layer M (one neuron per row) on the inputs X (one sample per row). */
const outputOf = (X: Mat, M: Mat): Mat => matMul(X, transpose(M));

/** The first r columns of A. */
const firstColumns = (A: Mat, r: number): Mat => {
  const out = mat(A.rows, r);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < r; j++) out.data[i * r + j] = A.data[i * A.cols + j];
  return out;
};

/** One seeded draw of (W, X) and every (rank, bits). */
export function factorisedExperiment(options: FactorisedOptions = {}): FactorisedResult {
  const o = { ...FACTORISED_DEFAULTS, ...options };
  const k = Math.min(o.rows, o.cols);
  for (const r of o.ranks) if (!Number.isInteger(r) || r < 1 || r > k) throw new Error(`factorisedExperiment: ranks must be integers in [1, ${k}], got ${r}`);
  const rng = makeRng(o.seed);
  const W = matrixWithSingularValues(o.rows, o.cols, Array.from({ length: k }, (_, i) => (i + 1) ** -o.decay), rng);
  const X = gaussianMatrix(o.samples, o.cols, rng);
  const Y = outputOf(X, W);
  // One SVD at full rank; the rank-r factors are its leading columns and rows.
  const full = lowRankApproximation(W, k);
  const lowRank: number[] = [], gpfq: number[][] = [], rounding: number[][] = [];
  for (const r of o.ranks) {
    const L = firstColumns(full.left, r);
    const R = mat(r, o.cols, full.right.data.subarray(0, r * o.cols));
    const H = outputOf(X, R);
    lowRank.push(relativeSquared(Y, outputOf(H, L)));
    const g: number[] = [], q: number[] = [];
    for (const b of o.bits) {
      const aR = layerAlphabet(R, { bits: b }), aL = layerAlphabet(L, { bits: b });
      const Rq = gpfqLayer(R, X, aR).Q;
      const Hq = outputOf(X, Rq);
      const Lq = gpfqLayer(L, H, aL, Hq).Q;
      g.push(relativeSquared(Y, outputOf(Hq, Lq)));
      q.push(relativeSquared(Y, outputOf(outputOf(X, roundLayer(R, aR)), roundLayer(L, aL))));
    }
    gpfq.push(g);
    rounding.push(q);
  }
  const whole = {
    gpfq: o.bits.map((b) => relativeSquared(Y, outputOf(X, gpfqLayer(W, X, layerAlphabet(W, { bits: b })).Q))),
    rounding: o.bits.map((b) => relativeSquared(Y, outputOf(X, roundLayer(W, layerAlphabet(W, { bits: b }))))),
  };
  return { options: o, lowRank, gpfq, rounding, whole };
}
