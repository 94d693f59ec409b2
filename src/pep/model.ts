/**
 * The performance estimation problem of a fixed-step linear method
 * (Drori–Teboulle 2014; Taylor–Hendrickx–Glineur 2017): the worst case of a
 * measure after N steps, over every function of a class and every start with
 * the initial condition, is the largest value of a small semidefinite program.
 *
 * Unknowns: the Gram matrix G of the basis (x0 − x*, then one (sub)gradient per
 * point where the method calls the oracle) and the function values f_i − f*.
 * We put x* = 0, g* = 0, f* = 0. Every point and gradient is a fixed
 * combination of the basis (linear.ts), so every inner product is linear in G.
 * The class enters through its interpolation conditions: inequalities between
 * every ordered pair of points that hold for some function of the class
 * exactly when they hold for the triples (x_i, g_i, f_i); so the program's
 * value is the exact worst case, not just an upper bound, for those classes.
 */
import { UsageError } from '../language/usage.ts';
import type { LinearForm } from '../methods/linear.ts';

export const PEP_CLASSES = {
  'smooth-convex': 'convex and L-smooth (Taylor–Hendrickx–Glineur 2017, Thm 4 with μ = 0)',
  'smooth-strongly-convex': 'μ-strongly convex and L-smooth, 0 ≤ μ < L (Taylor–Hendrickx–Glineur 2017, Thm 4)',
  smooth: 'L-smooth, possibly nonconvex, with minimum f* (Taylor–Hendrickx–Glineur 2017, Thm 3.10, plus f_i − f* ≥ ‖g_i‖²/(2L)); conditions that are necessary, not known sufficient: τ is an upper bound on the worst case',
  'lipschitz-convex': 'convex and M-Lipschitz: subgradients of norm at most M (Taylor–Hendrickx–Glineur 2017, Thm 1 with bounded subgradients)',
  convex: 'closed, proper and convex, reached only through its proximal map (the proximal point method; Taylor–Hendrickx–Glineur 2017, Thm 1)',
} as const;
export type PepClass = keyof typeof PEP_CLASSES;

/**
 * Classes whose conditions are interpolation conditions (necessary and
 * sufficient), so that τ is the worst case itself and a τ above a bound is a
 * counterexample. For the others τ is only an upper bound on the worst case.
 */
export const EXACT_CLASSES: ReadonlySet<PepClass> = new Set(['smooth-convex', 'smooth-strongly-convex', 'lipschitz-convex', 'convex']);

/**
 * The classes f may have in a composite problem f + h, where h is closed
 * convex and reached through prox (src/methods/linear.ts): each function has
 * its own interpolation conditions, so the pair is exact when f's are
 * (Taylor–Hendrickx–Glineur 2017, composite convex optimization, §2).
 */
export const COMPOSITE_CLASSES: ReadonlySet<PepClass> = new Set(['smooth-convex', 'smooth-strongly-convex']);

export const PEP_MEASURES = {
  'f-gap': 'f(x_N) − f*',
  'grad-norm2': '‖∇f(x_N)‖²',
  dist2: '‖x_N − x*‖²',
  'min-grad-norm2': 'min over k = 0…N of ‖∇f(x_k)‖²',
  'min-f-gap': 'min over k = 0…N of f(x_k) − f*',
} as const;
export type PepMeasure = keyof typeof PEP_MEASURES;

export const PEP_INITS = { dist2: '‖x_0 − x*‖² ≤ R²', 'f-gap': 'f(x_0) − f* ≤ Delta0' } as const;
export type PepInit = keyof typeof PEP_INITS;

export interface PepConstants { L?: number; mu?: number; M?: number }

export interface PepSpec {
  form: LinearForm;
  cls: PepClass;
  constants: PepConstants;
  measure: PepMeasure;
  /** One or more initial conditions with their right-hand sides (R², Delta0). */
  init: { kind: PepInit; value: number }[];
  /**
   * Add margin·(trace G + Σ f_i) to the measure: the multipliers of that
   * problem, used for the measure itself, leave a PSD matrix ⪰ margin·I and
   * f-slacks ≥ margin, room enough to round them to rationals (proof.ts). Their
   * bound is above τ by about margin·(trace G + Σ f).
   */
  margin?: number;
  /**
   * Keep ∇f(x*) = g* as an unknown of its own in a composite problem even where the
   * method lets it be fixed at 0 (below): the proofs are written with it.
   */
  keepGstar?: boolean;
}

