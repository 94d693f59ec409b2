/**
 * The worst function of a performance estimation problem, run for real.
 *
 * From the primal solution (the Gram matrix G over the basis x0, g0, g1, … and
 * the function values) we get explicit vectors: G = V Λ Vᵀ, the eigenvalues
 * above a threshold kept, U = V_r Λ_r^{1/2}, so that row a of U is basis vector
 * a in R^r. A reflection puts x0 on the first axis (x0 = (R, 0, …): exact in
 * float32 when R is). Points, gradients and values then go through
 * interpolant.ts to an explicit function of the class, which becomes an
 * instance of the family `pep-worst` (registered by name, never drawn by
 * default), and the real TensorFlow.js optimiser runs on it from x0, checked
 * by the verifier with its float32 tolerance model.
 *
 * Cleaning the solver's output (each step reported in `cleanup`):
 *  - eigenvalues of G below 1e-7 of the largest (csdp's accuracy is ~1e-8
 *    relative) are dropped, the negative ones among them;
 *  - smooth classes: f_i is raised to the least value its interpolation
 *    condition with x* allows, so that x* = 0 is a minimiser and f* = 0
 *    exactly (a raise of the order of the solver's accuracy);
 *  - lipschitz-convex: a gradient longer than M is shortened to M.
 * The construction gives a function of the class whatever the data (see
 * interpolant.ts); what cleaning can spoil is only how well it passes through
 * the data, which is measured: the largest excess of an interpolation
 * inequality, and the largest value and gradient mismatch at the points.
 */
import { tf } from '../engine/tfjs.ts';
import { addFamily, familyById } from '../classes/index.ts';
import type { BatchedLoss, Family, Instance } from '../classes/types.ts';
import { makeBatchedLoss, checkBatch } from '../classes/families/common.ts';
import { dot, mat, symEig } from '../numeric/linalg.ts';
import type { PepClass, PepMeasure } from './model.ts';
import type { PepResult } from './solve.ts';
import { dataExcess, interpolant, type ClassConstants, type InterpolationData } from './interpolant.ts';

/** Eigenvalues of the worst Gram matrix below this fraction of the largest are solver noise. */
export const RANK_THRESHOLD = 1e-7;

/** Data within this fraction of the problem's scale (τ, or the largest |f|) of the interpolation conditions interpolates. */
export const INTERPOLATION_TOLERANCE = 1e-6;

export interface WorstData extends InterpolationData {
  cls: PepClass;
  constants: ClassConstants;
  rank: number;
  /** The eigenvalues of G dropped (largest absolute), relative to the largest kept. */
  dropped: number;
  /** Index of x0 among the points, and of x* (always 0). */
  x0: number[];
  labels: string[];
  cleanup: string[];
  /** Largest excess of an interpolation inequality after cleaning, relative to the scale. */
  excess: number;
  interpolates: boolean;
}

/**
 * The worst Gram matrix as explicit vectors: `combine` maps coefficients over the basis to a
 * vector in R^rank, with x0 − x* (basis vector 0) on the first axis. The cleanup's first line.
 */
export function worstVectors(r: PepResult): { rank: number; dropped: number; x0: number[]; combine: (coef: number[]) => number[]; note: string } {
  if (!r.G || !r.f) throw new Error('worstData: no primal solution (solve with csdp, status success or partial)');
  const n = r.G.length;
  const { values, vectors } = symEig(mat(n, n, r.G.flat()));
  const top = Math.max(...Array.from(values));
  if (!(top > 0)) throw new Error('worstData: the worst Gram matrix is zero');
  const keep = [...values.keys()].filter((k) => values[k] > RANK_THRESHOLD * top).reverse();
  const dropped = Math.max(0, ...[...values.keys()].filter((k) => !keep.includes(k)).map((k) => Math.abs(values[k]))) / top;
  // U[a] = basis vector a in R^r
  let U = Array.from({ length: n }, (_, a) => keep.map((k) => vectors.data[a * n + k] * Math.sqrt(values[k])));
  U = reflectOntoFirstAxis(U, 0);
  const combine = (coef: number[]) => keep.map((_, k) => coef.reduce((s, c, a) => s + c * U[a][k], 0));
  const note = `kept ${keep.length} of ${n} eigenvalues of the Gram matrix (dropped ≤ ${dropped.toExponential(1)} of the largest)`;
  // basis vector 0 is x0 − x* = x0, on the first axis after the reflection
  return { rank: keep.length, dropped, x0: [...U[0]], combine, note };
}

