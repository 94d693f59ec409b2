/**
 * Shared helpers of the families: batched-loss plumbing (constants kept out
 * of any surrounding tf.tidy, freed by dispose), float64 scalar functions with
 * stable formulas, padded stacking of per-instance data, the certified
 * spectrum of a Gram matrix, and small generators of random data.
 *
 * Conventions every family follows (see src/classes/index.ts):
 * - params are plain JSON (numbers, arrays, null), and `x0: number[]` of length
 *   `dim` is always present, so a search can move the starting point;
 * - randomness comes only from makeRng(seed) inside the map of an arbitrary,
 *   so that instantiate(params) is a pure function of explicit numbers.
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { BatchedLoss, Instance, MinibatchLoss } from '../types.ts';
import { symEig, type Mat } from '../../numeric/linalg.ts';
import type { Rng } from '../../numeric/rng.ts';

export const EPS64 = Number.EPSILON;

/** Wrap a loss body as a BatchedLoss; `consts` are kept (safe to build inside a tidy) and freed by dispose(). */
export function makeBatchedLoss(consts: readonly tf.Tensor[], body: (x: tf.Tensor2D) => tf.Tensor1D): BatchedLoss {
  for (const t of consts) tf.keep(t);
  let disposed = false;
  const fn = ((x: tf.Tensor2D) => {
    if (disposed) throw new Error('batched loss used after dispose()');
    return tf.tidy(() => body(x));
  }) as BatchedLoss;
  fn.dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const t of consts) t.dispose();
  };
  return fn;
}

export function makeMinibatchLoss(
  consts: readonly tf.Tensor[],
  body: (x: tf.Tensor2D, batch: tf.Tensor2D) => tf.Tensor1D,
): MinibatchLoss {
  for (const t of consts) tf.keep(t);
  let disposed = false;
  const fn = ((x: tf.Tensor2D, batch: tf.Tensor2D) => {
    if (disposed) throw new Error('minibatch loss used after dispose()');
    return tf.tidy(() => body(x, batch.dtype === 'int32' ? batch : tf.cast(batch, 'int32')));
  }) as MinibatchLoss;
  fn.dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const t of consts) t.dispose();
  };
  return fn;
}

/** All instances of one batched loss must come from `family` and share a dimension. */
export function checkBatch(family: string, instances: readonly Instance[]): number {
  if (instances.length === 0) throw new Error(`${family}: a batched loss needs at least one instance`);
  const d = instances[0].dim;
  instances.forEach((inst, i) => {
    if (inst.family !== family) throw new Error(`${family}: instance ${i} belongs to family '${inst.family}'`);
    if (inst.dim !== d) throw new Error(`${family}: instance ${i} has dimension ${inst.dim}, instance 0 has ${d}`);
  });
  return d;
}

/** Guard that an array is a finite number[] of the given length. */
export function finiteArray(name: string, a: unknown, len?: number): number[] {
  if (!Array.isArray(a) || a.some((v) => typeof v !== 'number' || !Number.isFinite(v)))
    throw new Error(`${name} must be an array of finite numbers`);
  if (len !== undefined && a.length !== len) throw new Error(`${name} has length ${a.length}, expected ${len}`);
  return a as number[];
}

export function finiteNumber(name: string, v: unknown, lo = -Infinity, hi = Infinity, openLo = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (openLo && v === lo))
    throw new Error(`${name} must be a finite number in ${openLo ? '(' : '['}${lo}, ${hi}], got ${String(v)}`);
  return v;
}

/** A dense matrix from number[][] (checked rectangular and finite). */
export function matFromRows(name: string, rows: unknown, cols?: number): Mat {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error(`${name} must be a non-empty array of rows`);
  const c = cols ?? (Array.isArray(rows[0]) ? rows[0].length : -1);
  if (!(c >= 1)) throw new Error(`${name} must have at least one column`);
  const data = new Float64Array(rows.length * c);
  rows.forEach((r, i) => {
    finiteArray(`${name}[${i}]`, r, c).forEach((v, j) => (data[i * c + j] = v));
  });
  return { rows: rows.length, cols: c, data };
}

export const rowsOf = (m: Mat): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

/** log(1 + e^z) without overflow or cancellation. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
/** 1/(1 + e^{−z}) without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Neumaier-compensated sum: oracles sum many terms of one sign. */
export function accurateSum(xs: ArrayLike<number>): number {
  let s = 0, c = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i], t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/**
 * Eigenvalues of a symmetric positive semidefinite matrix (a Gram matrix) as
 * certified bounds. The Jacobi solver is backward stable: its eigenvalues are
 * exact for A + E with ‖E‖ ≤ c·d·eps·‖A‖; by Weyl's inequality each computed
 * eigenvalue is within ‖E‖ of the true one. `pad` = 16·d·eps·λ_max bounds that
 * (with a wide margin over observed errors), so `upper` (λ_max + pad) is a
 * proven upper bound and `lowerOf(i)` (λ_i − pad) a proven lower bound.
 */
