/**
 * Interpolation certificates: a step that speaks of a declared function at
 * finitely many points (its values, gradients, their inner products and
 * squared norms) is a small performance-estimation problem. At given values
 * of the scalars, both sides are linear in the unknowns: the function values
 * and the Gram matrix G of the vectors involved (the declared vectors, the
 * minimisers, one gradient per point). The class enters as inequalities
 * between the points (Taylor–Hendrickx–Glineur 2017); the step holds for every
 * function of the class when the largest violation over G ⪰ 0 and those
 * inequalities is ≤ 0.
 *
 * Certified: the dual multipliers λ ≥ 0 of csdp, recovered as rationals, make
 *   violation + Σ λ_r c_r = −⟨S, G⟩ + s₀  identically, with S ⪰ 0, s₀ ≤ 0,
 * verified in exact rational arithmetic (S by an exact LDLᵀ). That proves the
 * step for every function whose values satisfy the c_r, a superset of the
 * class: sound even where the conditions are only necessary (L-smooth without
 * convexity, PL, Lipschitz).
 *
 * Refuted: only for classes whose conditions are also sufficient (convex or
 * strongly convex and L-smooth). The worst case is solved again with every
 * condition required to hold with a margin; the Gram matrix is factored into
 * points, and every condition and the violation are checked exactly at those
 * (binary-fraction) points: they are the data of a function of the class
 * (the interpolation theorem) on which the step fails; explicit-function.ts
 * builds that function.
 *
 * Substitution is faithful: defines are expanded, and the step is taken into
 * the problem only when every vector is exactly a linear combination of the
 * declared vectors, minimisers and gradients, every scalar a number at the
 * sample, and every side linear in values and inner products. Anything else
 * (a norm to the first power, a sequence, a matrix) returns null: the step is
 * left to sampling.
 */
import type { MathNode } from 'mathjs';
import { math } from '../language/mathjs.ts';
import type { ProofFile, Rel } from './parse.ts';
import { expand } from './symbolic.ts';
import { sumOf } from './evaluate.ts';
import { proximalOf } from './sample.ts';
import { q, qAdd, qMul, type Q } from '../numeric/rational.ts';
import { exactRational } from '../pep/proof.ts';
import { solveSdpSync } from '../pep/solver.ts';
import type { Sdp, SdpEntry } from '../pep/sdp.ts';
import { mat, symEig } from '../numeric/linalg.ts';
import type { PepClass } from '../pep/model.ts';
import type { ClassConstants } from '../pep/interpolant.ts';

const ZERO = q(0n), ONE = q(1n);
/** a is in lowest terms with a positive denominator (every Q here comes from q), and so is −a: no gcd needed */
const neg = (a: Q): Q => ({ n: -a.n, d: a.d });
const sub = (a: Q, b: Q): Q => qAdd(a, neg(b));
const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
const isZero = (a: Q) => a.n === 0n;
const toNumber = (a: Q) => Number(a.n) / Number(a.d);
const keyOf = (a: Q) => `${a.n}/${a.d}`;

/** A vector: a combination of atoms (declared vectors `v:w`, minimisers `x*:f`, gradients `g:f@point`). */
type Vector = Map<string, Q>;
/** A scalar: constant + Σ coefficient·value + Σ coefficient·⟨atom, atom⟩ + Σ coefficient·‖vector‖ (norms to the first power, by the vector's key). */
interface Scalar { c: Q; f: Map<string, Q>; G: Map<string, Q>; n?: Map<string, Q> }
type Lin = { kind: 's'; s: Scalar } | { kind: 'v'; v: Vector };

class Outside extends Error {}
const outside = (why: string): never => { throw new Outside(why); };

const nameOf = (n: MathNode) => (n as unknown as { name: string }).name;
const argsOf = (n: MathNode) => (n as unknown as { args: MathNode[] }).args;
const callee = (n: MathNode) => nameOf((n as unknown as { fn: MathNode }).fn);

function addInto<K>(acc: Map<K, Q>, m: Map<K, Q>, s: Q) {
  for (const [k, v] of m) {
    const w = qAdd(acc.get(k) ?? ZERO, qMul(s, v));
    if (isZero(w)) acc.delete(k); else acc.set(k, w);
  }
}
const scalar = (c: Q): Scalar => ({ c, f: new Map(), G: new Map() });
const isConstant = (s: Scalar) => s.f.size === 0 && s.G.size === 0 && !s.n?.size;
function combine(a: Scalar, b: Scalar, sb: Q): Scalar {
  const out: Scalar = { c: qAdd(a.c, qMul(sb, b.c)), f: new Map(a.f), G: new Map(a.G) };
  addInto(out.f, b.f, sb);
  addInto(out.G, b.G, sb);
  if (a.n?.size || b.n?.size) {
    out.n = new Map(a.n ?? []);
    addInto(out.n, b.n ?? new Map(), sb);
  }
  return out;
}
function scaleScalar(a: Scalar, s: Q): Scalar { return combine(scalar(ZERO), a, s); }
function scaleVector(a: Vector, s: Q): Vector { const out = new Map<string, Q>(); addInto(out, a, s); return out; }
const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
function inner(u: Vector, v: Vector): Scalar {
  const out = scalar(ZERO);
  for (const [a, x] of u) for (const [b, y] of v) addInto(out.G, new Map([[pairKey(a, b), qMul(x, y)]]), ONE);
  return out;
}
const vectorKey = (v: Vector) => [...v.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, c]) => `${keyOf(c)}*${k}`).join('+') || '0';

/** A decimal literal as the exact rational it spells (0.1 is 1/10, not the double nearest it). */
function literal(value: unknown): Q {
  const text = String(value);
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return exactRational(Number(value));
  const digits = BigInt(`${m[2] || '0'}${m[3] ?? ''}`);
  const exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  const v = exp >= 0 ? q(digits * 10n ** BigInt(exp)) : q(digits, 10n ** BigInt(-exp));
  return m[1] ? neg(v) : v;
}

/** A point of a function; `g` when its (sub)gradient is not a fresh atom: a prox step's s, or −∇f(x*) for h at the minimiser of f + h. */
export interface PointInfo { fn: string; key: string; x: Vector; label: string; g?: Vector }

/** Translation of one step at one assignment of the scalars. */
/** Functions of the parameters evaluated as float64 numbers (mathjs's, with the format's meaning). */
const NUMERIC_FUNCTIONS = new Set(['exp', 'log', 'sqrt', 'cbrt', 'abs', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'pow', 'square', 'cube', 'expm1', 'log1p', 'log2', 'log10', 'min', 'max', 'hypot', 'atan', 'asin', 'acos']);

/** Sequence terms unrolled into a problem at most (each gradient step adds a point). */
const MAX_TERM = 8;

