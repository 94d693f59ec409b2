/**
 * The proximal map of a maximum of affine pieces, h(x) = max_i a_i + ⟨s_i, x⟩
 * (a_i = h_i − ⟨s_i, x_i⟩ for the piece through (x_i, s_i, h_i)):
 * prox_{γh}(v) = argmin_x h(x) + ‖x − v‖²/(2γ).
 *
 * By duality (swap min over x and max over λ in the simplex of
 * Σ λ_i (a_i + ⟨s_i, x⟩) + ‖x − v‖²/(2γ)), prox_{γh}(v) = v − γ Σ λ_i s_i with λ
 * in the simplex maximising Σ λ_i (a_i + ⟨s_i, v⟩) − (γ/2)‖Σ λ_i s_i‖². Up to
 * the constant ‖v‖²/(2γ) that is the simplex QP interpolant.ts solves for its
 * smooth functions, min over α of Σ α_i c_i + (ℓ/2)‖v − Σ α_i b_i‖², with
 * ℓ = 1/γ, b_i = γ s_i, c_i = −a_i: the same solver (accelerated projected
 * gradient, then an exact solve of the KKT system on the support found).
 *
 * Each answer carries its certificate. With x = v − γ Σ λ_i s_i, the primal
 * value minus the dual one is h(x) − Σ λ_i (a_i + ⟨s_i, x⟩) ≥ 0 (the
 * complementarity slack of the KKT conditions: the weights sit on pieces
 * active at x); the primal is (1/γ)-strongly convex, so the distance of x to
 * the exact prox is at most √(2γ·gap).
 */
import { dot, type Vec } from '../numeric/linalg.ts';
import { smoothConvex, type InterpolationData } from './interpolant.ts';

export interface MaxAffineProx {
  /** The point returned, x = v − γ Σ λ_i s_i. */
  x: Vec;
  /** The dual weights λ (in the simplex). */
  weights: Float64Array;
  /** Primal minus dual value (≥ 0; 0 at the exact prox up to rounding). */
  gap: number;
  /** √(2γ·gap): a bound on ‖x − prox_{γh}(v)‖. */
  error: number;
}

/** prox_{γh} of h = max of the affine pieces through the data (points x, subgradients g, values f). */
export function maxAffineProx(d: InterpolationData): (v: ArrayLike<number>, gamma: number) => MaxAffineProx {
  const m = d.x.length, dim = d.x[0]?.length ?? 0;
  if (m === 0) throw new Error('maxAffineProx: h needs at least one affine piece');
  const a = d.f.map((f, i) => f - dot(d.g[i], d.x[i]));
  const zero = new Array(dim).fill(0);
  // one QP per step size (a run takes one or two)
  const qps = new Map<number, ReturnType<typeof smoothConvex>>();
  const qpOf = (gamma: number) => {
    let qp = qps.get(gamma);
    if (!qp) {
      qp = smoothConvex(1 / gamma, { x: d.g.map((s) => s.map((v) => gamma * v)), g: d.g.map(() => zero), f: a.map((ai) => -ai) }, dim);
      if (qps.size >= 4) qps.delete(qps.keys().next().value!);
      qps.set(gamma, qp);
    }
    return qp;
  };
  return (v, gamma) => {
    if (!(gamma > 0)) throw new Error(`maxAffineProx: the step γ must be > 0, got ${gamma}`);
    const w = qpOf(gamma)(v).weights;
    const total = w.reduce((s, l) => s + l, 0);
    const weights = Float64Array.from(w, (l) => Math.max(0, l) / total);
    const x = Float64Array.from(v);
    weights.forEach((l, i) => { if (l !== 0) for (let k = 0; k < dim; k++) x[k] -= gamma * l * d.g[i][k]; });
    const pieces = a.map((ai, i) => ai + dot(d.g[i], x));
    const h = Math.max(...pieces);
    const gap = Math.max(0, h - pieces.reduce((s, p, i) => s + weights[i] * p, 0));
    return { x, weights, gap, error: Math.sqrt(2 * gamma * gap) };
  };
}
