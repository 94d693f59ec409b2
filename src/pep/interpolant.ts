/**
 * Explicit functions of a class through given points, gradients and values:
 * the constructive side of the interpolation theorems of Taylor, Hendrickx and
 * Glineur (2017). The worst case of a performance estimation problem is such
 * data; the function built here is a real function one can run an optimiser on.
 *
 * - μ-strongly convex and L-smooth (μ ≥ 0): f = (μ/2)‖x‖² + h with h convex and
 *   (L − μ)-smooth through the shifted data (x_i, g_i − μx_i, f_i − (μ/2)‖x_i‖²).
 * - convex and ℓ-smooth (ℓ = L − μ; when ℓ = 0, f is the quadratic itself): h is
 *   the conjugate of the (1/ℓ)-strongly convex h*(y) = max_i q_i(y), with q_i
 *   the quadratic through (g_i, x_i, ⟨x_i, g_i⟩ − f_i) of curvature 1/ℓ.
 *   Swapping sup and min (a concave–convex saddle) gives
 *     h(x) = min over α in the simplex of Σ α_i c_i + (ℓ/2)‖x − Bα‖²,
 *   with b_i = x_i − g_i/ℓ, c_i = f_i − ‖g_i‖²/(2ℓ), and ∇h(x) = ℓ(x − Bα*).
 *   This h is convex and ℓ-smooth whatever the data (a conjugate of a
 *   (1/ℓ)-strongly convex function); it passes through the data exactly when
 *   the data satisfy the interpolation conditions.
 * - convex and M-Lipschitz, and closed convex (the h of a composite problem):
 *   f = max_i f_i + ⟨g_i, x − x_i⟩ (every ‖g_i‖ ≤ M for the first); its proximal
 *   map is in maxAffineProx.ts.
 *
 * The small QP over the simplex is solved by accelerated projected gradient,
 * then polished on the support found (an exact solve of its KKT system,
 * kept when it is feasible and closes the duality gap further). Every value
 * comes with its duality gap: the QP value is an upper bound on h(x), and
 * ⟨x, y⟩ − h*(y) at y = ∇h(x) a lower bound; their difference bounds the error.
 * The value returned is the lower bound: an error in the QP can make a run on
 * this function look better than it is, never worse (no false violation).
 */
import { dot, mat, symEig, type Vec } from '../numeric/linalg.ts';
import type { PepClass } from './model.ts';

/** Points, gradients and values of a function (x* = 0, g* = 0, f* = 0 is one of them, usually the first). */
export interface InterpolationData {
  x: number[][];
  g: number[][];
  f: number[];
}

export interface ClassConstants { L?: number; mu?: number; M?: number }

/** An explicit function of a class, in dimension `dim`, with its float64 oracle. */
export interface Interpolant {
  cls: PepClass;
  dim: number;
  value(x: ArrayLike<number>): number;
  grad(x: ArrayLike<number>): Vec;
  /** Both at once, and (smooth classes) the QP's duality gap, a bound on the value's error. */
  evaluate(x: ArrayLike<number>): { value: number; grad: Vec; gap: number };
  /**
   * Smooth classes, when min f = 0 (the data's x* = 0 with f = 0, g = 0): the minimiser nearest to x.
   * For μ > 0 it is 0; for μ = 0 the minimisers are conv{b_i : c_i = 0} (the pieces of h* active at 0),
   * and the nearest is a projection onto that hull (the same QP with c = 0).
   */
  nearestMinimiser?(x: ArrayLike<number>): Vec;
}

/**
 * How much the pair (i, j) violates the class's interpolation inequality
 * (positive: violated by that much; ≤ 0: satisfied). The same inequalities as
 * the model's (model.ts), numerically on explicit vectors.
 */
export function interpolationExcess(cls: PepClass, c: ClassConstants, xi: ArrayLike<number>, gi: ArrayLike<number>, fi: number, xj: ArrayLike<number>, gj: ArrayLike<number>, fj: number): number {
  const dx = Array.from(xi, (v, k) => v - xj[k]);
  const dg = Array.from(gi, (v, k) => v - gj[k]);
  const { L = NaN, mu = 0 } = c;
  switch (cls) {
    case 'smooth-convex':
    case 'smooth-strongly-convex': {
      const k = 1 / (2 * (1 - mu / L));
      return fj - fi + dot(gj, dx) + k * (dot(dg, dg) / L + mu * dot(dx, dx) - (2 * mu / L) * dot(dg, dx));
    }
    case 'smooth':
      return fj - fi - (L / 4) * dot(dx, dx) + 0.5 * dot(gi, dx) + 0.5 * dot(gj, dx) + dot(dg, dg) / (4 * L);
    case 'lipschitz-convex':
    case 'convex':
      return fj - fi + dot(gj, dx);
  }
}

