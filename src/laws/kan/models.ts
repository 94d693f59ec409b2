/**
 * The two models the KAN law compares, as batches of least-squares problems
 * (levenbergMarquardt.ts), one per seed, in TensorFlow.js:
 *   - a [2, 1, 1] Kolmogorov–Arnold network f(x, y) = Φ(φ₁(x) + φ₂(y)), each
 *     edge a cubic B-spline (spline.ts) with learnable coefficients; the inner
 *     grids are fixed on the input square [−1, 1], the outer one follows the
 *     range of φ₁ + φ₂ (Liu et al.'s grid update);
 *   - a one-hidden-layer tanh MLP f(x) = Σ_j a_j tanh(w_j·x + b_j) + c.
 * Both give residuals and the exact Jacobian (the chain rule written out).
 */
import { tf } from '../../engine/backend.ts';
import { tidyValues } from '../../engine/tfjs.ts';
import { mat, solveSPD } from '../../numeric/linalg.ts';
import type { LeastSquaresBatch } from './levenbergMarquardt.ts';
import { basisCount, bsplineBasis } from './spline.ts';

/** S data sets of n points in R²: X is S × n × 2, y is S × n (row-major). */
export interface PlaneData { S: number; n: number; X: Float32Array; y: Float32Array }

/** A [2, 1, 1] KAN per seed: G intervals, the outer grid's range per seed; θ = [c₁ | c₂ | c₃], each G + 3 long. */
export interface KanShape { G: number; outerLo: Float64Array; outerHi: Float64Array }

export const kanParameters = (G: number): number => 3 * basisCount(G);

const column = (data: PlaneData, j: number) => tf.tensor3d(Float32Array.from({ length: data.S * data.n }, (_, i) => data.X[2 * i + j]), [data.S, data.n, 1]);
const perSeed = (v: ArrayLike<number>) => tf.tensor3d(Float32Array.from(v), [v.length, 1, 1]);

/** The inner bases B(x), B(y) [S, n, G + 3] of the data (fixed: the inner grids are fixed on [−1, 1]). */
function innerBases(data: PlaneData, shape: KanShape): { Bx: tf.Tensor3D; By: tf.Tensor3D } {
  return tf.tidy(() => {
    const lo = tf.scalar(-1), h = tf.scalar(2 / shape.G);
    return {
      Bx: bsplineBasis(column(data, 0), lo, h, shape.G).basis as tf.Tensor3D,
      By: bsplineBasis(column(data, 1), lo, h, shape.G).basis as tf.Tensor3D,
    };
  });
}

export function kanBatch(data: PlaneData, shape: KanShape): LeastSquaresBatch & { inner(theta: Float32Array): Float32Array; outputs(theta: Float32Array): Float32Array; dispose(): void } {
  const m = basisCount(shape.G), p = 3 * m, { S, n } = data;
  const y = tf.tensor3d(data.y, [S, n, 1]);
  const lo = perSeed(shape.outerLo), h = perSeed(Array.from(shape.outerHi, (hi, s) => (hi - shape.outerLo[s]) / shape.G));
  const { Bx, By } = innerBases(data, shape);
  const forward = (thetaValues: Float32Array) => {
    const theta = tf.tensor3d(thetaValues, [S, p, 1]);
    const c1 = tf.slice(theta, [0, 0, 0], [-1, m, 1]), c2 = tf.slice(theta, [0, m, 0], [-1, m, 1]);
    const inner = tf.add(tf.matMul(Bx, c1), tf.matMul(By, c2)) as tf.Tensor3D;
    const outer = bsplineBasis(inner, lo, h, shape.G);
    const c3 = tf.slice(theta, [0, 2 * m, 0], [-1, m, 1]);
    return { inner, outer, c3, f: tf.matMul(outer.basis as tf.Tensor3D, c3) };
  };
  return {
    S, p,
    residuals: (theta) => tf.tidy(() => tf.sub(forward(theta).f, y) as tf.Tensor3D),
    jacobian: (theta) => tf.tidy(() => {
      const { outer, c3, f } = forward(theta);
      const dPhi = tf.matMul(outer.slope as tf.Tensor3D, c3); // Φ′(φ₁ + φ₂), [S, n, 1]
      return { r: tf.sub(f, y) as tf.Tensor3D, J: tf.concat([tf.mul(dPhi, Bx), tf.mul(dPhi, By), outer.basis], 2) as tf.Tensor3D };
    }),
    inner: (theta) => tidyValues(() => forward(theta).inner),
    outputs: (theta) => tidyValues(() => forward(theta).f),
    dispose: () => tf.dispose([y, lo, h, Bx, By]),
  };
}