class Linearizer {
  readonly points = new Map<string, PointInfo>();
  readonly minimisers = new Set<string>();
  /** whether a scalar was a float64 value (exp, sqrt, log of the parameters), not exact */
  inexact = false;
  /** whether a dimension symbol stands in the step as a number (a counterexample must then keep that dimension) */
  usesDims = false;
  /** the vectors whose norms stand to the first power, by key */
  readonly norms = new Map<string, Vector>();
  private readonly terms = new Map<string, Vector>();

  /** the subgradient atom of each prox step, by function, step and input */
  private readonly proxAtoms = new Map<string, string>();
  private readonly proximal: Map<string, string | undefined>;

  constructor(private readonly pf: ProofFile, private readonly values: Record<string, Q>, private readonly floats: Record<string, number>) {
    this.proximal = proximalOf(pf);
  }

  /**
   * prox(h, γ, v) = x⁺ with x⁺ = v − γs and s a subgradient of h at x⁺: a new
   * atom s, and a point of h at v − γs whose subgradient is s.
   */
  private prox(fn: string, gamma: Q, v: Vector): Vector {
    if (gamma.n <= 0n) return outside('a prox step that is not > 0');
    const id = `${fn}|${keyOf(gamma)}|${vectorKey(v)}`;
    let atom = this.proxAtoms.get(id);
    if (!atom) { atom = `s:${fn}#${this.proxAtoms.size}`; this.proxAtoms.set(id, atom); }
    const x = new Map(v);
    addInto(x, new Map([[atom, ONE]]), neg(gamma));
    const key = vectorKey(x);
    const full = `${fn}@${key}`;
    if (!this.points.has(full)) this.points.set(full, { fn, key, x, label: `p${this.points.size}`, g: new Map([[atom, ONE]]) });
    return x;
  }

  /** The minimiser of f + h (h the proximal term): a point of f, and of h with subgradient −∇f there. */
  private sumMinimiser(a: string, b: string): { x: Vector; key: string; f: string; h: string } {
    if (!this.isFunction(a) || !this.isFunction(b)) return outside(`the sum ${a} + ${b}`);
    const [h, f] = this.proximal.get(a) === b ? [a, b] : this.proximal.get(b) === a ? [b, a] : [null, null];
    if (!h || !f) return outside(`the minimiser of ${a} + ${b}`);
    const x: Vector = new Map([[`x*:${f}+${h}`, ONE]]);
    const key = this.pointOf(f, x);
    const full = `${h}@${key}`;
    if (!this.points.has(full)) this.points.set(full, { fn: h, key, x, label: `p${this.points.size}`, g: new Map([[`g:${f}@${key}`, neg(ONE)]]) });
    return { x, key, f, h };
  }

  private pointOf(fn: string, x: Vector): string {
    if (x.size === 1 && x.get(`x*:${fn}`) && x.get(`x*:${fn}`)!.n === 1n && x.get(`x*:${fn}`)!.d === 1n) { this.minimisers.add(fn); return '*'; }
    const key = vectorKey(x);
    const full = `${fn}@${key}`;
    if (!this.points.has(full)) this.points.set(full, { fn, key, x, label: `p${this.points.size}` });
    return key;
  }

  private isFunction(name: string) { return this.pf.names.functions.includes(name); }

  /** A term of a vector sequence, by its recurrence down to the base cases (every step must be linear). */
  private term(name: string, index: MathNode): Vector {
    const k = this.constantOf(index);
    if (k.d !== 1n || k.n < 0n || k.n > MAX_TERM) return outside(`${name}(${toNumber(k)}): only terms up to ${MAX_TERM} are unrolled`);
    return this.termAt(name, Number(k.n));
  }

  private termAt(name: string, n: number): Vector {
    const memo = this.terms.get(`${name}(${n})`);
    if (memo) return memo;
    const def = this.pf.define.find((d) => d.name === name);
    if (!def || def.kind !== 'sequence') return outside(`the sequence ${name}`);
    const base = def.bases.find((b) => b.index === n);
    let v: Vector;
    if (base) v = this.v(expand(base.expr.node, this.pf));
    else {
      const step = def.step;
      const m = n - (step?.offset ?? 0);
      if (!step || m < 0) return outside(`${name}(${n}) is not defined`);
      const saved = [this.values[step.variable], this.floats[step.variable]] as const;
      this.values[step.variable] = q(BigInt(m));
      this.floats[step.variable] = m;
      try {
        v = this.v(expand(step.expr.node, this.pf));
      } finally {
        if (saved[0] === undefined) { delete this.values[step.variable]; delete this.floats[step.variable]; } else { this.values[step.variable] = saved[0]; this.floats[step.variable] = saved[1]; }
      }
    }
    this.terms.set(`${name}(${n})`, v);
    return v;
  }

  lin(n: MathNode): Lin {
    switch (n.type) {
      case 'ParenthesisNode': return this.lin((n as unknown as { content: MathNode }).content);
      case 'ConstantNode': {
        const v = (n as unknown as { value: unknown }).value;
        if (typeof v !== 'number' && typeof v !== 'string') outside('a constant that is not a number');
        return { kind: 's', s: scalar(literal(v)) };
      }
      case 'SymbolNode': {
        const name = nameOf(n);
        if (this.pf.names.vectors.includes(name)) return { kind: 'v', v: new Map([[`v:${name}`, ONE]]) };
        if (name in this.values) {
          if ((this.pf.names.dims as readonly string[]).includes(name)) this.usesDims = true;
          return { kind: 's', s: scalar(this.values[name]) };
        }
        return outside(`the name ${name}`);
      }
      case 'OperatorNode': return this.operator(n);
      case 'FunctionNode': return this.call(n);
      default: return outside(`a ${n.type}`);
    }
  }

  private s(n: MathNode): Scalar { const l = this.lin(n); if (l.kind !== 's') outside('a vector where a number is needed'); return (l as { s: Scalar }).s; }
  private v(n: MathNode): Vector { const l = this.lin(n); if (l.kind !== 'v') outside('a number where a vector is needed'); return (l as { v: Vector }).v; }

