/**
 * The data behind the two compression figures, as pure seeded functions.
 *
 * GPFQ decay (Lybrand & Saab, JMLR 2021; Zhang, Zhou & Saab 2023): for
 * Gaussian X (m × N0) and w ~ U[−1, 1]^{N0} quantised to the ternary alphabet
 * {−δ, 0, δ}, the relative squared error ‖Xw − Xq‖²/‖Xw‖² of GPFQ decays like
 * m·log N0 / N0 (their Gaussian-data bound; the mechanism: the state u_t stays
 * bounded while ‖Xw‖² grows like m·N0/3), a log-log slope of −1 up to the log
 * factor. Nearest rounding's error is a fixed fraction of ‖Xw‖² (for δ = 1,
 * E(w − Q_A(w))²/E w² = (1/12)/(1/3) = 1/4), a slope of 0.
 *
 * Low rank (Eckart–Young–Mirsky): the error of the truncated SVD against the
 * tail of the singular values, for every rank r.
 */
import { mat, type Mat } from '../numeric/linalg.ts';
import { makeRng, type Rng } from '../numeric/rng.ts';
import { roundToAlphabet, ternaryAlphabet } from './alphabet.ts';
import { gpfqNeuron, relativeOutputError } from './gpfq.ts';
import { lowRankApproximation, matrixWithSingularValues } from './lowRank.ts';

export interface GpfqDecayOptions {
  /** Layer widths N0. Default [64, 256, 1024, 4096]. */
  n0s?: readonly number[];
  /** Samples m (rows of X). Default 32. */
  samples?: number;
  /** One draw of (X, w) per seed and N0, averaged. Default 1…8. */
  seeds?: readonly number[];
  /**
   * δ of the ternary alphabet. Default 1: {−1, 0, 1}, the alphabet of the
   * theorems for weights in [−1, 1] (layerAlphabet with b = 1 would give
   * δ = 1.16·max|w| ≈ 1.16, and rounding's error would be ≈ 0.39, not 1/4).
   */
  step?: number;
}
export const GPFQ_DECAY_DEFAULTS: Required<GpfqDecayOptions> = {
  n0s: [64, 256, 1024, 4096],
  samples: 32,
  seeds: [1, 2, 3, 4, 5, 6, 7, 8],
  step: 1,
};

export interface GpfqDecayResult {
  options: Required<GpfqDecayOptions>;
  n0s: number[];
  /** Mean over seeds of ‖Xw − Xq‖²/‖Xw‖², one per N0. */
  gpfq: number[];
  rounding: number[];
  /** The same per seed: perSeed.gpfq[i][s] is N0 = n0s[i], seed = seeds[s]. */
  perSeed: { gpfq: number[][]; rounding: number[][] };
  /** Least-squares slopes of log(mean error) against log N0 (NaN for a single N0). */
  slope: { gpfq: number; rounding: number };
}

/**
 * Draw (X, w) for every N0 and seed, quantise w by GPFQ and by nearest
 * rounding, and average the relative errors. The draw for (seed, N0) uses
 * makeRng(decaySeed(seed, N0)): X row by row (m·N0 normals), then w (N0 uniforms).
 */
export function gpfqDecayExperiment(options: GpfqDecayOptions = {}): GpfqDecayResult {
  const o = { ...GPFQ_DECAY_DEFAULTS, ...options };
  const a = ternaryAlphabet(o.step);
  const perSeed = { gpfq: [] as number[][], rounding: [] as number[][] };
  for (const n0 of o.n0s) {
    const g: number[] = [], r: number[] = [];
    for (const seed of o.seeds) {
      const rng = makeRng(decaySeed(seed, n0));
      const X = gaussianMatrix(o.samples, n0, rng);
      const w = Float64Array.from({ length: n0 }, () => rng.uniform(-1, 1));
      g.push(relativeOutputError(w, gpfqNeuron(w, X, a).q, X));
      r.push(relativeOutputError(w, roundToAlphabet(w, a), X));
    }
    perSeed.gpfq.push(g);
    perSeed.rounding.push(r);
  }
  const gpfq = perSeed.gpfq.map(mean), rounding = perSeed.rounding.map(mean);
  const n0s = [...o.n0s];
  // One width has no slope: NaN rather than a throw, so a single N0 can be run (and timed).
  const fit = (ys: number[]) => (n0s.length >= 2 ? logLogSlope(n0s, ys) : NaN);
  return { options: o, n0s, gpfq, rounding, perSeed, slope: { gpfq: fit(gpfq), rounding: fit(rounding) } };
}