/** A scalar affine in the unknowns: Σ G[a][b]·q(a,b) + Σ f_p·l(p) + t·tCoef + constant. */
export interface Affine {
  /** key a*n + b with a ≤ b: the coefficient of the variable G_ab (which stands for both G_ab and G_ba). */
  G: Map<number, number>;
  f: Map<number, number>;
  t: number;
  constant: number;
}

/**
 * A point of the problem: its position and gradient over the basis, and its
 * function value's index (−1: the optimum, value 0). In a composite problem
 * `fn` says whose point it is: f's (gradients) or h's (subgradients from prox).
 */
export interface PepPoint { x: number[]; g: number[]; f: number; label: string; fn?: 'f' | 'h' }

export interface PepConstraint { expr: Affine; label: string; kind: 'interpolation' | 'init' | 'measure' | 'bound' }

export interface PepModel {
  spec: PepSpec;
  /** Basis names: x0, g0, g1, … */
  basis: string[];
  /** points[0] is the optimum. */
  points: PepPoint[];
  /** Number of function-value unknowns. */
  nf: number;
  /** Whether the measure is a minimum (an extra unknown t ≤ each term). */
  hasT: boolean;
  objective: Affine;
  /** The last iterate x_N over the basis, and its index in points (−1 when no gradient is taken there). */
  last: number[];
  lastPoint: number;
  /** Each must be ≤ 0. */
  constraints: PepConstraint[];
}

const zero = (): Affine => ({ G: new Map(), f: new Map(), t: 0, constant: 0 });
function addTo(acc: Affine, e: Affine, s = 1): Affine {
  for (const [k, v] of e.G) acc.G.set(k, (acc.G.get(k) ?? 0) + s * v);
  for (const [k, v] of e.f) acc.f.set(k, (acc.f.get(k) ?? 0) + s * v);
  acc.t += s * e.t;
  acc.constant += s * e.constant;
  return acc;
}
const sum = (...terms: [number, Affine][]): Affine => terms.reduce((acc, [s, e]) => addTo(acc, e, s), zero());

