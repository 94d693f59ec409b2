/**
 * Training the two models of the KAN law over the sizes, every seed a row of
 * one batch. The KAN follows Liu et al.'s schedule: train at the coarsest
 * grid, then extend (each spline carried to the finer grid by least squares
 * on the training points) and train again; the outer grid is moved to the
 * range of φ₁ + φ₂ on the training points before every block of
 * Levenberg–Marquardt steps (their grid update). At the coarsest grid each
 * seed starts from several random initialisations at a warm-up grid of 3 intervals and keeps the one with the
 * least training loss (the test set is never looked at). The MLP is trained
 * from scratch at each size, with the same optimiser and as many steps.
 */
import type { Rng } from '../../numeric/rng.ts';
import { levenbergMarquardt } from './levenbergMarquardt.ts';
import { fitSpline, kanBatch, kanParameters, mlpBatch, mlpParameters, splineBasisAt, type KanShape, type PlaneData } from './models.ts';
import { basisCount } from './spline.ts';

/** Steps between grid updates of the outer spline. */
const UPDATE_EVERY = 10;
/**
 * Margin the outer grid leaves beyond the range of φ₁ + φ₂, in grid intervals: a test point may
 * fall slightly outside the training range, and under one interval keeps every basis function
 * touched by training points (a wider margin leaves edge coefficients that no point determines).
 */
const MARGIN = 0.25;
/**
 * The grid every run starts from (Liu et al. start from 3 too): the random starts are compared
 * there, where the landscape is simplest; grids asked for above it are reached by extension.
 */
export const WARMUP_GRID = 3;
/** Scale of the random initial inner coefficients. */
const INIT_SCALE = 0.3;

/** Per seed, the root mean and the root median of the squared errors (float64, on the float32 outputs). */
function errorsPerSeed(outputs: Float32Array, data: PlaneData): { rmse: number[]; rootMedian: number[] } {
  const rmse: number[] = [], rootMedian: number[] = [];
  for (let s = 0; s < data.S; s++) {
    const sq = Float64Array.from({ length: data.n }, (_, i) => (outputs[s * data.n + i] - data.y[s * data.n + i]) ** 2).sort();
    rmse.push(Math.sqrt(sq.reduce((a, v) => a + v, 0) / data.n));
    const h = data.n >> 1;
    rootMedian.push(Math.sqrt(data.n % 2 ? sq[h] : (sq[h - 1] + sq[h]) / 2));
  }
  return { rmse, rootMedian };
}

function range(values: Float32Array, S: number, G: number): { lo: Float64Array; hi: Float64Array } {
  const n = values.length / S, lo = new Float64Array(S), hi = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let a = Infinity, b = -Infinity;
    for (let i = 0; i < n; i++) { a = Math.min(a, values[s * n + i]); b = Math.max(b, values[s * n + i]); }
    const pad = (MARGIN * Math.max(b - a, 1e-3)) / G;
    lo[s] = a - pad; hi[s] = b + pad;
  }
  return { lo, hi };
}

/**
 * Every seed's splines moved to grid G and its outer grid to the range of φ₁ + φ₂ on the training
 * points, each spline refitted by least squares to the values it had at those points.
 */
export function regrid(train: PlaneData, shape: KanShape, theta: Float32Array, G: number): { shape: KanShape; theta: Float32Array } {
  const { S, n } = train;
  const old = kanBatch(train, shape);
  const inner = old.inner(theta), outputs = old.outputs(theta);
  old.dispose();
  const m = basisCount(shape.G), mNew = basisCount(G);
  const minusOne = new Float64Array(S).fill(-1), one = new Float64Array(S).fill(1);
  const next = new Float32Array(S * 3 * mNew);
  for (const which of [0, 1]) {
    const points = Float32Array.from({ length: S * n }, (_, i) => train.X[2 * i + which]);
    const B = splineBasisAt(points, S, minusOne, one, shape.G);
    const values = new Float64Array(S * n);
    for (let s = 0; s < S; s++) for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < m; j++) v += B[(s * n + i) * m + j] * theta[s * 3 * m + which * m + j];
      values[s * n + i] = v;
    }
    fitSpline(points, values, S, minusOne, one, G).forEach((c, s) => next.set(c, s * 3 * mNew + which * mNew));
  }
  const { lo, hi } = range(inner, S, G);
  fitSpline(inner, outputs, S, lo, hi, G).forEach((c, s) => next.set(c, s * 3 * mNew + 2 * mNew));
  return { shape: { G, outerLo: lo, outerHi: hi }, theta: next };
}

/** `iterations` Levenberg–Marquardt steps at the current grid, the outer grid updated every UPDATE_EVERY; returns the training loss per seed. */
function trainAtGrid(train: PlaneData, state: { shape: KanShape; theta: Float32Array }, iterations: number): { shape: KanShape; theta: Float32Array; loss: Float64Array } {
  let { shape, theta } = state;
  let loss: Float64Array = new Float64Array(train.S);
  for (let done = 0; done < iterations; done += UPDATE_EVERY) {
    if (done > 0) ({ shape, theta } = regrid(train, shape, theta, shape.G));
    const batch = kanBatch(train, shape);
    loss = levenbergMarquardt(batch, theta, Math.min(UPDATE_EVERY, iterations - done)).loss;
    batch.dispose();
  }
  return { shape, theta, loss };
}