/** The largest violation over all ordered pairs (and, for lipschitz-convex, of ‖g_i‖ ≤ M), and where. */
export function dataExcess(cls: PepClass, c: ClassConstants, d: InterpolationData): { excess: number; pair: [number, number] | null } {
  let excess = -Infinity;
  let pair: [number, number] | null = null;
  for (let i = 0; i < d.x.length; i++) {
    for (let j = 0; j < d.x.length; j++) {
      if (i === j) continue;
      const e = interpolationExcess(cls, c, d.x[i], d.g[i], d.f[i], d.x[j], d.g[j], d.f[j]);
      if (e > excess) { excess = e; pair = [i, j]; }
    }
    if (cls === 'lipschitz-convex') {
      const e = Math.sqrt(dot(d.g[i], d.g[i])) - (c.M ?? NaN);
      if (e > excess) { excess = e; pair = [i, i]; }
    }
  }
  return { excess, pair };
}

/** The function of the class through the data (see the module comment); `smooth` has no construction here. */
export function interpolant(cls: PepClass, c: ClassConstants, d: InterpolationData): Interpolant {
  const dim = d.x[0]?.length ?? 0;
  if (d.x.length === 0 || d.g.length !== d.x.length || d.f.length !== d.x.length) throw new Error('interpolant: need as many gradients and values as points, at least one');
  // closed convex (h of a composite problem) and convex Lipschitz: the largest of the affine pieces
  if (cls === 'lipschitz-convex' || cls === 'convex') return maxOfAffine(d, dim, cls);
  if (cls === 'smooth') throw new Error('interpolant: the smooth (nonconvex) class has only necessary conditions here; no interpolating function is built');
  const L = c.L!, mu = cls === 'smooth-strongly-convex' ? c.mu ?? 0 : 0;
  if (!(L > 0) || !(mu >= 0 && mu <= L)) throw new Error(`interpolant: need 0 ≤ mu ≤ L and L > 0, got L = ${L}, mu = ${mu}`);
  const ell = L - mu;
  const h = ell > 0
    ? smoothConvex(ell, {
      x: d.x,
      g: d.g.map((g, i) => g.map((v, k) => v - mu * d.x[i][k])),
      f: d.f.map((f, i) => f - (mu / 2) * dot(d.x[i], d.x[i])),
    }, dim)
    : null;
  let nearestMinimiser: ((x: ArrayLike<number>) => Vec) | undefined;
  if (mu > 0 || ell === 0) nearestMinimiser = () => new Float64Array(dim);
  else {
    const scale = Math.max(1e-300, ...d.f.map(Math.abs));
    const active = d.x.map((xi, i) => i).filter((i) => d.f[i] - dot(d.g[i], d.g[i]) / (2 * ell) <= 1e-12 * scale);
    const hull = active.map((i) => d.x[i].map((v, k) => v - d.g[i][k] / ell)).filter((b) => b.some((v) => v !== 0));
    if (hull.length === 0) nearestMinimiser = () => new Float64Array(dim);
    else {
      const pts = [new Array(dim).fill(0), ...hull];
      // ½‖x − Bα‖² over the simplex: its gradient at x is x minus the projection
      const dist2 = smoothConvex(1, { x: pts, g: pts.map(() => new Array(dim).fill(0)), f: pts.map(() => 0) }, dim);
      nearestMinimiser = (x) => { const g = dist2(x).grad; return Float64Array.from(x, (v, k) => v - g[k]); };
    }
  }
  const evaluate = (x: ArrayLike<number>) => {
    const q = (mu / 2) * dot(x, x);
    if (!h) return { value: q, grad: Float64Array.from(x, (v) => mu * v), gap: 0 };
    const r = h(x);
    return { value: q + r.value, grad: Float64Array.from(r.grad, (v, k) => v + mu * x[k]), gap: r.gap };
  };
  return { cls, dim, evaluate, value: (x) => evaluate(x).value, grad: (x) => evaluate(x).grad, nearestMinimiser };
}