/** The explicit points, gradients and values of a solved problem (csdp's primal solution). */
export function worstData(r: PepResult): WorstData {
  const { rank, dropped, x0, combine, note } = worstVectors(r);
  const { model } = r;
  const cls = model.spec.cls;
  const constants: ClassConstants = { L: model.spec.constants.L, mu: model.spec.constants.mu ?? 0, M: model.spec.constants.M };
  const x = model.points.map((p) => combine(p.x));
  const g = model.points.map((p) => combine(p.g));
  const f = model.points.map((p) => (p.f < 0 ? 0 : r.f![p.f]));
  const cleanup = [note];
  let raised = 0, shortened = 0;
  if (cls === 'smooth-convex' || cls === 'smooth-strongly-convex') {
    const { L = NaN, mu = 0 } = constants;
    for (let i = 1; i < x.length; i++) {
      // the condition between x_i and x* = 0: f_i ≥ (‖g_i‖² + μL‖x_i‖² − 2μ⟨g_i, x_i⟩) / (2(L − μ))
      const least = (dot(g[i], g[i]) + mu * L * dot(x[i], x[i]) - 2 * mu * dot(g[i], x[i])) / (2 * (L - mu));
      if (f[i] < least) { raised = Math.max(raised, least - f[i]); f[i] = least; }
    }
    cleanup.push(`raised f at ${raised > 0 ? 'some points' : 'no point'} to the least value allowed by x* (by at most ${raised.toExponential(1)})`);
  }
  if (cls === 'lipschitz-convex') {
    const M = constants.M!;
    g.forEach((gi, i) => {
      const nrm = Math.sqrt(dot(gi, gi));
      if (nrm > M) { shortened = Math.max(shortened, nrm - M); g[i] = gi.map((v) => (v * M) / nrm); }
    });
    cleanup.push(`shortened gradients longer than M (by at most ${shortened.toExponential(1)})`);
  }
  const scale = Math.max(Math.abs(r.tau), ...f.map(Math.abs), 1e-300);
  const excess = dataExcess(cls, constants, { x, g, f }).excess / scale;
  return {
    cls, constants, x, g, f, rank, dropped, x0, labels: model.points.map((p) => p.label), cleanup,
    excess, interpolates: excess <= INTERPOLATION_TOLERANCE,
  };
}

/** A Householder reflection of the rows' space taking row `a` to (‖row a‖, 0, …, 0). */
function reflectOntoFirstAxis(U: number[][], a: number): number[][] {
  const v = [...U[a]];
  const nrm = Math.sqrt(dot(v, v));
  if (v.length === 0 || nrm === 0) return U;
  v[0] -= nrm;
  const vv = dot(v, v);
  if (vv <= 1e-30 * nrm * nrm) return U;
  return U.map((row) => {
    const s = (2 * dot(row, v)) / vv;
    return row.map((x, k) => x - s * v[k]);
  });
}

// ------------------------------------------------------------------ family

/** Params of [pep-worst]: the class, its constants, the data the function passes through, and the start. */
export type PepWorstParams = {
  cls: PepClass; L?: number; mu?: number; M?: number;
  x: number[][]; g: number[][]; f: number[]; x0: number[];
};

export const WORST_FAMILY_ID = 'pep-worst';

function instanceOf(p: PepWorstParams): Instance {
  const c: ClassConstants = { L: p.L, mu: p.mu ?? 0, M: p.M };
  const fn = interpolant(p.cls, c, { x: p.x, g: p.g, f: p.f });
  const smooth = p.cls !== 'lipschitz-convex';
  return {
    family: WORST_FAMILY_ID,
    params: p,
    dim: fn.dim,
    cert: {
      convex: true, quadratic: false, fstar: 0,
      ...(smooth ? { L: p.L } : { G: p.M }),
      ...(p.cls === 'smooth-strongly-convex' && (p.mu ?? 0) > 0 ? { mu: p.mu } : {}),
    },
    x0: Float64Array.from(p.x0),
    value: fn.value,
    grad: fn.grad,
    // x* = 0 is a minimiser by construction (cleanup); the smooth classes know the nearest one (interpolant.ts).
    // For lipschitz-convex the minimisers are a polyhedron we do not project onto: 0 stands for them, so
    // R and dist_t are distances to one minimiser (at least the distance to the set).
    nearestMinimiser: (x) => (fn.nearestMinimiser ? fn.nearestMinimiser(x) : new Float64Array(fn.dim)),
    data: { L: p.L ?? NaN },
  };
}

