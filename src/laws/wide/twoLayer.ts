/**
 * The two-layer ReLU network of Du–Zhai–Póczos–Singh (2019) in the NTK
 * parameterisation, f(x) = (1/√m) Σ_r a_r relu(w_r·x), with w_r ~ N(0, I),
 * a_r uniform on {−1, +1} and fixed, trained on W alone by full-batch gradient
 * descent on ½ Σ_i (f(x_i) − y_i)². Every seed of one width is a row of one
 * TensorFlow.js batch ([S, m, d] weights): one tensor program trains them all.
 *
 * Kernels are computed in float64 from the float32 weights: the empirical
 * NTK H(W)_ij = x_i·x_j · (1/m) Σ_r 1{w_r·x_i ≥ 0} 1{w_r·x_j ≥ 0}, and its
 * infinite-width limit H∞_ij = x_i·x_j (π − arccos x_i·x_j) / (2π).
 */
import { tf } from '../../engine/backend.ts';
import { mat, type Mat } from '../../numeric/linalg.ts';
import { makeRng, type Rng } from '../../numeric/rng.ts';

/** A regression set on the unit sphere: inputs X (n × d, unit rows), targets y. */
export interface SphereData { n: number; d: number; X: Mat; y: Float64Array }

/** n inputs uniform on the sphere S^{d−1} (no two parallel, almost surely) and targets y_i ~ N(0, 1). */
export function sphereData(n: number, d: number, rng: Rng): SphereData {
  const X = mat(n, d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) { const v = rng.normal(); X.data[i * d + k] = v; s += v * v; }
    const r = Math.sqrt(s);
    for (let k = 0; k < d; k++) X.data[i * d + k] /= r;
  }
  return { n, d, X, y: Float64Array.from({ length: n }, () => rng.normal()) };
}

const inner = (X: Mat, i: number, j: number): number => {
  let s = 0;
  for (let k = 0; k < X.cols; k++) s += X.data[i * X.cols + k] * X.data[j * X.cols + k];
  return s;
};

/** The limiting Gram matrix H∞ of Du et al. (ReLU, unit inputs, a_r² = 1). */
export function limitingGram(X: Mat): Mat {
  const n = X.rows;
  const H = mat(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = Math.max(-1, Math.min(1, inner(X, i, j)));
      H.data[i * n + j] = (c * (Math.PI - Math.acos(c))) / (2 * Math.PI);
    }
  }
  return H;
}

/** The empirical NTK of the first layer at weights W (m × d, float64 copy of one seed's row). */
export function empiricalNtk(X: Mat, W: ArrayLike<number>, m: number): Mat {
  const { rows: n, cols: d } = X;
  const active = new Uint8Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += W[r * d + k] * X.data[i * d + k];
      active[i * m + r] = s >= 0 ? 1 : 0;
    }
  }
  const H = mat(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let both = 0;
      for (let r = 0; r < m; r++) both += active[i * m + r] & active[j * m + r];
      H.data[i * n + j] = H.data[j * n + i] = (inner(X, i, j) * both) / m;
    }
  }
  return H;
}

export interface WideRunOptions {
  width: number;
  /** One initialisation per seed (W and a drawn from makeRng(seed)). */
  seeds: readonly number[];
  steps: number;
  /** The step size η. */
  eta: number;
}

export interface WideRun {
  width: number;
  seeds: readonly number[];
  /** Per seed, ‖y − u(k)‖² for k = 0 … steps, in float64 on the float32 iterate. */
  residuals: Float64Array[];
  /** Per seed and step, a worst-case bound on the float64 rounding of that ‖y − u(k)‖² (residualFloor). */
  floors: Float64Array[];
  /** Per seed, the fixed output signs a (m). */
  a: Float64Array[];
  /** Per seed, W at the start and the end (m × d, row-major). */
  W0: Float64Array[];
  WT: Float64Array[];
}

/** Draws one seed's W (N(0, 1) entries) and a (±1). */
export function initialise(seed: number, m: number, d: number): { W: Float64Array; a: Float64Array } {
  const rng = makeRng(seed);
  const W = Float64Array.from({ length: m * d }, () => rng.normal());
  const a = Float64Array.from({ length: m }, () => (rng.next() < 0.5 ? -1 : 1));
  return { W, a };
}

/**
 * Trains every seed at one width by full-batch gradient descent (autodiff of
 * the summed loss: each row its own gradient). ‖y − u(k)‖² is evaluated in
 * float64 on the float32 iterate of every step, so the measurement itself
 * carries only float64 rounding (residualFloor with u = 2⁻⁵³); a float32
 * forward pass would carry a worst-case error of up to a few times the
 * residual itself at width 4096 in mid-run, and blunt the check.
 */
