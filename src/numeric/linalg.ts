/**
 * Float64 linear algebra for oracles and certificates. Matrices are dense,
 * row-major Float64Array with an explicit size; small sizes only (d ≤ ~100).
 */
import type { Rng } from './rng.ts';

/** What Float64Array.from returns (Float64Array<ArrayBuffer> in TypeScript ≥ 5.7; written so older compilers read it too). */
export type Vec = ReturnType<typeof Float64Array.from>;
/** A dense row-major matrix. */
export interface Mat { rows: number; cols: number; data: Float64Array }

export const vec = (xs: ArrayLike<number>): Vec => Float64Array.from(xs);
export const zeros = (n: number): Vec => new Float64Array(n);

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
export const norm = (a: ArrayLike<number>): number => Math.sqrt(dot(a, a));

export function sub(a: ArrayLike<number>, b: ArrayLike<number>): Vec {
  const r = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) r[i] = a[i] - b[i];
  return r;
}
export function add(a: ArrayLike<number>, b: ArrayLike<number>): Vec {
  const r = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) r[i] = a[i] + b[i];
  return r;
}
export function scale(a: ArrayLike<number>, s: number): Vec {
  const r = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) r[i] = a[i] * s;
  return r;
}
/** a + s·b */
export function axpy(a: ArrayLike<number>, s: number, b: ArrayLike<number>): Vec {
  const r = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) r[i] = a[i] + s * b[i];
  return r;
}
export const dist = (a: ArrayLike<number>, b: ArrayLike<number>): number => norm(sub(a, b));

/** Every entry finite (a loop, not `every`: runs check each iterate of every row). */
export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

export function mat(rows: number, cols: number, data?: ArrayLike<number>): Mat {
  return { rows, cols, data: data ? Float64Array.from(data) : new Float64Array(rows * cols) };
}
export function identity(n: number): Mat {
  const m = mat(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}
export function matVec(m: Mat, x: ArrayLike<number>): Vec {
  const r = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    const o = i * m.cols;
    for (let j = 0; j < m.cols; j++) s += m.data[o + j] * x[j];
    r[i] = s;
  }
  return r;
}
/** mᵀx */
export function matTVec(m: Mat, x: ArrayLike<number>): Vec {
  const r = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const xi = x[i], o = i * m.cols;
    for (let j = 0; j < m.cols; j++) r[j] += m.data[o + j] * xi;
  }
  return r;
}
export function matMul(a: Mat, b: Mat): Mat {
  const r = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      if (aik === 0) continue;
      for (let j = 0; j < b.cols; j++) r.data[i * b.cols + j] += aik * b.data[k * b.cols + j];
    }
  return r;
}
export function transpose(a: Mat): Mat {
  const r = mat(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) r.data[j * a.rows + i] = a.data[i * a.cols + j];
  return r;
}
/** XᵀX */
export const gram = (x: Mat): Mat => matMul(transpose(x), x);

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations:
 * slow but accurate to a few ulps of ‖A‖, which certificates need.
 * Returns eigenvalues ascending and the eigenvectors as columns of `vectors`.
 */
export function symEig(a: Mat): { values: Float64Array; vectors: Mat } {
  const n = a.rows;
  const A = Float64Array.from(a.data);
  const V = identity(n).data;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off === 0 || off < 1e-30 * frob2(A)) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p], akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k], aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = [...Array(n).keys()].sort((i, j) => A[i * n + i] - A[j * n + j]);
  const values = Float64Array.from(order, (i) => A[i * n + i]);
  const vectors = mat(n, n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors.data[k * n + dst] = V[k * n + src];
  });
  return { values, vectors };
}
function frob2(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return s;
}
export const eigenvalues = (a: Mat): Float64Array => symEig(a).values;
export const lambdaMax = (a: Mat): number => { const v = eigenvalues(a); return v[v.length - 1]; };
export const lambdaMin = (a: Mat): number => eigenvalues(a)[0];

/** Largest singular value, as √λ_max(AᵀA): the definition, not via eig(A). */
export const spectralNorm = (a: Mat): number => Math.sqrt(Math.max(0, lambdaMax(gram(a))));

/** Solve A x = b for symmetric positive definite A (Cholesky). */
export function solveSPD(a: Mat, b: ArrayLike<number>): Vec {
  const n = a.rows, L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = a.data[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('solveSPD: matrix is not positive definite');
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** A Haar-random orthogonal matrix: Gram–Schmidt (twice) on a Gaussian matrix. */
export function randomOrthogonal(n: number, rng: Rng): Mat {
  const q = mat(n, n);
  const cols: Vec[] = [];
  for (let j = 0; j < n; j++) {
    let v = Float64Array.from({ length: n }, () => rng.normal());
    for (let pass = 0; pass < 2; pass++)
      for (const c of cols) v = axpy(v, -dot(v, c), c);
    const nv = norm(v);
    if (nv < 1e-8) { j--; continue; }
    v = scale(v, 1 / nv);
    cols.push(v);
    for (let i = 0; i < n; i++) q.data[i * n + j] = v[i];
  }
  return q;
}

/** Q diag(λ) Qᵀ */
export function fromSpectrum(q: Mat, lambdas: ArrayLike<number>): Mat {
  const n = q.rows, r = mat(n, n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q.data[i * n + k] * lambdas[k] * q.data[j * n + k];
      r.data[i * n + j] = s;
      r.data[j * n + i] = s;
    }
  return r;
}