/**
 * [pep-worst] The worst function of a performance estimation problem. It has
 * no tensor form (each value is a small QP), so its TensorFlow.js loss wraps
 * the float64 oracle: it downloads the float32 iterate x̂, evaluates f(x̂) and
 * ∇f(x̂) in float64, and returns the first-order model f(x̂) + ⟨∇f(x̂), x − x̂⟩
 * built from them (rounded to float32), whose gradient tf.grad takes. (A
 * tf.customGrad does the same but trips the wasm backend's leak check.) The
 * optimiser's update itself is the real tf.train one.
 */
export const pepWorst: Family<PepWorstParams> = {
  id: WORST_FAMILY_ID,
  title: 'the worst function of a performance estimation problem',
  description: 'An explicit function of the class through the worst points, gradients and values of `boundlab pep` (Taylor–Hendrickx–Glineur 2017 interpolation); drawn only by name.',
  classes: ['convex', 'bounded-below'],
  byName: true,
  arbitrary() { throw new Error('pep-worst: instances come from a solved performance estimation problem, not from sampling'); },
  instantiate: instanceOf,
  tfLoss: (instances) => oracleLoss(WORST_FAMILY_ID, instances),
};

/**
 * A batched loss for instances that have only a float64 oracle: at the current point x̂ it is the
 * first-order model f(x̂) + ⟨∇f(x̂), x − x̂⟩ (see pepWorst).
 */
export function oracleLoss(family: string, instances: readonly Instance[]): BatchedLoss {
  checkBatch(family, instances);
  const B = instances.length, d = instances[0].dim;
  // The first-order model at the current point, f(x̂) + ⟨∇f(x̂), x − x̂⟩ with x̂ = x's value: its value
  // and gradient at x are the float64 oracle's (rounded to float32), and tf.grad sees a linear map.
  const body = (x: tf.Tensor2D): tf.Tensor1D => {
    const xs = x.dataSync();
    const grads = new Float32Array(B * d), offsets = new Float32Array(B);
    instances.forEach((inst, i) => {
      const p = xs.subarray(i * d, (i + 1) * d);
      const g = inst.grad(p);
      grads.set(g, i * d);
      offsets[i] = inst.value(p) - dot(Float32Array.from(g), p);
    });
    return tf.add(tf.sum(tf.mul(x, tf.tensor2d(grads, [B, d])), 1), tf.tensor1d(offsets)) as tf.Tensor1D;
  };
  return makeBatchedLoss([], body);
}

/** Registers the family (by name only) once; returns it. */
export function worstFamily(): Family<PepWorstParams> {
  if (!familyById(WORST_FAMILY_ID)) addFamily(pepWorst as unknown as Family);
  return pepWorst;
}

/** The family params of a solved problem's worst function. */
export function worstParams(w: WorstData): PepWorstParams {
  return { cls: w.cls, L: w.constants.L, mu: w.constants.mu, M: w.constants.M, x: w.x, g: w.g, f: w.f, x0: w.x0 };
}

/** How well the built function passes through the data: the largest value and gradient mismatch at the points, relative to the scale. */
export function interpolationError(p: PepWorstParams, scale: number): { value: number; gradient: number } {
  const inst = instanceOf(p);
  let value = 0, gradient = 0;
  const gscale = Math.max(1e-300, ...p.g.map((g) => Math.sqrt(dot(g, g))));
  p.x.forEach((xi, i) => {
    value = Math.max(value, Math.abs(inst.value(xi) - p.f[i]) / scale);
    const gi = inst.grad(xi);
    gradient = Math.max(gradient, Math.sqrt(p.g[i].reduce((s, v, k) => s + (v - gi[k]) ** 2, 0)) / gscale);
  });
  return { value, gradient };
}

/** The statement's left side for a measure (min-… measures are the minimum of these over the steps). */
export const MEASURE_QUANTITY: Readonly<Record<PepMeasure, string>> = {
  'f-gap': 'f_t - fstar', 'min-f-gap': 'f_t - fstar', 'grad-norm2': 'grad2_t', 'min-grad-norm2': 'grad2_t', dist2: 'dist_t^2',
};