export function trainWide(data: SphereData, opts: WideRunOptions): WideRun {
  const { width: m, seeds, steps, eta } = opts;
  const S = seeds.length, { n, d } = data;
  const inits = seeds.map((s) => initialise(s, m, d));
  const Xt = tf.tensor2d(Float32Array.from(data.X.data), [n, d]).transpose();
  const y = tf.tensor2d(Float32Array.from(data.y), [1, n]);
  const a = tf.tensor3d(Float32Array.from(inits.flatMap((i) => [...i.a])), [S, m, 1]);
  let W = tf.tensor3d(Float32Array.from(inits.flatMap((i) => [...i.W])), [S, m, d]);
  const scale = 1 / Math.sqrt(m);
  // u[s, i] = (1/√m) Σ_r a_sr relu(w_sr · x_i)
  const outputs = (w: tf.Tensor3D): tf.Tensor2D =>
    tf.mul(tf.sum(tf.mul(a, tf.relu(tf.reshape(tf.matMul(tf.reshape(w, [S * m, d]), Xt), [S, m, n]))), 1), scale) as tf.Tensor2D;
  const residualsOf = (w: tf.Tensor3D): tf.Tensor1D => tf.sum(tf.square(tf.sub(outputs(w), y)), 1) as tf.Tensor1D;
  const gradient = tf.grad((w: tf.Tensor) => tf.mul(0.5, tf.sum(residualsOf(w as tf.Tensor3D))));
  const residuals = seeds.map(() => new Float64Array(steps + 1));
  const floors = seeds.map(() => new Float64Array(steps + 1));
  const observe = (k: number, w: ArrayLike<number>) => {
    for (let s = 0; s < S; s++) {
      const { residual, absSums } = exactResidual(data, w, s * m * d, inits[s].a, m);
      residuals[s][k] = residual;
      floors[s][k] = residualFloor(data, m, residual, absSums, 2 ** -53);
    }
  };
  const W0 = W.dataSync();
  observe(0, W0);
  for (let k = 0; k < steps; k++) {
    const next = tf.tidy(() => tf.sub(W, tf.mul(gradient(W), eta)) as tf.Tensor3D);
    W.dispose();
    W = next;
    observe(k + 1, W.dataSync());
  }
  const WT = W.dataSync();
  tf.dispose([Xt, y, a, W]);
  const slice = (w: ArrayLike<number>, s: number) => Float64Array.from({ length: m * d }, (_, i) => w[s * m * d + i]);
  return { width: m, seeds, residuals, floors, a: inits.map((i) => i.a), W0: seeds.map((_, s) => slice(W0, s)), WT: seeds.map((_, s) => slice(WT, s)) };
}

/** ‖y − u‖² in float64 for the weights at W[offset …] (m × d) and signs a, with the column sums Σ_r |w_rk| for the floor. */
export function exactResidual(data: SphereData, W: ArrayLike<number>, offset: number, a: ArrayLike<number>, m: number): { residual: number; absSums: Float64Array } {
  const { n, d, X, y } = data;
  const u = new Float64Array(n), absSums = new Float64Array(d);
  for (let r = 0; r < m; r++) {
    const row = offset + r * d;
    for (let k = 0; k < d; k++) absSums[k] += Math.abs(W[row + k]);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += W[row + k] * X.data[i * d + k];
      if (z > 0) u[i] += a[r] * z;
    }
  }
  let residual = 0;
  for (let i = 0; i < n; i++) residual += (u[i] / Math.sqrt(m) - y[i]) ** 2;
  return { residual, absSums };
}

/** γ_k = k·u/(1 − k·u): the classical bound on the relative error of a sum or dot product of k terms with unit roundoff u. */
const gammaK = (k: number, unit: number): number => (k * unit) / (1 - k * unit);

/**
 * A worst-case bound on the rounding error of ‖y − u‖² as computed with unit
 * roundoff `unit`. Each u_i is a dot product over d then a sum over m, so
 * |δu_i| ≤ γ_{m+d+2} · (1/√m) Σ_r Σ_k |w_rk||x_ik| = γ · (1/√m) Σ_k |x_ik| c_k
 * with c_k = Σ_r |w_rk|; then |δ‖r‖²| ≤ 2‖r‖‖δu‖ + ‖δu‖² + γ_{n+1}‖r‖².
 */
export function residualFloor(data: SphereData, m: number, residual: number, columnAbsSums: ArrayLike<number>, unit: number): number {
  const { n, d, X } = data;
  const g = gammaK(m + d + 2, unit);
  let e2 = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += Math.abs(X.data[i * d + k]) * columnAbsSums[k];
    e2 += (g * s / Math.sqrt(m)) ** 2;
  }
  const e = Math.sqrt(e2);
  return 2 * Math.sqrt(residual) * e + e2 + gammaK(n + 1, unit) * residual;
}
