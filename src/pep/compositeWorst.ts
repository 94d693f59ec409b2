/**
 * The worst pair (f, h) of a composite performance estimation problem
 * F = f + h (proximal gradient, FISTA, the proximal point method), run for real.
 *
 * The primal solution gives vectors as for a single function (worst.ts
 * worstVectors): f's points with their gradients, h's points (the prox
 * outputs, and x_N when it is not one) with their subgradients, and at the
 * optimum x* = 0 the gradient g* of f and the subgradient −g* of h. The
 * problem's value unknowns are Bregman gaps (model.ts); the function values
 * are f(x_p) = gap + ⟨g*, x_p⟩ and h(x_p) = gap − ⟨g*, x_p⟩, with
 * f(x*) = h(x*) = 0. Then
 *  - f is interpolant.ts's function of its class through f's data (x* with g*
 *    among them), or f ≡ 0 when the method takes no gradient;
 *  - h(x) = max_p h(x_p) + ⟨s_p, x − x_p⟩ over h's data (x* with −g* among
 *    them), closed and convex whatever the data; its prox is maxAffineProx.ts.
 * Through the data when they satisfy the interpolation conditions; then
 * 0 ∈ ∇f(0) + ∂h(0), so x* = 0 minimises F and F* = F(0) = 0.
 *
 * Cleaning (each step reported in `cleanup`): f's values are raised to the
 * least that their condition with x* allows (f(x_p) ≥ ⟨g*, x_p⟩ + …, as
 * worst.ts does with g* = 0), and h's values are lowered to the most that
 * their condition with x* allows (h(x_p) ≤ ⟨s_p, x_p⟩, so that h(0) = 0):
 * moves of the order of the solver's accuracy; lowering h can only make a run
 * look better. The family's F* is F(0) evaluated, at least the true
 * minimum, so the measured gap is never above the true one.
 */
import { tf } from '../engine/tfjs.ts';
import { addFamily, familyById } from '../classes/index.ts';
import type { Family, Instance } from '../classes/types.ts';
import { dot, norm } from '../numeric/linalg.ts';
import type { PepClass } from './model.ts';
import type { PepResult } from './solve.ts';
import { dataExcess, interpolant, interpolationExcess, type ClassConstants, type InterpolationData } from './interpolant.ts';
import { maxAffineProx } from './maxAffineProx.ts';
import { INTERPOLATION_TOLERANCE, oracleLoss, worstVectors } from './worst.ts';

export interface CompositeWorstData {
  /** f's class; `convex` when the method takes no gradient (f ≡ 0, the proximal point method). */
  cls: PepClass;
  constants: ClassConstants;
  /** f's data (x* = 0 first, with g*), or null; h's data (x* = 0 with −g*, values h − h(x*)). */
  f: InterpolationData | null;
  h: InterpolationData;
  rank: number;
  dropped: number;
  x0: number[];
  cleanup: string[];
  /** Largest excess of an interpolation inequality (f's class for f, convexity for h) after cleaning, relative to the scale. */
  excess: number;
  interpolates: boolean;
  /** The method's prox steps: output x_p, subgradient s_p, step γ (x_p = v − γs_p), to check h's prox against. */
  proxSteps: { x: number[]; s: number[]; gamma: number }[];
}

/** Whether a solved problem is composite (h's points from prox). */
export const isComposite = (r: PepResult): boolean => r.model.points.some((p) => p.fn === 'h');

