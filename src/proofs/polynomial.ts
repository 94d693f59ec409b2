/**
 * Exact zero-testing of rational expressions: an expression is brought to
 * p/q with p, q polynomials over the rationals (BigInt fractions) in its
 * symbols and opaque sub-terms (exp(−u), f(w), a power with a symbolic
 * exponent: anything that is not + − × ÷ or an integer power). It is 0 where
 * defined exactly when p is the zero polynomial, whatever the opaque terms
 * stand for; no heuristics, so "zero" is a proof.
 */
import type { MathNode } from 'mathjs';
import { q, qAdd, qMul, type Q } from '../numeric/rational.ts';


/** A polynomial: monomial key ("x^2*y") → coefficient. */
export type Poly = Map<string, Q>;
const ONE_KEY = '';

function monoMul(a: string, b: string): string {
  const pow = new Map<string, number>();
  for (const key of [a, b]) {
    if (!key) continue;
    for (const f of key.split('*')) {
      const i = f.lastIndexOf('^');
      pow.set(f.slice(0, i), (pow.get(f.slice(0, i)) ?? 0) + Number(f.slice(i + 1)));
    }
  }
  return [...pow.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([s, k]) => `${s}^${k}`).join('*');
}

export function add(a: Poly, b: Poly, sign = 1n): Poly {
  const out = new Map(a);
  for (const [k, c] of b) {
    const v = qAdd(out.get(k) ?? q(0n), { n: sign * c.n, d: c.d });
    if (v.n === 0n) out.delete(k); else out.set(k, v);
  }
  return out;
}

/** Too many terms: give up rather than grind (the step is then sampled). */
const MAX_TERMS = 4000;

export function mul(a: Poly, b: Poly): Poly {
  let out: Poly = new Map();
  for (const [ka, ca] of a) for (const [kb, cb] of b) out = add(out, new Map([[monoMul(ka, kb), qMul(ca, cb)]]));
  if (out.size > MAX_TERMS) throw new Error('too large');
  return out;
}

const constant = (c: Q): Poly => (c.n === 0n ? new Map() : new Map([[ONE_KEY, c]]));
const variable = (name: string): Poly => new Map([[`${name}^1`, q(1n)]]);

/** p/q */
export interface Rational { p: Poly; q: Poly }

/** An exact rational from a decimal literal ("0.25" → 1/4, "1e-3" → 1/1000). */
function exactConstant(text: string): Q | null {
  const m = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? '';
  let n = BigInt((m[1] || '0') + frac), d = 10n ** BigInt(frac.length);
  const e = Number(m[3] ?? 0);
  if (Math.abs(e) > 300) return null;
  if (e >= 0) n *= 10n ** BigInt(e); else d *= 10n ** BigInt(-e);
  return q(n, d);
}

const MAX_POWER = 24;

/**
 * The exact literals of a file by their float64 value: mathjs reads every
 * number as a float64, so 3848545964488417706688986990477369 arrives as
 * 3.848545964488418e+33; the table gives back the digits written (null when
 * two different literals round to the same float64).
 */
export type Literals = ReadonlyMap<number, string | null>;

/** Every numeric literal of `texts`, by its float64 value. */
export function literalsOf(texts: readonly string[]): Map<number, string | null> {
  const out = new Map<number, string | null>();
  for (const t of texts) {
    for (const m of t.matchAll(/(?<![\w.])(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)(?![\w.])/g)) {
      const v = Number(m[1]);
      const had = out.get(v);
      if (had === undefined) out.set(v, m[1]);
      else if (had !== null && !sameExact(had, m[1])) out.set(v, null);
    }
  }
  return out;
}

const sameExact = (a: string, b: string) => { const x = exactConstant(a), y = exactConstant(b); return !!x && !!y && x.n * y.d === y.n * x.d; };

/**
 * The exact decimal a float64 constant stands for: the literal written in the
 * file when there is one; else its shortest text when that has at most 15
 * significant digits (then it is what was written or computed exactly, such
 * as 0.5 or 1/4 folded); else null (it may have been rounded).
 */
let unique = 0;
function literalText(v: number, literals: Literals): string | null {
  if (!Number.isFinite(v) || v < 0) return null;
  const written = literals.get(v);
  if (written !== undefined) return written;
  const text = String(v);
  const digits = text.replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  return digits.length <= 15 ? text : null;
}

