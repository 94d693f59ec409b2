/**
 * Witnesses for a function a proof file reaches through its proximal map,
 * `prox(h, gamma, v)` (docs/proof-format.md): nonsmooth convex functions
 * whose prox is exact in float64, so that a sampled prox step is a real one
 * (x⁺ = v − γs with s a subgradient of h at x⁺, by construction, not by an
 * inner solver):
 *
 *   l1: h(x) = λ‖x − a‖₁ + (ρ/2)‖x − b‖² + ⟨c, x⟩   (prox: a soft threshold per coordinate)
 *   l2: h(x) = λ‖x − a‖  + (ρ/2)‖x − a‖² + ⟨c, x⟩   (prox: a block soft threshold)
 *
 * with λ > 0, ρ ≥ 0 (ρ = 0 is the sharp, purely nonsmooth case). The tilt c
 * is chosen last, so that a point x* picked in advance (on the kinks, with a
 * subgradient s₀ of the untilted part there, sometimes on the edge of the
 * subdifferential) is a minimiser: of h alone (c = −s₀), or of f + h for the
 * smooth partner f of `xstar(f + h)` (c = −∇f(x*) − s₀, so that
 * 0 = ∇f(x*) + s₀ + c ∈ ∇f(x*) + ∂h(x*)). Minimisers are then exact, like
 * every witness's f*, and the prox steps land on the kinks where a nonsmooth
 * h is sharp.
 */
import type { Instance } from '../classes/types.ts';
import type { Vec } from '../numeric/linalg.ts';
import { makeRng } from '../numeric/rng.ts';
import type { WitnessChoice } from './witness.ts';
import type { WitnessRecord } from './result.ts';

export interface ProximalParams {
  kind: 'l1' | 'l2';
  lambda: number;
  rho: number;
  a: number[];
  /** the centre of the quadratic part (l1; for l2 it is a) */
  b: number[];
  c: number[];
  /** the minimiser the tilt was chosen for: of h alone, or of f + h with f = partner */
  xstar: number[];
  partner?: string;
}

/** A witness with its exact proximal map; `sum` when it is the nonsmooth term of xstar(partner + h). */
export interface ProximalInstance extends Instance {
  prox(gamma: number, v: ArrayLike<number>): Vec;
  sum?: { partner: string; xstar: Vec };
}

export const isProximal = (inst: Instance): inst is ProximalInstance => typeof (inst as Partial<ProximalInstance>).prox === 'function';

const soft = (beta: number, t: number) => Math.sign(beta) * Math.max(0, Math.abs(beta) - t);
const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

/** The instance of given parameters (a pure function of them: a counterexample replays). */
export function proximalInstance(p: ProximalParams): ProximalInstance {
  const { kind, lambda, rho, a, b, c } = p;
  const dim = a.length;
  const centre = kind === 'l1' ? b : a;
  const value = (x: ArrayLike<number>): number => {
    let v = 0, q = 0;
    for (let i = 0; i < dim; i++) { q += (x[i] - centre[i]) ** 2; v += c[i] * x[i]; }
    const kink = kind === 'l1' ? Array.from(x, (xi, i) => Math.abs(xi - a[i])).reduce((s, t) => s + t, 0) : Math.hypot(...Array.from(x, (xi, i) => xi - a[i]));
    return lambda * kink + (rho / 2) * q + v;
  };
  // a subgradient: the one of least norm of the kink's part (0 on a kink)
  const grad = (x: ArrayLike<number>): Vec => {
    const r = kind === 'l2' ? Math.hypot(...Array.from(x, (xi, i) => xi - a[i])) : 0;
    return Float64Array.from({ length: dim }, (_, i) => {
      const kinkPart = kind === 'l1' ? lambda * Math.sign(x[i] - a[i]) : r > 0 ? (lambda * (x[i] - a[i])) / r : 0;
      return kinkPart + rho * (x[i] - centre[i]) + c[i];
    });
  };
  // argmin_u λ·kink(u) + (κ/2)‖u‖² + ⟨β, u⟩ with u = x − a, κ = ρ + 1/γ (the smooth part's gradient at u = 0 is β)
  const prox = (gamma: number, v: ArrayLike<number>): Vec => {
    if (!(gamma > 0)) throw new Error(`prox: the step must be > 0, not ${gamma}`);
    const kappa = rho + 1 / gamma;
    const beta = Array.from({ length: dim }, (_, i) => rho * (a[i] - centre[i]) + c[i] + (a[i] - v[i]) / gamma);
    if (kind === 'l1') return Float64Array.from(beta, (bi, i) => a[i] - soft(bi, lambda) / kappa);
    const nb = norm(beta);
    const shrink = nb > lambda ? 1 - lambda / nb : 0;
    return Float64Array.from(beta, (bi, i) => a[i] - (shrink * bi) / kappa);
  };
  const xs = Float64Array.from(p.xstar);
  const alone = p.partner === undefined;
  return {
    family: `proximal-${kind}`,
    params: p as unknown as Record<string, unknown>,
    dim,
    // f* of h alone; for the term of a sum, h(x*) (only the rounding model reads it then)
    cert: { convex: true, quadratic: false, fstar: value(xs) },
    x0: Float64Array.from(a),
    value,
    grad,
    prox,
    // alone, x* is the only minimiser (ρ > 0, or every coordinate on a kink strictly inside the subdifferential)
    nearestMinimiser: () => (alone ? Float64Array.from(xs) : null),
    ...(alone ? {} : { sum: { partner: p.partner!, xstar: xs } }),
  };
}