/** Build the model: basis, points (merging oracle calls at the same point), objective and constraints. */
export function buildPep(spec: PepSpec): PepModel {
  const { form } = spec;
  const m = form.oracles.length;
  // Gradient columns: oracle i's gradient is basis column 1 + i, unless an
  // earlier oracle was called at the same point (then it is that one's).
  const column = Array.from({ length: m + 1 }, (_, j) => j);
  const remap = (c: number[]): number[] => {
    const out = new Array(c.length).fill(0);
    c.forEach((v, j) => { out[column[j]] += v; });
    return out;
  };
  const points: { x: number[]; col: number }[] = [];
  // prox outputs: points of h, each with its own subgradient column (never merged)
  const proxPoints: { x: number[]; col: number }[] = [];
  const same = (a: number[], b: number[]) => a.every((v, j) => Math.abs(v - b[j]) <= 1e-13 * Math.max(1, Math.abs(v), Math.abs(b[j])));
  form.oracles.forEach((o, i) => {
    const x = remap(o.point);
    if (o.kind === 'prox') { proxPoints.push({ x, col: 1 + i }); return; }
    const hit = points.find((p) => same(p.x, x));
    if (hit) column[1 + i] = hit.col;
    else points.push({ x, col: 1 + i });
  });
  const composite = proxPoints.length > 0;
  // Without a gradient call the method sees only h (the proximal point method): the objective is h alone.
  const hasF = points.length > 0 || !composite;
  if (spec.cls === 'convex' && points.length > 0) throw new UsageError('pep: the class convex is reached only through prox(...); a method that takes gradients needs a class with them (smooth-convex, lipschitz-convex, …)');
  if (spec.cls === 'convex' && !composite) throw new UsageError('pep: the class convex is for methods that reach the function through prox(...) only; for subgradients take lipschitz-convex');
  if (composite && hasF && !COMPOSITE_CLASSES.has(spec.cls)) throw new UsageError(`pep: a composite f + h (a method with prox) takes f in ${[...COMPOSITE_CLASSES].join(' or ')}, not ${spec.cls}`);
  if (composite && spec.measure !== 'f-gap' && spec.measure !== 'dist2') throw new UsageError(`pep: a composite problem (a method with prox) measures f-gap (F(x_N) − F*, F = f + h) or dist2, not ${spec.measure}`);
  if (composite && spec.init.some((i) => i.kind !== 'dist2')) throw new UsageError('pep: a composite problem (a method with prox) takes the initial condition dist2 (‖x_0 − x*‖² ≤ R²)');
  const iterates = form.iterates.map(remap);
  // The columns in use, renumbered densely; extra points (an iterate where no oracle was called) get new columns.
  const used = [...new Set([0, ...points.map((p) => p.col), ...proxPoints.map((p) => p.col)])].sort((a, b) => a - b);
  const extra: number[][] = [];
  const needsGradient = (x: number[]) => {
    if (points.some((p) => same(p.x, x)) || extra.some((e) => same(e, x))) return;
    extra.push(x);
  };
  const wanted: number[][] = [];
  if (spec.measure.startsWith('min-')) wanted.push(...iterates);
  else wanted.push(iterates[iterates.length - 1]);
  if (spec.init.some((i) => i.kind === 'f-gap')) wanted.push(iterates[0]);
  if (hasF) for (const x of wanted) needsGradient(x);
  // h's value at x_N (F = f + h) needs a subgradient there when x_N is not a prox output
  const extraH: number[][] = [];
  const xNraw = iterates[iterates.length - 1];
  if (composite && spec.measure === 'f-gap' && !proxPoints.some((p) => same(p.x, xNraw))) extraH.push(xNraw);
  // ∇f(x*) = g*, and −g* ∈ ∂h(x*): one more column when both functions are there. Replacing f by
  // f − ⟨g*, ·⟩ and h by h + ⟨g*, ·⟩ keeps both classes and F, and moves every gradient of f by −g* and
  // every subgradient of h by +g*. When each point of the method has as much weight on f's gradients
  // as on h's subgradients (x⁺ = v − γ(g + s): proximal gradient, FISTA), no point moves, so the worst
  // case is the same with g* = 0. Fixing it then also removes a direction along which the Gram matrix
  // is unbounded at equal measure, which made csdp slow and inaccurate (N = 35: minutes, N = 50: failure).
  const balanced = (c: number[]) => {
    let w = 0;
    c.forEach((v, j) => { if (j > 0 && v !== 0) w += form.oracles[j - 1].kind === 'prox' ? -v : v; });
    return Math.abs(w) <= 1e-12 * Math.max(1, ...c.map(Math.abs));
  };
  const gauge = composite && hasF && [...points, ...proxPoints].every((p) => balanced(p.x)) && iterates.every(balanced);
  const gaugeFixed = gauge && !spec.keepGstar;
  const gsCol = composite && hasF && !gaugeFixed ? used.length + extra.length + extraH.length : -1;
  const n = used.length + extra.length + extraH.length + (gsCol >= 0 ? 1 : 0);
  const squeeze = (c: number[]): number[] => {
    const out = new Array(n).fill(0);
    c.forEach((v, j) => { if (v !== 0) out[used.indexOf(j)] += v; });
    return out;
  };
  const unit = (a: number, s = 1) => Array.from({ length: n }, (_, j) => (j === a ? s : 0));
  const zeros = () => new Array(n).fill(0);
  const all: PepPoint[] = [];
  if (hasF) {
    all.push({ x: zeros(), g: gsCol >= 0 ? unit(gsCol) : zeros(), f: -1, label: 'x*', ...(composite ? { fn: 'f' as const } : {}) });
    points.forEach((p, i) => all.push({ x: squeeze(p.x), g: unit(used.indexOf(p.col)), f: i, label: `y${i}`, ...(composite ? { fn: 'f' as const } : {}) }));
    extra.forEach((x, i) => all.push({ x: squeeze(x), g: unit(used.length + i), f: points.length + i, label: `z${i}`, ...(composite ? { fn: 'f' as const } : {}) }));
  }
  const nfF = hasF ? points.length + extra.length : 0;
  if (composite) {
    all.push({ x: zeros(), g: gsCol >= 0 ? unit(gsCol, -1) : zeros(), f: -1, label: hasF ? 'xh*' : 'x*', fn: 'h' });
    proxPoints.forEach((p, i) => all.push({ x: squeeze(p.x), g: unit(used.indexOf(p.col)), f: nfF + i, label: `p${i}`, fn: 'h' }));
    extraH.forEach((x, i) => all.push({ x: squeeze(x), g: unit(used.length + extra.length + i), f: nfF + proxPoints.length + i, label: `q${i}`, fn: 'h' }));
  }
  const basis = [
    ...used.map((c) => (c === 0 ? 'x0' : `${form.oracles[c - 1].kind === 'prox' ? 's' : 'g'}${c - 1}`)),
    ...extra.map((_, i) => `gz${i}`), ...extraH.map((_, i) => `sq${i}`), ...(gsCol >= 0 ? ['g*'] : []),
  ];
  const nf = nfF + (composite ? proxPoints.length + extraH.length : 0);

  const inner = (u: number[], v: number[]): Affine => {
    const e = zero();
    for (let a = 0; a < n; a++) {
      if (u[a] === 0) continue;
      for (let b = 0; b < n; b++) {
        if (v[b] === 0) continue;
        const key = Math.min(a, b) * n + Math.max(a, b);
        e.G.set(key, (e.G.get(key) ?? 0) + u[a] * v[b]);
      }
    }
    return e;
  };
  // In a composite problem neither f nor h is smallest at x*: the unknown is then the
  // Bregman gap φ(x_p) − φ(x*) − ⟨g*_φ, x_p − x*⟩ ≥ 0 (φ convex), so values stay ≥ 0 in the SDP.
  const optimum = (fn: 'f' | 'h') => all.find((p) => p.f === -1 && (p.fn ?? 'f') === fn)!;
  const fval = (p: PepPoint): Affine => {
    const e = zero();
    if (p.f >= 0) e.f.set(p.f, 1);
    return composite && p.f >= 0 ? addTo(e, inner(optimum(p.fn!).g, p.x)) : e;
  };
  const constant = (c: number): Affine => ({ ...zero(), constant: c });
  const diff = (u: number[], v: number[]) => u.map((x, j) => x - v[j]);
  const pointAt = (x: number[], fn: 'f' | 'h' = hasF ? 'f' : 'h') => all.find((p) => (p.fn ?? 'f') === fn && same(p.x, squeeze(x)))!;

  const { L = NaN, mu = 0, M = NaN } = spec.constants;
  const constraints: PepConstraint[] = [];
  for (const pi of all) {
    for (const pj of all) {
      if (pi === pj || (pi.fn ?? 'f') !== (pj.fn ?? 'f')) continue;
      const dx = diff(pi.x, pj.x), dg = diff(pi.g, pj.g);
      const cls: PepClass = pi.fn === 'h' ? 'convex' : spec.cls;
      const label = `${cls} between ${pi.label} and ${pj.label}`;
      let e: Affine;
      switch (cls) {
        case 'smooth-convex':
        case 'smooth-strongly-convex': {
          // f_i ≥ f_j + ⟨g_j, x_i − x_j⟩ + 1/(2(1 − μ/L)) (‖g_i − g_j‖²/L + μ‖x_i − x_j‖² − 2μ/L ⟨g_i − g_j, x_i − x_j⟩)
          const c = 1 / (2 * (1 - mu / L));
          e = sum([1, fval(pj)], [-1, fval(pi)], [1, inner(pj.g, dx)], [c / L, inner(dg, dg)], [c * mu, inner(dx, dx)], [-2 * c * mu / L, inner(dg, dx)]);
          break;
        }
        case 'smooth':
          // f_i ≥ f_j − L/4 ‖x_i − x_j‖² + ½⟨g_i + g_j, x_i − x_j⟩ + ‖g_i − g_j‖²/(4L)
          e = sum([1, fval(pj)], [-1, fval(pi)], [-L / 4, inner(dx, dx)], [0.5, inner(pi.g, dx)], [0.5, inner(pj.g, dx)], [1 / (4 * L), inner(dg, dg)]);
          break;
        case 'lipschitz-convex':
        case 'convex':
          e = sum([1, fval(pj)], [-1, fval(pi)], [1, inner(pj.g, dx)]);
          break;
      }
      constraints.push({ expr: e, label, kind: 'interpolation' });
    }
  }
  for (const p of all) {
    if (p.f === -1 || p.fn === 'h') continue;
    if (spec.cls === 'lipschitz-convex') constraints.push({ expr: sum([1, inner(p.g, p.g)], [-1, constant(M * M)]), label: `‖g at ${p.label}‖ ≤ M`, kind: 'interpolation' });
    // f* is the minimum, which nonconvex interpolation alone does not say: one step of length 1/L from
    // x_i goes down by at least ‖g_i‖²/(2L) and cannot go below f*, so f_i − f* ≥ ‖g_i‖²/(2L).
    if (spec.cls === 'smooth') constraints.push({ expr: sum([-1, fval(p)], [1 / (2 * L), inner(p.g, p.g)]), label: `f at ${p.label} ≥ f* + ‖g‖²/(2L)`, kind: 'interpolation' });
  }
  const x0 = spec.init.some((i) => i.kind === 'f-gap') ? pointAt(iterates[0]) : null;
  for (const init of spec.init) {
    const e = init.kind === 'dist2' ? inner(squeeze(iterates[0]), squeeze(iterates[0])) : fval(x0!);
    constraints.push({ expr: sum([1, e], [-1, constant(init.value)]), label: `initial condition ${PEP_INITS[init.kind]}`, kind: 'init' });
  }
  const xN = squeeze(xNraw);
  let objective: Affine;
  let hasT = false;
  switch (spec.measure) {
    case 'f-gap':
      // composite: F(x_N) − F* = (f(x_N) − f(x*)) + (h(x_N) − h(x*))
      objective = composite && hasF ? sum([1, fval(pointAt(xNraw, 'f'))], [1, fval(pointAt(xNraw, 'h'))]) : fval(pointAt(xNraw));
      break;
    case 'grad-norm2': { const g = pointAt(iterates[iterates.length - 1]).g; objective = inner(g, g); break; }
    case 'dist2': objective = inner(xN, xN); break;
    case 'min-grad-norm2': {
      hasT = true;
      objective = { ...zero(), t: 1 };
      iterates.forEach((it, k) => {
        const g = pointAt(it).g;
        constraints.push({ expr: sum([1, { ...zero(), t: 1 }], [-1, inner(g, g)]), label: `t ≤ ‖∇f(x_${k})‖²`, kind: 'measure' });
      });
      break;
    }
    case 'min-f-gap': {
      hasT = true;
      objective = { ...zero(), t: 1 };
      iterates.forEach((it, k) => {
        constraints.push({ expr: sum([1, { ...zero(), t: 1 }], [-1, fval(pointAt(it))]), label: `t ≤ f(x_${k}) − f*`, kind: 'measure' });
      });
      break;
    }
  }
  if (spec.margin) {
    // With g* kept where the shift above is a symmetry (the proofs' problem), G is unbounded along
    // its direction d and every certificate's S has d in its kernel: the margin goes on the complement of d.
    const d = gsCol >= 0 && gauge ? basis.map((b): number => (b === 'x0' ? 0 : b.startsWith('s') ? -1 : 1)) : null;
    const dd = d ? d.reduce((acc, v) => acc + v * v, 0) : 1;
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        const m = (a === b ? 1 : 0) - (d ? (d[a] * d[b]) / dd : 0);
        if (m !== 0) objective.G.set(a * n + b, (objective.G.get(a * n + b) ?? 0) + spec.margin * (a === b ? m : 2 * m));
      }
    }
    for (let p = 0; p < nf; p++) objective.f.set(p, (objective.f.get(p) ?? 0) + spec.margin);
  }
  const lastPoint = all.findIndex((p) => p.f >= 0 && same(p.x, xN));
  return { spec, basis, points: all, nf, hasT, objective, last: xN, lastPoint, constraints };
}