/** A text that equal rational functions share when their denominators are constants (enough for exp's arguments). */
function canonicalText(r: Rational): string {
  let { p, q: den } = r;
  const c = den.size === 1 ? den.get(ONE_KEY) : undefined;
  if (c) { p = mul(p, constant(q(c.d, c.n))); den = constant(q(1n)); }
  const text = (x: Poly) => [...x.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${v.n}/${v.d}:${k}`).join(' ');
  return `${text(p)} | ${text(den)}`;
}

/**
 * exp(A) for A = p/c with a constant c: exp(A) = Π_m exp(m)^k_m · exp(rest),
 * where k_m is the integer coefficient of monomial m in A (a negative power
 * goes to the denominator: exp never vanishes) and `rest` the monomials with
 * a fractional coefficient; so exp(u)·exp(−u) = 1 and exp(2u) = exp(u)² are
 * seen. Any other A is one indeterminate per normal form.
 */
function expOf(r: Rational, atomKey: (key: string) => string): Rational {
  const one = constant(q(1n));
  const c = r.q.size === 1 ? r.q.get(ONE_KEY) : undefined;
  if (!c) return { p: variable(atomKey(`exp(${canonicalText(r)})`)), q: one };
  let num: Poly = one, den: Poly = one;
  const rest: Poly = new Map();
  for (const [m, coef] of r.p) {
    const v = qMul(coef, q(c.d, c.n));
    if (v.d !== 1n || v.n > BigInt(MAX_POWER) || v.n < -BigInt(MAX_POWER)) { rest.set(m, v); continue; }
    const e = variable(atomKey(`exp1(${m})`));
    for (let i = 0n; i < (v.n < 0n ? -v.n : v.n); i++) { if (v.n < 0n) den = mul(den, e); else num = mul(num, e); }
  }
  if (rest.size) num = mul(num, variable(atomKey(`exp(${canonicalText({ p: rest, q: one })})`)));
  return { p: num, q: den };
}

function toRational(node: MathNode, atom: (n: MathNode, key?: string) => string, literals: Literals): Rational {
  const n = node as unknown as { type: string; fn: string; args: MathNode[]; content: MathNode; value: unknown; name: string };
  const one = constant(q(1n));
  switch (node.type) {
    case 'ParenthesisNode': return toRational(n.content, atom, literals);
    case 'ConstantNode': {
      const text = literalText(Number(n.value), literals);
      const c = text === null ? null : exactConstant(text);
      // an unreadable constant is an indeterminate of its own, so it cancels with nothing
      return c ? { p: constant(c), q: one } : { p: variable(atom(node, `constant ${unique++}`)), q: one };
    }
    case 'SymbolNode': return { p: variable(n.name), q: one };
    case 'OperatorNode': {
      const [a, b] = n.args.map((x) => () => toRational(x, atom, literals));
      switch (n.fn) {
        case 'unaryPlus': return a();
        case 'unaryMinus': { const r = a(); return { p: add(new Map(), r.p, -1n), q: r.q }; }
        case 'add': case 'subtract': {
          const x = a(), y = b();
          return { p: add(mul(x.p, y.q), mul(y.p, x.q), n.fn === 'add' ? 1n : -1n), q: mul(x.q, y.q) };
        }
        case 'multiply': { const x = a(), y = b(); return { p: mul(x.p, y.p), q: mul(x.q, y.q) }; }
        case 'divide': {
          const x = a(), y = b();
          if (y.p.size === 0) throw new Error('division by zero');
          return { p: mul(x.p, y.q), q: mul(x.q, y.p) };
        }
        case 'pow': {
          const e = n.args[1];
          const k = e.type === 'ConstantNode' ? Number((e as unknown as { value: unknown }).value) : NaN;
          if (!Number.isInteger(k) || Math.abs(k) > MAX_POWER) return { p: variable(atom(node)), q: one };
          const base = a();
          let r: Rational = { p: one, q: one };
          for (let i = 0; i < Math.abs(k); i++) r = { p: mul(r.p, base.p), q: mul(r.q, base.q) };
          if (k < 0) { if (r.p.size === 0) throw new Error('division by zero'); r = { p: r.q, q: r.p }; }
          return r;
        }
      }
      return { p: variable(atom(node)), q: one };
    }
    case 'FunctionNode': {
      // exp(A) is the same indeterminate for every A with the same normal form; exp(0) = 1
      const f = node as unknown as { fn: { name: string }; args: MathNode[] };
      if (f.fn?.name === 'exp' && f.args.length === 1) {
        const r = toRational(f.args[0], atom, literals);
        if (r.p.size === 0) return { p: one, q: one };
        return expOf(r, (key) => atom(node, key));
      }
      return { p: variable(atom(node)), q: one };
    }
    default: return { p: variable(atom(node)), q: one };
  }
}

/**
 * Whether the expression is identically 0 as a rational function of its
 * symbols and opaque terms. Opaque terms are keyed by their text, so equal
 * texts are the same indeterminate. False when undecided (too large).
 */
export function isIdenticallyZero(node: MathNode, literals: Literals = new Map()): boolean {
  return rationalOf(node, new Map(), literals)?.p.size === 0;
}

/**
 * The expression as p/q over the rationals, its opaque terms keyed in `keys`
 * (shared between calls, so equal texts are the same indeterminate); null
 * when it cannot be brought to that form (too large, a division by 0).
 */
export function rationalOf(node: MathNode, keys: Map<string, string>, literals: Literals = new Map()): Rational | null {
  const atom = (m: MathNode, key?: string) => {
    const text = key ?? m.toString();
    let k = keys.get(text);
    if (!k) { k = `[${keys.size}]`; keys.set(text, k); }
    return k;
  };
  try {
    return toRational(node, atom, literals);
  } catch {
    return null;
  }
}