/** The explicit worst pair of a solved composite problem (csdp's primal solution). */
export function compositeWorstData(r: PepResult): CompositeWorstData {
  const { rank, dropped, x0, combine, note } = worstVectors(r);
  const { model } = r;
  const dim = rank;
  const points = (fn: 'f' | 'h') => model.points.filter((p) => p.fn === fn);
  const fPoints = points('f'), hPoints = points('h');
  const gStar = fPoints.length ? combine(fPoints.find((p) => p.f < 0)!.g) : new Array(dim).fill(0);
  const dataOf = (pts: typeof fPoints, sign: 1 | -1): InterpolationData => {
    const x = pts.map((p) => combine(p.x));
    const g = pts.map((p) => combine(p.g));
    const f = pts.map((p, i) => (p.f < 0 ? 0 : r.f![p.f] + sign * dot(gStar, x[i])));
    return { x, g, f };
  };
  const hasF = fPoints.length > 0;
  const cls: PepClass = hasF ? model.spec.cls : 'convex';
  const constants: ClassConstants = hasF ? { L: model.spec.constants.L, mu: model.spec.constants.mu ?? 0 } : {};
  const f = hasF ? dataOf(fPoints, 1) : null;
  const h = dataOf(hPoints, -1);
  const cleanup = [note];
  // the optimum's index among each function's points (value unknown −1 in the model)
  const star = (pts: typeof fPoints) => pts.findIndex((p) => p.f < 0);
  if (f) {
    const s = star(fPoints);
    let raised = 0;
    for (let i = 0; i < f.x.length; i++) {
      if (i === s) continue;
      const e = interpolationExcess(cls, constants, f.x[i], f.g[i], f.f[i], f.x[s], f.g[s], 0);
      if (e > 0) { raised = Math.max(raised, e); f.f[i] += e; }
    }
    cleanup.push(`raised f at ${raised > 0 ? 'some points' : 'no point'} to the least value allowed by x* (by at most ${raised.toExponential(1)})`);
  }
  {
    const s = star(hPoints);
    let lowered = 0;
    for (let i = 0; i < h.x.length; i++) {
      if (i === s) continue;
      // h(x*) = 0 ≥ h_i + ⟨s_i, x* − x_i⟩
      const e = interpolationExcess('convex', {}, h.x[s], h.g[s], 0, h.x[i], h.g[i], h.f[i]);
      if (e > 0) { lowered = Math.max(lowered, e); h.f[i] -= e; }
    }
    cleanup.push(`lowered h at ${lowered > 0 ? 'some points' : 'no point'} to the most allowed by x* (by at most ${lowered.toExponential(1)})`);
  }
  const scale = Math.max(Math.abs(r.tau), ...(f?.f ?? []).map(Math.abs), ...h.f.map(Math.abs), 1e-300);
  const excess = Math.max(f ? dataExcess(cls, constants, f).excess : -Infinity, dataExcess('convex', {}, h).excess) / scale;
  // a prox output is v − γs with s its own basis column: γ is minus its coefficient there
  const proxSteps = hPoints.map((p, i) => ({ p, i })).filter(({ p }) => p.label.startsWith('p')).map(({ p, i }) => ({
    x: h.x[i], s: h.g[i], gamma: -p.x.reduce((acc, c, a) => acc + c * p.g[a], 0),
  }));
  return { cls, constants, f, h, rank, dropped, x0, cleanup, excess, interpolates: excess <= INTERPOLATION_TOLERANCE, proxSteps };
}

// ------------------------------------------------------------------ family

/** Params of [pep-worst-composite]: f's class and constants, the data f and h pass through, and the start. */
export type CompositeWorstParams = {
  cls: PepClass; L?: number; mu?: number;
  f: InterpolationData | null; h: InterpolationData; x0: number[];
};

export const COMPOSITE_WORST_FAMILY_ID = 'pep-worst-composite';

function instanceOf(p: CompositeWorstParams): Instance {
  const dim = p.x0.length;
  const fn = p.f ? interpolant(p.cls, { L: p.L, mu: p.mu ?? 0 }, p.f) : null;
  const hn = interpolant('convex', {}, p.h);
  const prox = maxAffineProx(p.h);
  const value = (x: ArrayLike<number>) => (fn ? fn.value(x) : 0);
  const zero = new Float64Array(dim);
  const origin = Array.from(zero);
  return {
    family: COMPOSITE_WORST_FAMILY_ID,
    params: p,
    dim,
    cert: {
      convex: true, quadratic: false,
      // F* = F(0): 0 minimises F when the data interpolate; F(0) ≥ F* always, so gaps are never overstated
      fstar: value(origin) + hn.value(origin),
      L: p.f ? p.L : 0,
      ...(p.cls === 'smooth-strongly-convex' && (p.mu ?? 0) > 0 ? { mu: p.mu } : {}),
    },
    x0: Float64Array.from(p.x0),
    value,
    grad: (x) => (fn ? fn.grad(x) : new Float64Array(dim)),
    nonsmooth: { value: hn.value, prox: (v, gamma) => prox(v, gamma).x, lipschitz: Math.max(...p.h.g.map((s) => norm(s))) },
    // x* = 0 minimises F (it stands for the minimisers, as for lipschitz-convex in worst.ts: R and dist_t are distances to it)
    nearestMinimiser: () => new Float64Array(zero),
    data: { L: p.f ? p.L ?? NaN : 0 },
  };
}