  /** A sub-expression of scalars only, as a number: exact when it is rational arithmetic, else its float64 value. */
  private readonly numbering = new Set<MathNode>();
  private constantOf(n: MathNode): Q {
    if (!this.numbering.has(n)) {
      this.numbering.add(n);
      try {
        const s = this.s(n);
        if (isConstant(s)) return s.c;
      } catch (e) {
        if (!(e instanceof Outside)) throw e;
      } finally {
        this.numbering.delete(n);
      }
    }
    let onlyScalars = true;
    n.traverse((m, path, parent) => {
      if (m.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn') && !(nameOf(m) in this.floats)) onlyScalars = false;
      if (m.type === 'FunctionNode' && !NUMERIC_FUNCTIONS.has(callee(m))) onlyScalars = false;
    });
    if (!onlyScalars) return outside('a non-linear function of the values');
    const v = math.evaluate(n.toString(), { ...this.floats });
    if (typeof v !== 'number' || !Number.isFinite(v)) return outside('a scalar that is not a finite number');
    this.inexact = true;
    return exactRational(v);
  }

  private operator(n: MathNode): Lin {
    const { fn, args } = n as unknown as { fn: string; args: MathNode[] };
    if (fn === 'unaryMinus') { const a = this.lin(args[0]); return a.kind === 's' ? { kind: 's', s: scaleScalar(a.s, neg(ONE)) } : { kind: 'v', v: scaleVector(a.v, neg(ONE)) }; }
    if (fn === 'unaryPlus') return this.lin(args[0]);
    if (fn === 'add' || fn === 'subtract') {
      const a = this.lin(args[0]), b = this.lin(args[1]);
      const sign = fn === 'add' ? ONE : neg(ONE);
      if (a.kind === 's' && b.kind === 's') return { kind: 's', s: combine(a.s, b.s, sign) };
      if (a.kind === 'v' && b.kind === 'v') { const v = new Map(a.v); addInto(v, b.v, sign); return { kind: 'v', v }; }
      return outside('a sum of a number and a vector');
    }
    if (fn === 'multiply') {
      const a = this.lin(args[0]), b = this.lin(args[1]);
      if (a.kind === 'v' && b.kind === 'v') return outside('a product of two vectors');
      const [k, other] = a.kind === 's' && isConstant(a.s) ? [a.s.c, b] : b.kind === 's' && isConstant(b.s) ? [b.s.c, a] : [null, null];
      if (k === null || other === null) return outside('a product of two non-constant factors');
      return other.kind === 's' ? { kind: 's', s: scaleScalar(other.s, k) } : { kind: 'v', v: scaleVector(other.v, k) };
    }
    if (fn === 'divide') {
      const a = this.lin(args[0]);
      const d = this.constantOf(args[1]);
      if (isZero(d)) return outside('a division by 0');
      return a.kind === 's' ? { kind: 's', s: scaleScalar(a.s, div(ONE, d)) } : { kind: 'v', v: scaleVector(a.v, div(ONE, d)) };
    }
    if (fn === 'pow') {
      const [base, exponent] = args;
      const inner0 = base.type === 'ParenthesisNode' ? (base as unknown as { content: MathNode }).content : base;
      const e = this.constantOf(exponent);
      if (inner0.type === 'FunctionNode' && callee(inner0) === 'norm' && e.n === 2n && e.d === 1n) {
        const v = this.v(argsOf(inner0)[0]);
        return { kind: 's', s: inner(v, v) };
      }
      const b = this.constantOf(base);
      if (e.d === 1n && e.n >= 0n && e.n <= 64n) {
        let r = ONE;
        for (let i = 0n; i < e.n; i++) r = qMul(r, b);
        return { kind: 's', s: scalar(r) };
      }
      if (e.d === 1n && e.n < 0n && e.n >= -64n && !isZero(b)) {
        let r = ONE;
        for (let i = 0n; i < -e.n; i++) r = qMul(r, b);
        return { kind: 's', s: scalar(div(ONE, r)) };
      }
      return { kind: 's', s: scalar(this.constantOf(n)) };
    }
    return { kind: 's', s: scalar(this.constantOf(n)) };
  }

  private call(n: MathNode): Lin {
    const name = callee(n), args = argsOf(n);
    if (this.isFunction(name) && args.length === 1) {
      const key = this.pointOf(name, this.v(args[0]));
      return { kind: 's', s: { c: ZERO, f: new Map([[`${name}@${key}`, ONE]]), G: new Map() } };
    }
    if (name === 'grad' && args.length === 2 && args[0].type === 'SymbolNode' && this.isFunction(nameOf(args[0]))) {
      const fn = nameOf(args[0]);
      const key = this.pointOf(fn, this.v(args[1]));
      return { kind: 'v', v: key === '*' ? new Map() : new Map([[`g:${fn}@${key}`, ONE]]) };
    }
    const sum = (name === 'fstar' || name === 'xstar') && args.length === 1 ? sumOf(args[0]) : null;
    if (sum) {
      const m = this.sumMinimiser(...sum);
      return name === 'xstar' ? { kind: 'v', v: m.x } : { kind: 's', s: { c: ZERO, f: new Map([[`${m.f}@${m.key}`, ONE], [`${m.h}@${m.key}`, ONE]]), G: new Map() } };
    }
    if (name === 'prox' && args.length === 3 && args[0].type === 'SymbolNode' && this.isFunction(nameOf(args[0]))) {
      return { kind: 'v', v: this.prox(nameOf(args[0]), this.constantOf(args[1]), this.v(args[2])) };
    }
    if ((name === 'fstar' || name === 'xstar') && args.length === 1 && args[0].type === 'SymbolNode' && this.isFunction(nameOf(args[0]))) {
      const fn = nameOf(args[0]);
      this.minimisers.add(fn);
      return name === 'xstar' ? { kind: 'v', v: new Map([[`x*:${fn}`, ONE]]) } : { kind: 's', s: { c: ZERO, f: new Map([[`${fn}@*`, ONE]]), G: new Map() } };
    }
    if (name === 'dot' && args.length === 2) return { kind: 's', s: inner(this.v(args[0]), this.v(args[1])) };
    if (name === 'norm' && args.length === 1) {
      const v = this.v(args[0]);
      const key = vectorKey(v);
      this.norms.set(key, v);
      return { kind: 's', s: { c: ZERO, f: new Map(), G: new Map(), n: new Map([[key, ONE]]) } };
    }
    if (this.pf.names.sequences.includes(name) && args.length === 1) return { kind: 'v', v: this.term(name, args[0]) };
    if (name === 'zeros') return { kind: 'v', v: new Map() };
    if (name === 'square' && args.length === 1 && args[0].type === 'FunctionNode' && callee(args[0]) === 'norm') {
      const v = this.v(argsOf(args[0])[0]);
      return { kind: 's', s: inner(v, v) };
    }
    return { kind: 's', s: scalar(this.constantOf(n)) };
  }
}

/** A declared function's classes, at the sample: which conditions hold between its points. */
interface ClassAt { convex: boolean; L?: Q; mu?: Q; pl?: Q; lipschitz?: Q; others: string[] }

function classesAt(pf: ProofFile, fn: string, values: Record<string, Q>): ClassAt | null {
  const g = pf.given.find((x) => x.kind === 'function' && x.name === fn);
  if (!g || g.kind !== 'function') return null;
  const out: ClassAt = { convex: false, others: [] };
  for (const c of g.classes) {
    const k = c.constant !== undefined ? values[c.constant] : undefined;
    if (c.constant !== undefined && k === undefined) return null;
    switch (c.className) {
      case 'convex': out.convex = true; break;
      case 'L-smooth': out.L = k; break;
      case 'mu-strongly-convex': out.mu = k; out.convex = true; break;
      case 'mu-PL': out.pl = k; break;
      case 'G-Lipschitz': out.lipschitz = k; break;
      default: out.others.push(c.text);
    }
  }
  return out;
}

/** Whether the class's conditions are interpolation conditions (necessary and sufficient): a worst case is then a function of the class. */
const interpolable = (c: ClassAt) => c.others.length === 0 && c.pl === undefined && c.lipschitz === undefined && c.convex && c.L !== undefined;

/**
 * The class as one that pep/interpolant.ts builds explicit functions of, with its constants;
 * null when it builds none (nonconvex, PL, or a mix it has no construction for).
 */
function constructiveClass(c: ClassAt): { cls: PepClass; constants: ClassConstants } | null {
  if (c.others.length || c.pl !== undefined || !c.convex) return null;
  if (c.L !== undefined && c.lipschitz === undefined) {
    return c.mu && c.mu.n > 0n ? { cls: 'smooth-strongly-convex', constants: { L: toNumber(c.L), mu: toNumber(c.mu) } } : { cls: 'smooth-convex', constants: { L: toNumber(c.L) } };
  }
  if (c.lipschitz !== undefined && c.L === undefined && !c.mu) return { cls: 'lipschitz-convex', constants: { M: toNumber(c.lipschitz) } };
  return null;
}

export function className(c: ClassAt): string {
  const parts: string[] = [];
  if (c.mu) parts.push(`${toNumber(c.mu)}-strongly convex`); else if (c.convex) parts.push('convex');
  if (c.L) parts.push(`${toNumber(c.L)}-smooth`);
  if (c.pl) parts.push(`${toNumber(c.pl)}-PL`);
  if (c.lipschitz) parts.push(`${toNumber(c.lipschitz)}-Lipschitz`);
  return parts.join(', ');
}

interface Condition { expr: Scalar; label: string }

interface Problem {
  atoms: string[];
  values: string[];
  conditions: Condition[];
  violation: Scalar;
  /** the two sides, for the counterexample's numbers, and the vectors of their norms */
  sides: [Scalar, Scalar];
  norms: Map<string, Vector>;
  exact: boolean;
  points: { fn: string; label: string; x: Vector; g: Vector; f: string }[];
  classes: Record<string, ClassAt>;
}

/** The interpolation conditions of every function at its points (c ≥ 0 each). */
function conditionsOf(fn: string, cls: ClassAt, pts: { x: Vector; g: Vector; f: string; label: string }[], star: { x: Vector; g: Vector; f: string; label: string } | null): Condition[] {
  const out: Condition[] = [];
  const value = (k: string): Scalar => ({ c: ZERO, f: new Map([[k, ONE]]), G: new Map() });
  const all = star ? [star, ...pts] : pts;
  const { L, mu } = cls;
  const half = q(1n, 2n);
  for (const i of all) {
    for (const j of all) {
      if (i === j) continue;
      const dx = new Map(i.x); addInto(dx, j.x, neg(ONE));
      const dg = new Map(i.g); addInto(dg, j.g, neg(ONE));
      // f_i − f_j − ⟨g_j, x_i − x_j⟩ − (curvature) ≥ 0
      let e = combine(combine(value(i.f), value(j.f), neg(ONE)), inner(j.g, dx), neg(ONE));
      if (cls.convex && L) {
        const m = mu ?? ZERO;
        if (!(toNumber(m) < toNumber(L))) return outside('μ = L');
        const c = div(ONE, qMul(q(2n), sub(ONE, div(m, L))));
        e = combine(e, inner(dg, dg), neg(div(c, L)));
        e = combine(e, inner(dx, dx), neg(qMul(c, m)));
        e = combine(e, inner(dg, dx), qMul(q(2n), div(qMul(c, m), L)));
      } else if (L) {
        // L-smooth, possibly nonconvex: f_i ≥ f_j + ½⟨g_i + g_j, x_i − x_j⟩ + ‖g_i − g_j‖²/(4L) − L/4‖x_i − x_j‖²
        e = combine(combine(value(i.f), value(j.f), neg(ONE)), inner(i.g, dx), neg(half));
        e = combine(e, inner(j.g, dx), neg(half));
        e = combine(e, inner(dg, dg), neg(div(ONE, qMul(q(4n), L))));
        e = combine(e, inner(dx, dx), div(L, q(4n)));
      } else if (cls.convex) {
        if (mu) e = combine(e, inner(dx, dx), neg(qMul(half, mu)));
      } else continue;
      out.push({ expr: e, label: `${fn} ${className(cls)} between ${i.label} and ${j.label}` });
    }
  }
  for (const p of pts) {
    if (star) {
      const gap = combine(value(p.f), value(star.f), neg(ONE));
      // the minimum value is the least one; with L-smoothness, a step of 1/L from x_i cannot go below it
      out.push({ expr: L ? combine(gap, inner(p.g, p.g), neg(div(ONE, qMul(q(2n), L)))) : gap, label: `${fn}(${p.label}) ≥ ${fn}*${L ? ' + ‖g‖²/(2L)' : ''}` });
      if (cls.pl) out.push({ expr: combine(scaleScalar(inner(p.g, p.g), half), gap, neg(cls.pl)), label: `${fn} ${toNumber(cls.pl)}-PL at ${p.label}` });
    }
    if (cls.lipschitz) out.push({ expr: combine(scalar(qMul(cls.lipschitz, cls.lipschitz)), inner(p.g, p.g), neg(ONE)), label: `‖∇${fn}(${p.label})‖ ≤ ${toNumber(cls.lipschitz)}` });
  }
  return out;
}

/** The problem of one step at one assignment, or why it is not one. */
export function problemOf(pf: ProofFile, lhs: MathNode, rel: Rel, rhs: MathNode, values: Record<string, Q>, floats: Record<string, number>): Problem | string {
  const lz = new Linearizer(pf, { ...values }, { ...floats });
  let l: Lin, r: Lin;
  try {
    l = lz.lin(expand(lhs, pf));
    r = lz.lin(expand(rhs, pf));
  } catch (e) {
    if (e instanceof Outside) return e.message;
    return `not read: ${(e as Error).message}`;
  }
  if (l.kind !== 's' || r.kind !== 's') return 'a relation between vectors';
  const atomsOf = (x: Scalar) => x.f.size + x.G.size + (x.n?.size ?? 0);
  if (atomsOf(l.s) + atomsOf(r.s) === 0) return 'no vector or function: a scalar step';
  let violation = rel === '<=' || rel === '<' ? combine(l.s, r.s, neg(ONE)) : combine(r.s, l.s, neg(ONE));
  // norms to the first power: left out where they only lower the violation (they are ≥ 0), or
  // α‖a‖ − β‖b‖ ≤ 0 squared into α²‖a‖² − β²‖b‖² ≤ 0 (both sides ≥ 0: the same statement)
  let relaxed = false;
  if (violation.n?.size) {
    const terms = [...violation.n];
    const up = terms.filter(([, c]) => c.n > 0n), down = terms.filter(([, c]) => c.n < 0n);
    if (up.length === 0) {
      violation = { c: violation.c, f: violation.f, G: violation.G };
      relaxed = true;
    } else if (up.length === 1 && down.length === 1 && isZero(violation.c) && violation.f.size === 0 && violation.G.size === 0) {
      const [[ka, a], [kb, b]] = [up[0], down[0]];
      const va = lz.norms.get(ka)!, vb = lz.norms.get(kb)!;
      violation = combine(scaleScalar(inner(va, va), qMul(a, a)), inner(vb, vb), neg(qMul(b, b)));
    } else return 'norms to the first power that do not square into inner products';
  }
  let fixedDimension = lz.usesDims;
  for (const g of pf.given) {
    if (g.kind === 'type' && g.type === 'vector' && typeof g.dims[0] === 'number') fixedDimension = true;
    if (g.kind === 'function' && typeof g.domain !== 'string') fixedDimension = true;
    if (g.kind === 'function' && g.domain === 'scalar') fixedDimension = true;
  }
  // PL and Lipschitz conditions speak of f*, so a PL function's minimum joins the problem
  const classes: Record<string, ClassAt> = {};
  for (const fn of new Set([...[...lz.points.values()].map((p) => p.fn), ...lz.minimisers])) {
    const c = classesAt(pf, fn, values);
    if (!c) return `the classes of ${fn}`;
    classes[fn] = c;
    if (c.pl) lz.minimisers.add(fn);
  }
  const points: Problem['points'] = [];
  const conditions: Condition[] = [];
  let exact = true;
  try {
    for (const [fn, cls] of Object.entries(classes)) {
      const pts = [...lz.points.values()].filter((p) => p.fn === fn).map((p) => ({ fn, label: p.label, x: p.x, g: p.g ?? new Map([[`g:${fn}@${p.key}`, ONE]]), f: `${fn}@${p.key}` }));
      const star = lz.minimisers.has(fn) ? { fn, label: `${fn}*`, x: new Map([[`x*:${fn}`, ONE]]), g: new Map<string, Q>(), f: `${fn}@*` } : null;
      conditions.push(...conditionsOf(fn, cls, pts, star));
      points.push(...(star ? [star] : []), ...pts);
      if (!interpolable(cls)) exact = false;
    }
  } catch (e) {
    if (e instanceof Outside) return e.message;
    throw e;
  }
  const atoms = new Set<string>();
  const valuesUsed = new Set<string>();
  const note = (s: Scalar) => { for (const k of s.G.keys()) for (const a of k.split('|')) atoms.add(a); for (const k of s.f.keys()) valuesUsed.add(k); };
  note(violation);
  for (const c of conditions) note(c.expr);
  for (const p of points) { for (const a of p.x.keys()) atoms.add(a); for (const a of p.g.keys()) atoms.add(a); valuesUsed.add(p.f); }
  return { atoms: [...atoms].sort(), values: [...valuesUsed].sort(), conditions, violation, sides: [l.s, r.s], norms: lz.norms, exact: exact && !lz.inexact && !relaxed && !fixedDimension, points, classes };
}

// ---------------------------------------------------------------------------
// The SDP: X = blockdiag(G, diag(f⁺, f⁻, slacks)); maximise the violation.

function sdpOf(p: Problem, margin: number, normalise: boolean): Sdp {
  const n = p.atoms.length, m = p.values.length;
  const at = new Map(p.atoms.map((a, i) => [a, i]));
  const vat = new Map(p.values.map((v, i) => [v, i]));
  const entries: SdpEntry[] = [];
  const put = (matrix: number, s: Scalar) => {
    for (const [k, v] of s.G) {
      const [a, b] = k.split('|').map((x) => at.get(x)!);
      const x = toNumber(v);
      entries.push({ matrix, block: 1, i: Math.min(a, b) + 1, j: Math.max(a, b) + 1, value: a === b ? x : x / 2 });
    }
    for (const [k, v] of s.f) {
      const i = vat.get(k)!;
      entries.push({ matrix, block: 2, i: 2 * i + 1, j: 2 * i + 1, value: toNumber(v) });
      entries.push({ matrix, block: 2, i: 2 * i + 2, j: 2 * i + 2, value: -toNumber(v) });
    }
  };
  put(0, p.violation);
  const c: number[] = [];
  p.conditions.forEach((cond, r) => {
    put(r + 1, cond.expr);
    const slack = 2 * m + r + 1;
    entries.push({ matrix: r + 1, block: 2, i: slack, j: slack, value: -1 });
    c.push(-toNumber(cond.expr.c) + margin);
  });
  let blocks = 2 * m + p.conditions.length;
  if (normalise) {
    const r = p.conditions.length + 1;
    for (let a = 0; a < n; a++) entries.push({ matrix: r, block: 1, i: a + 1, j: a + 1, value: 1 });
    for (let i = 0; i < 2 * m; i++) entries.push({ matrix: r, block: 2, i: i + 1, j: i + 1, value: 1 });
    blocks++;
    entries.push({ matrix: r, block: 2, i: blocks, j: blocks, value: 1 });
    c.push(1);
  }
  return { c, blocks: [{ size: n, diagonal: false }, { size: blocks, diagonal: true }], entries };
}

/** The simplest rational within `tol` of x (continued fractions), denominators up to maxDen. */
function simplest(x: number, tol: number, maxDen: bigint): Q | null {
  let h0 = 0n, h1 = 1n, k0 = 1n, k1 = 0n, y = x;
  for (let i = 0; i < 60; i++) {
    const a = Math.floor(y);
    if (!Number.isFinite(a) || Math.abs(a) > 1e15) return null;
    const A = BigInt(a);
    [h0, h1] = [h1, A * h1 + h0];
    [k0, k1] = [k1, A * k1 + k0];
    if (k1 > maxDen) return null;
    if (Math.abs(Number(h1) / Number(k1) - x) <= tol) return q(h1, k1);
    const frac = y - a;
    if (frac < 1e-300) return q(h1, k1);
    y = 1 / frac;
  }
  return null;
}

/** S = −(violation_G + Σ λ condition_G) as a matrix over the atoms, with the f-coefficients and the constant left. */
function residual(p: Problem, lambda: Q[]): { S: Q[][]; f: Map<string, Q>; c: Q } {
  let total = p.violation;
  lambda.forEach((l, r) => { if (!isZero(l)) total = combine(total, p.conditions[r].expr, l); });
  const n = p.atoms.length;
  const at = new Map(p.atoms.map((a, i) => [a, i]));
  const S: Q[][] = Array.from({ length: n }, () => new Array(n).fill(ZERO));
  for (const [k, v] of total.G) {
    const [a, b] = k.split('|').map((x) => at.get(x)!);
    if (a === b) S[a][a] = qAdd(S[a][a], neg(v));
    else { const h = div(neg(v), q(2n)); S[a][b] = qAdd(S[a][b], h); S[b][a] = qAdd(S[b][a], h); }
  }
  return { S, f: total.f, c: total.c };
}

/**
 * Whether a symmetric rational matrix is PSD: LDLᵀ, every pivot ≥ 0, a zero
 * pivot only with a zero column. Done fraction-free (Bareiss) on the matrix
 * times the positive lcm of its denominators: each entry is then its LDLᵀ
 * value times the product of the pivots so far, all positive, so every sign
 * and every zero is the one the fractions would give, and each division is
 * exact (Sylvester's identity) with no gcd to take.
 */
export function exactlyPsd(S: Q[][]): boolean {
  const n = S.length;
  let den = 1n;
  for (const row of S) for (const x of row) if (den % x.d !== 0n) den = (den / gcd(den, x.d)) * x.d;
  const A = S.map((row) => row.map((x) => x.n * (den / x.d)));
  let previous = 1n;
  for (let k = 0; k < n; k++) {
    const d = A[k][k];
    if (d < 0n) return false;
    if (d === 0n) {
      for (let i = k + 1; i < n; i++) if (A[i][k] !== 0n) return false;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const l = A[i][k], row = A[i], pivotRow = A[k];
      for (let j = k + 1; j < n; j++) row[j] = (d * row[j] - l * pivotRow[j]) / previous;
    }
    previous = d;
  }
  return true;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Exact multipliers from the solver's: each rounded to a simple rational, then
 * the free function values' coefficients (which must vanish exactly) restored
 * by solving for a few of the largest multipliers in exact arithmetic.
 */
function exactMultipliers(p: Problem, solved: number[], maxDen: bigint, tol: number): Q[] | null {
  const top = Math.max(1e-300, ...solved);
  const lambda: Q[] = solved.map((v) => (v <= 1e-7 * top ? ZERO : simplest(v, tol * Math.max(1, v), maxDen) ?? exactRational(v)));
  if (lambda.some((l) => l.n < 0n)) return null;
  // f-coefficients: Σ_r λ_r a_r[k] + violation_f[k] = 0 for every value k
  const rows = p.values;
  const support = lambda.map((l, r) => r).filter((r) => !isZero(lambda[r])).sort((a, b) => solved[b] - solved[a]);
  const res = () => residual(p, lambda).f;
  if (res().size === 0) return lambda;
  // Gauss–Jordan on the support's columns: pivot columns are solved for, the rest stay as rounded.
  const A: Q[][] = rows.map((k) => support.map((r) => p.conditions[r].expr.f.get(k) ?? ZERO));
  const fixed = residual(p, lambda.map((l, r) => (support.includes(r) ? ZERO : l))).f;
  const b: Q[] = rows.map((k) => neg(fixed.get(k) ?? ZERO));
  const pivots: number[] = [];
  let row = 0;
  for (let col = 0; col < support.length && row < rows.length; col++) {
    const pr = A.findIndex((a, i) => i >= row && !isZero(a[col]));
    if (pr < 0) continue;
    [A[row], A[pr]] = [A[pr], A[row]];
    [b[row], b[pr]] = [b[pr], b[row]];
    for (let i = 0; i < rows.length; i++) {
      if (i === row || isZero(A[i][col])) continue;
      const f = div(A[i][col], A[row][col]);
      A[i] = A[i].map((v, j) => sub(v, qMul(f, A[row][j])));
      b[i] = sub(b[i], qMul(f, b[row]));
    }
    pivots.push(col);
    row++;
  }
  for (let i = row; i < rows.length; i++) if (!isZero(b[i])) return null;
  // the non-pivot columns keep their rounded values; each pivot is solved for
  const out = lambda.slice();
  pivots.forEach((col, i) => {
    let v = b[i];
    support.forEach((r, j) => { if (j !== col && !pivots.includes(j)) v = sub(v, qMul(A[i][j], lambda[r])); });
    out[support[col]] = div(v, A[i][col]);
  });
  if (out.some((l) => l.n < 0n)) return null;
  return residual(p, out).f.size === 0 ? out : null;
}

export interface CertificateAt { multipliers: number; worst: number }
export interface RefutationAt {
  worst: number;
  /** per point: label, function, position, gradient, value (binary fractions as numbers) */
  points: { fn: string; label: string; x: number[]; g: number[]; f: number }[];
  /** the declared vectors at the counterexample */
  vectors: Record<string, number[]>;
  dimension: number;
  classes: Record<string, string>;
  /** each function's class as pep/interpolant.ts knows it (the function through the points is built from it), or null when it has no construction */
  constructive: Record<string, { cls: PepClass; constants: ClassConstants } | null>;
  lhsMinusRhs: number;
  lhs: number;
  rhs: number;
}

export type Outcome =
  | { kind: 'certified'; detail: CertificateAt }
  | { kind: 'refuted'; detail: RefutationAt }
  /** `against`: the worst case is positive (or unbounded) at these parameters, as opposed to a solver that fell short */
  | { kind: 'open'; why: string; against?: boolean };

/** Outcomes by the problem's exact text: the same step at the same rounded parameters is solved once per process (seeds, mutants, the report). */
const cache = new Map<string, Outcome>();
const CACHE_ENTRIES = 10_000;

function problemKey(p: Problem): string {
  const s = (x: Scalar) => `${keyOf(x.c)};${[...x.f].map(([k, v]) => `${k}:${keyOf(v)}`).join(',')};${[...x.G].map(([k, v]) => `${k}:${keyOf(v)}`).join(',')}`;
  return [p.exact, s(p.violation), ...p.conditions.map((c) => s(c.expr))].join('\n');
}

const homogeneous = (p: Problem) => isZero(p.violation.c) && p.conditions.every((c) => isZero(c.expr.c));

/** Decide one problem: certified (exact dual certificate), refuted (exact counterexample, interpolable classes only), or open. */
export function decide(p: Problem): Outcome {
  const key = problemKey(p);
  const hit = cache.get(key);
  if (hit) return hit;
  const out = decideUncached(p);
  if (cache.size >= CACHE_ENTRIES) cache.clear();
  cache.set(key, out);
  return out;
}

function decideUncached(p: Problem): Outcome {
  // a violation that is identically ≤ 0 with no conditions needed
  if (p.violation.f.size === 0 && p.violation.G.size === 0) {
    return p.violation.c.n <= 0n ? { kind: 'certified', detail: { multipliers: 0, worst: toNumber(p.violation.c) } } : { kind: 'open', why: 'a positive constant', against: true };
  }
  const normalise = homogeneous(p);
  const sdp = sdpOf(p, 0, normalise);
  const sol = solveSdpSync(sdp);
  if (sol.status === 'dual-infeasible' || sol.status === 'primal-infeasible') return { kind: 'open', why: `csdp: ${sol.message}`, against: true };
  if (sol.status !== 'success' && sol.status !== 'partial') return { kind: 'open', why: `csdp: ${sol.message}` };
  const tau = sol.xObjective + toNumber(p.violation.c);
  const scale = Math.max(1, ...[...p.violation.G.values(), ...p.violation.f.values()].map((v) => Math.abs(toNumber(v))));
  const solved = p.conditions.map((_, r) => Math.max(0, -sol.y[r]));
  if (tau <= 1e-6 * scale) {
    const cert = certificate(p, solved, normalise, scale);
    if (cert) return { kind: 'certified', detail: { multipliers: cert.filter((l) => !isZero(l)).length, worst: tau } };
    return { kind: 'open', why: `worst case ${tau.toExponential(2)} ≤ 0 within the solver's accuracy, but no exact certificate was found` };
  }
  if (!p.exact || !normalise || tau <= 1e-4 * scale) return { kind: 'open', why: `worst case ${tau.toExponential(2)} over functions satisfying necessary conditions only`, against: tau > 1e-6 * scale };
  const witness = counterexample(p, tau);
  return witness ? { kind: 'refuted', detail: witness } : { kind: 'open', why: `worst case ${tau.toExponential(2)}, but no counterexample passed the exact check`, against: true };
}

function exactFrom(p: Problem, solved: number[]): Q[] | null {
  // a loose rounding to small denominators first: whatever it gives is checked exactly
  for (const [maxDen, tol] of [[100n, 1e-4], [1000n, 1e-6], [1000000n, 1e-8], [10n ** 12n, 1e-9]] as const) {
    const lambda = exactMultipliers(p, solved, maxDen, tol);
    if (!lambda) continue;
    const { S, c } = residual(p, lambda);
    if (c.n > 0n) continue;
    if (exactlyPsd(S)) return lambda;
  }
  return null;
}

/**
 * Exact multipliers: the solver's rounded; failing that, those of a problem
 * with fewer conditions (the ones with the smallest multipliers left out while
 * the worst case stays ≤ 0): an interior point spreads weight over a face of
 * optimal multipliers, a smaller support pins them to simple rationals.
 */
function certificate(p: Problem, solved: number[], normalise: boolean, scale: number): Q[] | null {
  const direct = exactFrom(p, solved);
  if (direct) return direct;
  let active = p.conditions.map((_, r) => r);
  let current = solved;
  const attempt = (keep: number[]): number[] | null => {
    const sub: Problem = { ...p, conditions: keep.map((r) => p.conditions[r]) };
    const sol = solveSdpSync(sdpOf(sub, 0, normalise));
    if (sol.status !== 'success' && sol.status !== 'partial') return null;
    if (sol.xObjective + toNumber(p.violation.c) > 1e-6 * scale) return null;
    const full = new Array(p.conditions.length).fill(0);
    keep.forEach((r, i) => { full[r] = Math.max(0, -sol.y[i]); });
    return full;
  };
  const top = Math.max(...solved);
  // first all the small ones at once, then one at a time from the smallest
  const small = active.filter((r) => current[r] < 1e-3 * top);
  if (small.length) {
    const keep = active.filter((r) => !small.includes(r));
    const got = attempt(keep);
    if (got) {
      active = keep; current = got;
      const lambda = exactFrom(p, current);
      if (lambda) return lambda;
    }
  }
  for (const r of [...active].sort((a, b) => current[a] - current[b])) {
    const keep = active.filter((x) => x !== r);
    const got = attempt(keep);
    if (!got) continue;
    active = keep; current = got;
    const lambda = exactFrom(p, current);
    if (lambda) return lambda;
  }
  return null;
}

/**
 * A counterexample: the worst case again with every condition held with a margin,
 * G factored into points, and everything checked exactly at those points.
 */
function counterexample(p: Problem, tau: number): RefutationAt | null {
  const margin = tau / (100 * Math.max(1, p.conditions.length));
  const sol = solveSdpSync(sdpOf(p, margin, true));
  if (sol.status !== 'success' && sol.status !== 'partial') return null;
  const n = p.atoms.length, m = p.values.length;
  const G = sol.X[0];
  const { values: eig, vectors } = symEig(mat(n, n, G.flat()));
  const keep = [...eig.keys()].filter((i) => eig[i] > 1e-10 * Math.max(1e-300, eig[n - 1]));
  // atom a's coordinates: sqrt(eig_k) · v_k[a] over the kept k
  const coords = p.atoms.map((_, a) => keep.map((k) => exactRational(Math.sqrt(eig[k]) * vectors.data[a * n + k])));
  const fvals = p.values.map((_, i) => exactRational(sol.X[1][0][2 * i] - sol.X[1][0][2 * i + 1]));
  const at = new Map(p.atoms.map((a, i) => [a, i]));
  const vat = new Map(p.values.map((v, i) => [v, i]));
  const dotQ = (u: Q[], v: Q[]) => u.reduce((acc, x, i) => qAdd(acc, qMul(x, v[i])), ZERO);
  const evalScalar = (s: Scalar): Q => {
    let v = s.c;
    for (const [k, c] of s.f) v = qAdd(v, qMul(c, fvals[vat.get(k)!]));
    for (const [k, c] of s.G) { const [a, b] = k.split('|').map((x) => at.get(x)!); v = qAdd(v, qMul(c, dotQ(coords[a], coords[b]))); }
    return v;
  };
  for (const c of p.conditions) if (evalScalar(c.expr).n < 0n) return null;
  const viol = evalScalar(p.violation);
  if (viol.n <= 0n) return null;
  const position = (v: Vector) => keep.map((_, j) => { let s = ZERO; for (const [a, c] of v) s = qAdd(s, qMul(c, coords[at.get(a)!][j])); return toNumber(s); });
  void m;
  const shown = (x: Scalar) => {
    let v = toNumber(evalScalar(x));
    for (const [k, c] of x.n ?? []) {
      const at0 = p.norms.get(k);
      if (at0) v += toNumber(c) * Math.hypot(...position(at0));
    }
    return v;
  };
  const vectors0: Record<string, number[]> = {};
  for (const a of p.atoms) if (a.startsWith('v:')) vectors0[a.slice(2)] = position(new Map([[a, ONE]]));
  return {
    worst: tau,
    points: p.points.map((pt) => ({ fn: pt.fn, label: pt.label, x: position(pt.x), g: position(pt.g), f: toNumber(fvals[vat.get(pt.f)!]) })),
    vectors: vectors0,
    dimension: keep.length,
    classes: Object.fromEntries(Object.entries(p.classes).map(([k, c]) => [k, className(c)])),
    constructive: Object.fromEntries(Object.entries(p.classes).map(([k, c]) => [k, constructiveClass(c)])),
    lhsMinusRhs: toNumber(viol),
    lhs: shown(p.sides[0]),
    rhs: shown(p.sides[1]),
  };
}

/** Parameters snapped to nearby simple rationals (certificates then have small denominators); null when a constraint then fails. */
export function snapped(floats: Record<string, number>, integers: ReadonlySet<string>, holds: (values: Record<string, number>) => boolean): Record<string, Q> | null {
  // the first convergent within a relative tolerance (the simplest fraction there); the float itself
  // last: it satisfies the constraints the sampler checked
  for (const rel of [1e-2, 1e-3, 1e-4, 1e-6, 0]) {
    const out: Record<string, Q> = {};
    const asFloats: Record<string, number> = {};
    let ok = true;
    for (const [k, v] of Object.entries(floats)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) { ok = false; break; }
      const r = integers.has(k) ? q(BigInt(Math.round(v))) : rel === 0 || v === 0 ? exactRational(v) : simplest(v, rel * Math.abs(v), 10n ** 12n) ?? exactRational(v);
      out[k] = r;
      asFloats[k] = toNumber(r);
    }
    if (ok && holds(asFloats)) return out;
  }
  return null;
}

export const asFloats = (values: Record<string, Q>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, toNumber(v)]));