export function certifiedSpectrum(a: Mat): { values: Float64Array; vectors: Mat; pad: number; max: number } {
  const { values, vectors } = symEig(a);
  const max = values[values.length - 1];
  const pad = 16 * a.rows * EPS64 * Math.max(Math.abs(max), Math.abs(values[0]));
  return { values, vectors, pad, max };
}

/** Round to the dyadic grid 2^−bits: data on such grids make products and sums exact in float64. */
export const dyadic = (x: number, bits: number): number => Math.round(x * 2 ** bits) / 2 ** bits;

/** A point uniformly on the sphere of radius r (Gaussian direction). */
export function sphere(rng: Rng, d: number, r: number): number[] {
  for (;;) {
    const g = Array.from({ length: d }, () => rng.normal());
    const n = Math.hypot(...g);
    if (n > 1e-8) return g.map((v) => (v / n) * r);
  }
}

/** Seeds for makeRng: 32-bit unsigned integers. */
export const seedArb = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 0xffffffff });

/** A log-uniform double in [lo, hi], with the endpoints and `extra` values as explicit boundary cases. */
export function logUniform(lo: number, hi: number, extra: readonly number[] = []): fc.Arbitrary<number> {
  const cont = fc
    .double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true })
    .map((t) => Math.min(hi, Math.max(lo, lo * (hi / lo) ** t)));
  return fc.oneof({ arbitrary: cont, weight: 3 }, { arbitrary: fc.constantFrom(lo, hi, ...extra), weight: 1 });
}

/** Stack per-instance rows into one Float32 buffer (row-major). */
export function stack(rows: readonly ArrayLike<number>[]): Float32Array {
  const len = rows.reduce((s, r) => s + r.length, 0);
  const out = new Float32Array(len);
  let o = 0;
  for (const r of rows) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}

/**
 * Data of a finite-sum family stacked as [B, nmax, cols], zero-padded when the
 * instances have different n, with weights [B, nmax] equal to 1/n_i on real
 * rows and 0 on padding (so the full loss is a weighted sum over rows).
 */
export function stackSamples(mats: readonly Mat[]): { X: tf.Tensor3D; weights: tf.Tensor2D; nmax: number } {
  const B = mats.length, nmax = Math.max(...mats.map((m) => m.rows)), c = mats[0].cols;
  const xs = new Float32Array(B * nmax * c), ws = new Float32Array(B * nmax);
  mats.forEach((m, b) => {
    xs.set(m.data, b * nmax * c);
    for (let i = 0; i < m.rows; i++) ws[b * nmax + i] = 1 / m.rows;
  });
  return { X: tf.tensor3d(xs, [B, nmax, c]), weights: tf.tensor2d(ws, [B, nmax]), nmax };
}

/** Per-instance vectors (length n_i) stacked as [B, nmax], zero-padded. */
export function stackPadded(vs: readonly ArrayLike<number>[], nmax: number): tf.Tensor2D {
  const out = new Float32Array(vs.length * nmax);
  vs.forEach((v, b) => out.set(v, b * nmax));
  return tf.tensor2d(out, [vs.length, nmax]);
}


/**
 * rows[b, j] = data[b, batch[b, j]] for data [B, nmax, ...] and int32 batch [B, m].
 * Written as a plain gather on the flattened data, NOT tf.gather(data, batch, 1, 1):
 * batchDims is wrong on the wasm backend of tfjs 4.22 (wrong rows whenever m ≠ B,
 * sometimes "memory access out of bounds"; tensorflow/tfjs#8658, fix pending in #8659).
 * `offsets` is the int32 constant [B, 1] with entries b·nmax (see rowOffsets).
 */
export function gatherRows(data: tf.Tensor, batch: tf.Tensor2D, offsets: tf.Tensor2D): tf.Tensor {
  const [B, nmax, ...rest] = data.shape;
  const m = batch.shape[1];
  const flat = data.reshape([B * nmax, ...rest]);
  const idx = tf.add(batch, offsets).reshape([B * m]);
  return tf.gather(flat, idx, 0).reshape([B, m, ...rest]);
}
export function rowOffsets(B: number, nmax: number): tf.Tensor2D {
  return tf.tensor2d(Int32Array.from({ length: B }, (_, b) => b * nmax), [B, 1], 'int32');
}