/** Each seed's data repeated r times (row s·r + q is seed s's q-th start). */
function repeatRows(data: PlaneData, r: number): PlaneData {
  const { S, n } = data, X = new Float32Array(S * r * n * 2), y = new Float32Array(S * r * n);
  for (let s = 0; s < S; s++) for (let q = 0; q < r; q++) {
    X.set(data.X.subarray(s * n * 2, (s + 1) * n * 2), (s * r + q) * n * 2);
    y.set(data.y.subarray(s * n, (s + 1) * n), (s * r + q) * n);
  }
  return { S: S * r, n, X, y };
}

/**
 * Per seed: training RMSE, test RMSE, and the test error Liu et al. plot against G for the
 * [2, 1, 1] KAN: the root of the median squared error (the mean is pulled up by the few test
 * points whose φ₁ + φ₂ falls near or beyond the end of the training range, where the outer
 * spline's last coefficients rest on a handful of points).
 */
export interface SizeResult { trainRmse: number[]; testRmse: number[]; testRootMedian: number[]; parameters: number }

function sizeResult(train: PlaneData, test: PlaneData, onTrain: Float32Array, onTest: Float32Array, parameters: number): SizeResult {
  const t = errorsPerSeed(onTest, test);
  return { trainRmse: errorsPerSeed(onTrain, train).rmse, testRmse: t.rmse, testRootMedian: t.rootMedian, parameters };
}

/**
 * The KAN at every grid of `grids` (ascending), by grid extension from WARMUP_GRID (or the
 * first grid, if coarser). Starts: inner coefficients N(0, 0.3²) (the role of Liu et al.'s noisy
 * initialisation), Φ fitted to the targets by the first steps; `starts` of them per seed at the
 * first grid, the best by training loss kept.
 */
export function trainKan(train: PlaneData, test: PlaneData, grids: readonly number[], iterations: number, starts: number, rngs: readonly Rng[]): SizeResult[] {
  const { S } = train;
  const G0 = Math.min(WARMUP_GRID, grids[0]), m0 = basisCount(G0);
  const many = repeatRows(train, starts);
  const init = new Float32Array(many.S * 3 * m0);
  for (let s = 0; s < S; s++) for (let q = 0; q < starts; q++) for (let j = 0; j < 2 * m0; j++) init[(s * starts + q) * 3 * m0 + j] = INIT_SCALE * rngs[s].normal();
  // twice the steps at the warm-up grid: the starts are compared on converged losses
  const wide = trainAtGrid(many, regrid(many, { G: G0, outerLo: new Float64Array(many.S).fill(-1), outerHi: new Float64Array(many.S).fill(1) }, init, G0), 2 * iterations);
  // keep each seed's best start
  let theta: Float32Array = new Float32Array(S * 3 * m0);
  const outerLo = new Float64Array(S), outerHi = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let best = s * starts;
    for (let q = 1; q < starts; q++) if (wide.loss[s * starts + q] < wide.loss[best]) best = s * starts + q;
    theta.set(wide.theta.subarray(best * 3 * m0, (best + 1) * 3 * m0), s * 3 * m0);
    outerLo[s] = wide.shape.outerLo[best]; outerHi[s] = wide.shape.outerHi[best];
  }
  let shape: KanShape = { G: G0, outerLo, outerHi };
  const results: SizeResult[] = [];
  for (let g = 0; g < grids.length; g++) {
    if (grids[g] !== shape.G) ({ shape, theta } = trainAtGrid(train, regrid(train, shape, theta, grids[g]), iterations));
    const onTrain = kanBatch(train, shape), onTest = kanBatch(test, shape);
    results.push(sizeResult(train, test, onTrain.outputs(theta), onTest.outputs(theta), kanParameters(shape.G)));
    onTrain.dispose(); onTest.dispose();
  }
  return results;
}

/** The MLP width with about as many parameters as a KAN of P parameters (4w + 1 ≈ P). */
export const mlpWidthFor = (P: number): number => Math.max(1, Math.round((P - 1) / 4));

/** An MLP of each width from scratch: w ~ N(0, I), b ~ N(0, 1), a ~ N(0, 1/w), c the mean target; `iterations` steps. */
export function trainMlp(train: PlaneData, test: PlaneData, widths: readonly number[], iterations: number, rngs: readonly Rng[]): SizeResult[] {
  const { S, n } = train;
  return widths.map((w) => {
    const p = mlpParameters(w), theta = new Float32Array(S * p);
    for (let s = 0; s < S; s++) {
      const r = rngs[s];
      let mean = 0;
      for (let i = 0; i < n; i++) mean += train.y[s * n + i] / n;
      for (let j = 0; j < 3 * w; j++) theta[s * p + j] = r.normal();
      for (let j = 0; j < w; j++) theta[s * p + 3 * w + j] = r.normal() / Math.sqrt(w);
      theta[s * p + 4 * w] = mean;
    }
    const batch = mlpBatch(train, w), onTest = mlpBatch(test, w);
    levenbergMarquardt(batch, theta, iterations);
    const out = sizeResult(train, test, batch.outputs(theta), onTest.outputs(theta), p);
    batch.dispose(); onTest.dispose();
    return out;
  });
}
