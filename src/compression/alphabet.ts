/**
 * Quantisation alphabets A = {±kδ : 0 ≤ k ≤ K} (2K + 1 levels, zero included)
 * and the nearest-level map Q_A onto them, as GPFQ uses them (Lybrand & Saab,
 * JMLR 2021; Zhang, Zhou & Saab, SIAM J. Math. Data Sci. 2023). Rounding every
 * weight to its nearest level independently is the baseline GPFQ improves on.
 *
 * The step of a layer's b-bit alphabet follows the reference code of Zhang et
 * al.: K = 2^{b−1} and δ = (scalar/K) · mean over neurons of the p-quantile of
 * the neuron's |weights| (p = 1 is the largest |weight|).
 */
import { mat, type Mat, type Vec } from '../numeric/linalg.ts';

/** {±k·step : 0 ≤ k ≤ levels}; `levels` is K. */
export interface Alphabet {
  readonly step: number;
  readonly levels: number;
}

export function alphabet(step: number, levels: number): Alphabet {
  if (!(step > 0) || !Number.isFinite(step)) throw new Error(`alphabet: step must be finite and > 0, got ${step}`);
  if (!Number.isInteger(levels) || levels < 1) throw new Error(`alphabet: levels K must be an integer ≥ 1, got ${levels}`);
  return { step, levels };
}

/** {−δ, 0, δ}: the alphabet of the Gaussian-data theorems. */
export const ternaryAlphabet = (step: number): Alphabet => alphabet(step, 1);

/** The 2K + 1 elements, ascending (for tests and plots; Q_A never enumerates them). */
export const alphabetElements = (a: Alphabet): Vec =>
  Float64Array.from({ length: 2 * a.levels + 1 }, (_, i) => (i - a.levels) * a.step);

export interface LayerAlphabetOptions {
  /** b: K = 2^{b−1}. Default 4. */
  bits?: number;
  /** Multiplier of the radius. Default 1.16. */
  scalar?: number;
  /** p of the per-neuron quantile of |w|; 1 is the maximum. Default 1. */
  quantile?: number;
}
export const LAYER_ALPHABET_DEFAULTS: Required<LayerAlphabetOptions> = { bits: 4, scalar: 1.16, quantile: 1 };

/**
 * The b-bit alphabet of a layer whose weight matrix W has one neuron per row
 * (N1 × N0, as a PyTorch Linear weight): δ = (scalar/K)·mean_i quantile_p |W_i|.
 */
export function layerAlphabet(W: Mat, options: LayerAlphabetOptions = {}): Alphabet {
  const { bits, scalar, quantile: p } = { ...LAYER_ALPHABET_DEFAULTS, ...options };
  if (!Number.isInteger(bits) || bits < 1) throw new Error(`layerAlphabet: bits must be an integer ≥ 1, got ${bits}`);
  const K = 2 ** (bits - 1);
  let radius = 0;
  for (let i = 0; i < W.rows; i++) radius += quantile(W.data.subarray(i * W.cols, (i + 1) * W.cols).map(Math.abs), p);
  return alphabet((scalar / K) * (radius / W.rows), K);
}

/**
 * The p-quantile with linear interpolation between order statistics (numpy's
 * default, which the reference code uses): position p·(n − 1) in sorted order.
 */
export function quantile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) throw new Error('quantile: empty sample');
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile: p must be in [0, 1], got ${p}`);
  const sorted = Float64Array.from(xs).sort();
  const pos = p * (sorted.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Q_A(z): the nearest element of A (levels beyond ±Kδ clip to the end levels). */
export function nearestLevel(a: Alphabet, z: number): number {
  const k = Math.max(-a.levels, Math.min(a.levels, Math.round(z / a.step)));
  // + 0 turns the −0 that Math.round gives for small negatives into 0.
  return k * a.step + 0;
}

/** Memoryless scalar quantisation: each weight to its nearest level, independently. */
export const roundToAlphabet = (w: ArrayLike<number>, a: Alphabet): Vec =>
  Float64Array.from(w, (x) => nearestLevel(a, x));

/** Nearest rounding of every entry of a layer (same shape). */
export const roundLayer = (W: Mat, a: Alphabet): Mat => mat(W.rows, W.cols, roundToAlphabet(W.data, a));