/** The basis of each seed's grid ([lo_s, hi_s], G intervals) at its n points, S × n × (G + 3) row-major. */
export function splineBasisAt(points: Float32Array, S: number, lo: ArrayLike<number>, hi: ArrayLike<number>, G: number): Float32Array {
  return tidyValues(() => bsplineBasis(tf.tensor3d(points, [S, points.length / S, 1]), perSeed(lo), perSeed(Array.from(hi, (v, s) => (v - lo[s]) / G)), G).basis);
}

/**
 * Least-squares coefficients (float64, a ridge of 1e-9·trace so that basis
 * functions no point touches stay at 0) of the grid's basis that best match
 * `values` at `points` (n per seed): how a spline is carried to a finer grid
 * (grid extension) or a moved one (grid update).
 */
export function fitSpline(points: Float32Array, values: ArrayLike<number>, S: number, lo: ArrayLike<number>, hi: ArrayLike<number>, G: number): Float64Array[] {
  const n = points.length / S, m = basisCount(G);
  const B = splineBasisAt(points, S, lo, hi, G);
  return Array.from({ length: S }, (_, s) => {
    const A = mat(m, m), b = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const row = B.subarray((s * n + i) * m, (s * n + i + 1) * m);
      for (let a = 0; a < m; a++) {
        if (row[a] === 0) continue;
        b[a] += row[a] * values[s * n + i];
        for (let c = 0; c < m; c++) A.data[a * m + c] += row[a] * row[c];
      }
    }
    let trace = 0;
    for (let a = 0; a < m; a++) trace += A.data[a * m + a];
    for (let a = 0; a < m; a++) A.data[a * m + a] += 1e-9 * trace + 1e-300;
    return solveSPD(A, b);
  });
}

/** A one-hidden-layer tanh MLP of width w per seed; θ = [w₁ (first input) | w₂ (second) | b | a | c], 4w + 1 long. */
export const mlpParameters = (w: number): number => 4 * w + 1;

export function mlpBatch(data: PlaneData, w: number): LeastSquaresBatch & { outputs(theta: Float32Array): Float32Array; dispose(): void } {
  const { S, n } = data, p = mlpParameters(w);
  const y = tf.tensor3d(data.y, [S, n, 1]);
  const forward = (thetaValues: Float32Array) => {
    const theta = tf.tensor3d(thetaValues, [S, 1, p]);
    const part = (j: number, len: number) => tf.slice(theta, [0, 0, j * w], [-1, 1, len]);
    const z = tf.add(tf.add(tf.mul(column(data, 0), part(0, w)), tf.mul(column(data, 1), part(1, w))), part(2, w)); // [S, n, w]
    const t = tf.tanh(z);
    const a = part(3, w);
    const f = tf.add(tf.sum(tf.mul(t, a), 2, true), tf.slice(theta, [0, 0, 4 * w], [-1, 1, 1]));
    return { t, a, f };
  };
  return {
    S, p,
    residuals: (theta) => tf.tidy(() => tf.sub(forward(theta).f, y) as tf.Tensor3D),
    jacobian: (theta) => tf.tidy(() => {
      const { t, a, f } = forward(theta);
      const dz = tf.mul(tf.sub(1, tf.square(t)), a); // ∂f/∂b_j
      const J = tf.concat([tf.mul(dz, column(data, 0)), tf.mul(dz, column(data, 1)), dz, t, tf.onesLike(f)], 2) as tf.Tensor3D;
      return { r: tf.sub(f, y) as tf.Tensor3D, J };
    }),
    outputs: (theta) => tidyValues(() => forward(theta).f),
    dispose: () => y.dispose(),
  };
}