function maxOfAffine(d: InterpolationData, dim: number, cls: PepClass): Interpolant {
  const evaluate = (x: ArrayLike<number>) => {
    let best = -Infinity, arg = 0;
    d.x.forEach((xi, i) => {
      const v = d.f[i] + dot(d.g[i], Array.from(x, (xk, k) => xk - xi[k]));
      if (v > best) { best = v; arg = i; }
    });
    return { value: best, grad: Float64Array.from(d.g[arg]), gap: 0 };
  };
  return { cls, dim, evaluate, value: (x) => evaluate(x).value, grad: (x) => evaluate(x).grad };
}

/** A value of the simplex QP: the function's value (lower end), gradient, duality gap, and the weights α found. */
export interface SimplexQpValue { value: number; grad: Vec; gap: number; weights: Float64Array }

/** h convex and ℓ-smooth through the data, as the simplex QP of the module comment. */
export function smoothConvex(ell: number, d: InterpolationData, dim: number): (x: ArrayLike<number>) => SimplexQpValue {
  const m = d.x.length;
  const B = d.x.map((xi, i) => xi.map((v, k) => v - d.g[i][k] / ell));
  const c = d.f.map((f, i) => f - dot(d.g[i], d.g[i]) / (2 * ell));
  // h*(y) = ‖y‖²/(2ℓ) + max_i (⟨b_i, y⟩ − c_i): the conjugate side, for the lower bound
  const hStar = (y: ArrayLike<number>) => dot(y, y) / (2 * ell) + Math.max(...B.map((b, i) => dot(b, y) - c[i]));
  // Lipschitz constant of the QP's gradient: ℓ·λmax(BᵀB) ≤ ℓ·‖B‖_F²
  const lip = ell * Math.max(1e-300, B.reduce((s, b) => s + dot(b, b), 0));
  const objective = (x: ArrayLike<number>, a: ArrayLike<number>) => {
    const w = residual(x, a);
    return dot(c, a) + (ell / 2) * dot(w, w);
  };
  /** x − Bα, into `w` (a fresh vector unless one is given to reuse). */
  const residual = (x: ArrayLike<number>, a: ArrayLike<number>, w: Float64Array = new Float64Array(dim)) => {
    for (let k = 0; k < dim; k++) w[k] = x[k];
    for (let i = 0; i < m; i++) if (a[i] !== 0) for (let k = 0; k < dim; k++) w[k] -= a[i] * B[i][k];
    return w;
  };
  const result = (x: ArrayLike<number>, a: ArrayLike<number>) => {
    const y = Float64Array.from(residual(x, a), (v) => ell * v);
    const upper = objective(x, a), lower = dot(x, y) - hStar(y);
    // the lower end: a value never above the function's, so that the QP's error cannot make a run look worse
    return { value: Math.min(lower, upper), grad: y, gap: Math.max(0, upper - lower), weights: Float64Array.from(a) };
  };
  // value and gradient are asked for at the same point in turn: remember the last few
  const memo = new Map<string, SimplexQpValue>();
  return (x) => {
    const key = Array.from(x).join(',');
    const hit = memo.get(key);
    if (hit) return { ...hit, grad: Float64Array.from(hit.grad), weights: Float64Array.from(hit.weights) };
    const out = solve(x);
    if (memo.size >= 16) memo.delete(memo.keys().next().value!);
    memo.set(key, out);
    return { ...out, grad: Float64Array.from(out.grad), weights: Float64Array.from(out.weights) };
  };

  function solve(x: ArrayLike<number>): SimplexQpValue {
    // warm start: the piece whose quadratic is lowest at x
    let a: Float64Array = new Float64Array(m);
    let start = 0, low = Infinity;
    for (let i = 0; i < m; i++) {
      const e = new Float64Array(m); e[i] = 1;
      const v = objective(x, e);
      if (v < low) { low = v; start = i; }
    }
    a[start] = 1;
    let best = result(x, a);
    const scale = Math.max(1e-300, Math.abs(best.value), dot(x, x) * ell);
    if (best.gap <= 1e-15 * scale) return best;
    // accelerated projected gradient on the simplex, polished on its support every 50 steps;
    // stops when the gap is at rounding level or has stopped shrinking (the data's own inconsistency).
    // Its vectors are allocated once and reused over the (up to 4000) steps: the same arithmetic in the
    // same order as fresh arrays per step, a third of the time (bench/pep-interpolant.ts, bit for bit).
    // `a` and `next` take turns in two buffers; `best` holds copies (result), never these.
    const z = Float64Array.from(a), w = new Float64Array(dim), grad = new Float64Array(m), step = new Float64Array(m);
    const sorted = new Float64Array(m);
    let next: Float64Array = new Float64Array(m), tk = 1, stalled = 0;
    for (let it = 1; it <= 4000; it++) {
      residual(x, z, w);
      for (let i = 0; i < m; i++) grad[i] = c[i] - ell * dot(B[i], w);
      for (let i = 0; i < m; i++) step[i] = z[i] - grad[i] / lip;
      projectSimplex(step, next, sorted);
      const tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
      for (let i = 0; i < m; i++) z[i] = next[i] + ((tk - 1) / tn) * (next[i] - a[i]);
      [a, next] = [next, a]; tk = tn;
      if (it % 50 === 0) {
        const before = best.gap;
        for (const cand of [a, polish(x, a)]) {
          if (!cand) continue;
          const r = result(x, cand);
          if (r.gap < best.gap) best = r;
        }
        if (best.gap <= 1e-14 * scale) break;
        stalled = best.gap < 0.5 * before ? 0 : stalled + 1;
        if (stalled >= 4) break;
      }
    }
    return best;
  }

  /**
   * The QP on the support of α with only Σα = 1: its KKT system solved exactly (pseudo-inverse).
   * A weight that comes out negative leaves the support (the most negative first) and the rest is
   * solved again: first-order steps on nearly collinear data end on a support one point too large,
   * whose own solution is infeasible. Null when no support is left.
   */
  function polish(x: ArrayLike<number>, a: ArrayLike<number>): Float64Array | null {
    const top = Math.max(...Array.from(a));
    let S = [...Array(m).keys()].filter((i) => a[i] > 1e-9 * top);
    while (S.length) {
      const sol = kkt(x, S);
      let leaving = -1;
      for (let p = 0; p < S.length; p++) if (sol[p] < -1e-12 && (leaving < 0 || sol[p] < sol[leaving])) leaving = p;
      if (leaving >= 0) { S = S.filter((_, p) => p !== leaving); continue; }
      const out = new Float64Array(m);
      S.forEach((i, p) => { out[i] = Math.max(0, sol[p]); });
      const total = out.reduce((s, v) => s + v, 0);
      return total > 0 ? out.map((v) => v / total) : null;
    }
    return null;
  }

  /** The weights on S (and the multiplier of Σα = 1, last) of the QP restricted to S. */
  function kkt(x: ArrayLike<number>, S: readonly number[]): Float64Array {
    const n = S.length + 1;
    const K = mat(n, n);
    const rhs = new Float64Array(n);
    S.forEach((i, p) => {
      S.forEach((j, q) => { K.data[p * n + q] = ell * dot(B[i], B[j]); });
      K.data[p * n + n - 1] = K.data[(n - 1) * n + p] = 1;
      rhs[p] = ell * dot(B[i], x) - c[i];
    });
    rhs[n - 1] = 1;
    const { values, vectors } = symEig(K);
    const big = Math.max(...Array.from(values, Math.abs));
    const sol = new Float64Array(n);
    values.forEach((lam, k) => {
      if (Math.abs(lam) <= 1e-12 * big) return;
      let proj = 0;
      for (let r = 0; r < n; r++) proj += vectors.data[r * n + k] * rhs[r];
      for (let r = 0; r < n; r++) sol[r] += (vectors.data[r * n + k] * proj) / lam;
    });
    return sol;
  }
}

/**
 * Euclidean projection onto the probability simplex (sort and threshold), into
 * `out` when given; `sorted` is scratch of v's length (the hot loop above passes
 * both, to allocate nothing). The values are walked from the largest down.
 */
export function projectSimplex(v: ArrayLike<number>, out: Float64Array = new Float64Array(v.length), sorted: Float64Array = new Float64Array(v.length)): Float64Array {
  const n = v.length;
  for (let k = 0; k < n; k++) sorted[k] = v[k];
  sorted.sort(); // ascending, numerically
  let css = 0, theta = 0;
  for (let k = 0; k < n; k++) {
    const u = sorted[n - 1 - k];
    css += u;
    const t = (css - 1) / (k + 1);
    if (u - t > 0) theta = t;
  }
  for (let k = 0; k < n; k++) out[k] = Math.max(0, v[k] - theta);
  return out;
}