/**
 * A witness on R^dim from a draw's choice: `pick` picks l1 or l2, `tight` how
 * sharp (0: ρ = 0 with subgradients on the edge of the subdifferential where
 * that keeps the minimiser, 1: ρ = 0, 2: ρ > 0 and points off the kinks),
 * `u` the scale of λ. `partner` is the smooth f of xstar(f + h), if any.
 */
export function makeProximal(dim: number, choice: WitnessChoice, partner?: { name: string; inst: Instance }): { instance: ProximalInstance; record: WitnessRecord } {
  const rng = makeRng(choice.seed);
  const kind = choice.pick % 2 === 0 ? 'l1' : 'l2';
  const lambda = 10 ** (2 * choice.u - 1);
  const rho = choice.tight === 2 ? 10 ** (2 * rng.next() - 1) : 0;
  const a = Array.from({ length: dim }, () => rng.normal());
  const b = Array.from({ length: dim }, () => rng.normal());
  const centre = kind === 'l1' ? b : a;
  // h alone with ρ = 0 has a unique minimiser only on the kinks with s₀ strictly inside ∂: keep it so
  const offKinks = choice.tight === 2 || (partner !== undefined && choice.tight === 1);
  const edge = choice.tight === 0 && partner !== undefined;
  const xstar = a.slice();
  const s0 = new Array<number>(dim).fill(0);
  if (kind === 'l1') {
    for (let i = 0; i < dim; i++) {
      if (offKinks && rng.next() < 0.5) {
        xstar[i] = a[i] + rng.normal();
        s0[i] = lambda * Math.sign(xstar[i] - a[i]);
      } else {
        const t = edge && rng.next() < 0.5 ? (rng.next() < 0.5 ? -1 : 1) : 1.8 * rng.next() - 0.9;
        s0[i] = lambda * t;
      }
    }
  } else if (offKinks && rng.next() < 0.5) {
    for (let i = 0; i < dim; i++) xstar[i] = a[i] + rng.normal();
    const r = Math.hypot(...xstar.map((x, i) => x - a[i]));
    for (let i = 0; i < dim; i++) s0[i] = (lambda * (xstar[i] - a[i])) / r;
  } else {
    const u = Array.from({ length: dim }, () => rng.normal());
    const r = Math.hypot(...u) || 1;
    const len = edge ? 1 : 0.9 * rng.next();
    for (let i = 0; i < dim; i++) s0[i] = (lambda * len * u[i]) / r;
  }
  for (let i = 0; i < dim; i++) s0[i] += rho * (xstar[i] - centre[i]);
  const g = partner ? partner.inst.grad(xstar) : new Float64Array(dim);
  const c = s0.map((s, i) => -g[i] - s);
  const params: ProximalParams = { kind, lambda, rho, a, b: kind === 'l1' ? b : a, c, xstar, ...(partner ? { partner: partner.name } : {}) };
  return { instance: proximalInstance(params), record: { family: `proximal-${kind}`, params, scale: 1, constants: { lambda, rho } } };
}