/**
 * [pep-worst-composite] The worst pair f + h of a composite performance
 * estimation problem. Its loss is f's (the first-order model of the float64
 * oracle, as pep-worst's); its batched prox downloads the float32 point,
 * computes prox_{γh} in float64 (maxAffineProx.ts) and hands it back in
 * float32, which the optimisers with a proximal step apply.
 */
export const pepWorstComposite: Family<CompositeWorstParams> = {
  id: COMPOSITE_WORST_FAMILY_ID,
  title: 'the worst pair f + h of a composite performance estimation problem',
  description: 'An explicit smooth f of the class and a closed convex h (a maximum of affine pieces) through the worst points of `boundlab pep` on a method with prox; drawn only by name.',
  classes: ['convex', 'bounded-below'],
  byName: true,
  arbitrary() { throw new Error('pep-worst-composite: instances come from a solved performance estimation problem, not from sampling'); },
  instantiate: instanceOf,
  tfLoss: (instances) => oracleLoss(COMPOSITE_WORST_FAMILY_ID, instances),
  tfProx(instances) {
    const d = instances[0].dim;
    return (v, gamma) => {
      const vs = v.dataSync();
      const out = new Float32Array(vs.length);
      instances.forEach((inst, i) => out.set(inst.nonsmooth!.prox(vs.subarray(i * d, (i + 1) * d), gamma[i]), i * d));
      return tf.tensor2d(out, [instances.length, d]);
    };
  },
};

/** Registers the family (by name only) once; returns it. */
export function compositeWorstFamily(): Family<CompositeWorstParams> {
  if (!familyById(COMPOSITE_WORST_FAMILY_ID)) addFamily(pepWorstComposite as unknown as Family);
  return pepWorstComposite;
}

export function compositeWorstParams(w: CompositeWorstData): CompositeWorstParams {
  return { cls: w.cls, L: w.constants.L, mu: w.constants.mu, f: w.f, h: w.h, x0: w.x0 };
}

/**
 * How well the built pair passes through the data: the largest value mismatch of f and h at their
 * points (relative to the scale) and of ∇f (relative to the largest gradient); and how well h's prox
 * reproduces the method's own prox steps: for each prox output x_p = v − γs_p, the distance of
 * prox_{γh}(v) to x_p relative to ‖x0‖, and the largest certificate gap (maxAffineProx.ts).
 */
export function compositeInterpolationError(p: CompositeWorstParams, scale: number, proxSteps: { x: number[]; s: number[]; gamma: number }[]): {
  value: number; gradient: number; prox: number; proxGap: number;
} {
  const inst = instanceOf(p);
  let value = 0, gradient = 0;
  if (p.f) {
    const gscale = Math.max(1e-300, ...p.f.g.map((g) => norm(g)));
    p.f.x.forEach((xi, i) => {
      value = Math.max(value, Math.abs(inst.value(xi) - p.f!.f[i]) / scale);
      const gi = inst.grad(xi);
      gradient = Math.max(gradient, Math.sqrt(p.f!.g[i].reduce((s, v, k) => s + (v - gi[k]) ** 2, 0)) / gscale);
    });
  }
  p.h.x.forEach((xi, i) => { value = Math.max(value, Math.abs(inst.nonsmooth!.value(xi) - p.h.f[i]) / scale); });
  const prox = maxAffineProx(p.h);
  let proxErr = 0, proxGap = 0;
  const xscale = Math.max(1e-300, norm(p.x0));
  for (const st of proxSteps) {
    const v = st.x.map((xk, k) => xk + st.gamma * st.s[k]);
    const r = prox(v, st.gamma);
    proxErr = Math.max(proxErr, Math.sqrt(st.x.reduce((s, xk, k) => s + (xk - r.x[k]) ** 2, 0)) / xscale);
    proxGap = Math.max(proxGap, r.gap / scale);
  }
  return { value, gradient, prox: proxErr, proxGap };
}