export interface StepDecision {
  verdict: 'certified' | 'refuted';
  how: string;
  /** what the certificate covers: every value of the parameters, or the sampled ones */
  scope?: 'all parameters' | 'the sampled parameters';
  refutation?: RefutationAt & { parameters: Record<string, number> };
}

const fmtQ = (v: Q) => (v.d === 1n ? `${v.n}` : `${v.n}/${v.d}`);

/**
 * The step's verdict from its performance-estimation problems at the given
 * assignments of the scalars, in order (each snapped to simple rationals
 * first): certified when `wanted` of them have exact certificates, refuted
 * when one has an exact counterexample, null (the step stays with sampling)
 * as soon as one has a positive worst case. An assignment at which the
 * solver falls short of a certificate is passed over: it says nothing.
 */
export function interpolationVerdict(pf: ProofFile, lhs: MathNode, rel: Rel, rhs: MathNode, assignments: Record<string, number>[], integers: ReadonlySet<string>, holds: (values: Record<string, number>) => boolean, wanted = 2): StepDecision | null {
  // a strict relation would need the worst case < 0, which a homogeneous problem never has
  if (rel === '<' || rel === '>') return null;
  const rels: Rel[] = rel === '==' ? ['<=', '>='] : [rel];
  const certifiedAt: string[] = [];
  let multipliers = 0;
  let parametric = false;
  let functions = false;
  const seen = new Set<string>();
  assignment: for (const floats of assignments) {
    if (certifiedAt.length >= wanted) break;
    const values = snapped(floats, integers, holds);
    if (!values) continue;
    const text = Object.entries(values).filter(([k]) => !(pf.names.dims as readonly string[]).includes(k)).map(([k, v]) => `${k} = ${fmtQ(v)}`).join(', ');
    if (seen.has(text)) continue;
    seen.add(text);
    for (const r of rels) {
      const p = problemOf(pf, lhs, r, rhs, values, asFloats(values));
      // outside the problems written here at this assignment (a sequence term past MAX_TERM): another may do
      if (typeof p === 'string') continue assignment;
      parametric ||= usesParameters(pf, lhs, rhs, p);
      functions ||= p.points.length > 0;
      const out = decide(p);
      if (out.kind === 'refuted') {
        return {
          verdict: 'refuted',
          how: refutationText(out.detail, text),
          refutation: { ...out.detail, parameters: asFloats(values) },
        };
      }
      // a positive worst case keeps the step with sampling; a solver that fell short only loses this assignment
      if (out.kind === 'open') { if (out.against) return null; continue assignment; }
      multipliers = Math.max(multipliers, out.detail.multipliers);
    }
    certifiedAt.push(text);
  }
  if (certifiedAt.length === 0) return null;
  const scope = parametric ? 'the sampled parameters' : 'all parameters';
  return {
    verdict: 'certified',
    scope,
    how: `interpolation certificate: the step holds for every Gram matrix of its vectors${functions ? ' and every function of its classes at those points' : ''} (performance estimation, csdp; an exact rational dual certificate with ${multipliers} multiplier${multipliers === 1 ? '' : 's'}, checked in exact arithmetic); certified at ${scope === 'all parameters' ? 'all parameters (the step has none)' : `the sampled parameters ${certifiedAt.map((t) => `(${t})`).join(' and ')}`}`,
  };
}