/** The RNG seed of the draw (seed, N0): distinct for N0 < 10⁶. */
export const decaySeed = (seed: number, n0: number): number => seed * 1_000_003 + n0;

export interface LowRankExperimentOptions {
  /** Shape of W. Default 32 × 24. */
  rows?: number;
  cols?: number;
  /** Default 1. */
  seed?: number;
  /**
   * Planted singular values (at most min(rows, cols) of them, the rest 0); by
   * default the matrix is Gaussian (entries N(0, 1/cols), the scale of a layer
   * initialised to keep its outputs' variance).
   */
  singularValues?: readonly number[];
}
export const LOW_RANK_DEFAULTS: Required<Omit<LowRankExperimentOptions, 'singularValues'>> = { rows: 32, cols: 24, seed: 1 };

export interface LowRankExperimentResult {
  options: LowRankExperimentOptions & typeof LOW_RANK_DEFAULTS;
  /** σ_1 ≥ … ≥ σ_k. */
  singularValues: number[];
  /** r = 0 … k, with the measured errors of W_r and Eckart–Young's values. */
  ranks: number[];
  frobenius: number[];
  /** √(Σ_{i>r} σ_i²). */
  tailFrobenius: number[];
  spectral: number[];
  /** σ_{r+1} (0 for r = k). */
  nextSingularValue: number[];
}

/** The truncated SVD of one seeded matrix at every rank. */
export function lowRankExperiment(options: LowRankExperimentOptions = {}): LowRankExperimentResult {
  const o = { ...LOW_RANK_DEFAULTS, ...options };
  const rng = makeRng(o.seed);
  const W: Mat = o.singularValues
    ? matrixWithSingularValues(o.rows, o.cols, o.singularValues, rng)
    : gaussianMatrix(o.rows, o.cols, rng, 1 / Math.sqrt(o.cols));
  const ranks = [...Array(Math.min(o.rows, o.cols) + 1).keys()];
  const runs = ranks.map((r) => lowRankApproximation(W, r));
  return {
    options: o,
    singularValues: [...runs[0].singularValues],
    ranks,
    frobenius: runs.map((x) => x.error.frobenius),
    tailFrobenius: runs.map((x) => x.eckartYoung.frobenius),
    spectral: runs.map((x) => x.error.spectral),
    nextSingularValue: runs.map((x) => x.eckartYoung.spectral),
  };
}

/** rows × cols with independent N(0, scale²) entries, drawn row by row. */
export const gaussianMatrix = (rows: number, cols: number, rng: Rng, scale = 1): Mat =>
  mat(rows, cols, Float64Array.from({ length: rows * cols }, () => scale * rng.normal()));

/** Least-squares line of log y against log x: the power law y ≈ e^intercept · x^slope. */
export function logLogFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  if (xs.length !== ys.length || xs.length < 2) throw new Error('logLogSlope: need two or more (x, y) pairs');
  const lx = xs.map(Math.log), ly = ys.map(Math.log);
  const mx = mean(lx), my = mean(ly);
  let sxy = 0, sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** The exponent of the fitted power law y ∝ x^slope. */
export const logLogSlope = (xs: readonly number[], ys: readonly number[]): number => logLogFit(xs, ys).slope;

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