function refutationText(r: RefutationAt, at: string): string {
  const classes = Object.entries(r.classes).map(([f, c]) => `${f} ${c}`);
  const over = classes.length ? `every function with ${classes.join('; ')}` : 'all vectors';
  const why = classes.length
    ? 'the points below satisfy the interpolation conditions of the class (checked exactly, in rational arithmetic), so a function of the class takes these values and gradients there'
    : 'the vectors below (exact binary fractions) break it';
  return `refuted by performance estimation: the worst case over ${over} at ${at} is ${r.worst.toPrecision(3)} > 0 (csdp); ${why}, and the step fails on it by ${r.lhsMinusRhs.toPrecision(3)} (exactly > 0), in dimension ${r.dimension}`;
}

/** Whether the step's problem depends on a scalar name: its sides (defines expanded) or its functions' class constants. */
function usesParameters(pf: ProofFile, lhs: MathNode, rhs: MathNode, p: Problem): boolean {
  const scalars = new Set([...pf.names.reals, ...pf.names.integers, ...pf.names.dims]);
  let uses = false;
  for (const side of [expand(lhs, pf), expand(rhs, pf)]) {
    side.traverse((n, path, parent) => { if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn') && scalars.has(nameOf(n))) uses = true; });
  }
  for (const fn of Object.keys(p.classes)) {
    const g = pf.given.find((x) => x.kind === 'function' && x.name === fn);
    if (g?.kind === 'function' && g.classes.some((c) => c.constant !== undefined)) uses = true;
  }
  return uses;
}
