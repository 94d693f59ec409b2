/**
 * Scalar inequalities that follow from the givens by exact algebra: the
 * difference of the two sides, written p/q over the rationals, has a
 * numerator that is a nonnegative combination of the given constraints
 * (g ≥ 0 for each `a <= b`, `a < b`, …) and their pairwise products, and a
 * denominator that is a positive one (or both with the opposite sign). The
 * combination is found by solving for its coefficients exactly on a few
 * constraints at a time and kept only when every coefficient is ≥ 0, so the
 * identity p = Σ cᵢ gᵢ is checked in exact rationals and a fact shown here is
 * a proof over the whole region of the givens, not a sample of it:
 * `1 − μ/L ≥ 0` under `0 < μ ≤ L` is (L − μ)/L with L − μ and L both givens.
 * Interval branch and bound cannot show it: a box does not know μ ≤ L.
 */
import type { MathNode } from 'mathjs';
import { comparisons } from '../language/domain.ts';
import { q, qAdd, qMul, type Q } from '../numeric/rational.ts';
import { math } from '../language/mathjs.ts';
import type { Rel } from './parse.ts';
import { add, mul, rationalOf, type Literals, type Poly } from './polynomial.ts';

/** A constraint as a polynomial that is ≥ 0 (strict: > 0) on the region of the givens. */
interface Nonneg { poly: Poly; strict: boolean; text: string }

/** Constraints combined at a time (subsets of the generators tried, smallest first). */
const MAX_COMBINED = 3;
/** Generators at most (the constraints, the constant 1, their pairwise products). */
const MAX_GENERATORS = 28;

const ONE: Poly = new Map([['', q(1n)]]);
const neg = (p: Poly): Poly => add(new Map(), p, -1n);

/**
 * How `lhs rel rhs` follows from the constraints, or null when no
 * combination of at most MAX_COMBINED generators shows it.
 */
export function signFactFromGivens(lhs: MathNode, rel: Rel, rhs: MathNode, constraints: readonly MathNode[], literals?: Literals): string | null {
  if (rel === '==') return null;
  const keys = new Map<string, string>();
  const [big, small] = rel === '>=' || rel === '>' ? [lhs, rhs] : [rhs, lhs];
  const h = rationalOf(new math.OperatorNode('-', 'subtract', [new math.ParenthesisNode(big), new math.ParenthesisNode(small)]), keys, literals);
  if (!h) return null;
  const gens = generators(constraints, keys, literals);
  if (!gens) return null;
  const strict = rel === '<' || rel === '>';
  for (const sign of [1n, -1n]) {
    const den = combination(sign === 1n ? h.q : neg(h.q), gens, true);
    if (!den) continue;
    const num = combination(sign === 1n ? h.p : neg(h.p), gens, strict);
    if (!num) continue;
    return `certified exactly: the difference of the two sides is a quotient whose numerator (${num}) and denominator (${den}) are nonnegative combinations of the givens, checked in exact rationals`;
  }
  return null;
}

/** The givens as generators g ≥ 0, with 1 and the pairwise products; null when one cannot be read exactly. */
function generators(constraints: readonly MathNode[], keys: Map<string, string>, literals?: Literals): Nonneg[] | null {
  const base: Nonneg[] = [{ poly: ONE, strict: true, text: '1' }];
  // a constraint over a variable denominator (γ ≤ 1/L) is used times that denominator once its sign is shown by the others
  const later: { p: Poly; q: Poly; strict: boolean; text: string }[] = [];
  for (const c of constraints) {
    for (const { a, op, b } of comparisons(c)) {
      const [hi, lo] = op === 'larger' || op === 'largerEq' ? [a, b] : [b, a];
      const r = rationalOf(new math.OperatorNode('-', 'subtract', [new math.ParenthesisNode(hi), new math.ParenthesisNode(lo)]), keys, literals);
      if (!r) continue;
      const c0 = constantOf(r.q);
      const strict = op === 'larger' || op === 'smaller';
      if (!c0) { later.push({ ...r, strict, text: `${hi.toString()} - (${lo.toString()})` }); continue; }
      base.push({ poly: mul(r.p, new Map([['', q(c0.d, c0.n)]])), strict: op === 'larger' || op === 'smaller', text: `${hi.toString()} - (${lo.toString()})` });
    }
  }
  for (const g of later) {
    const positive = combination(g.q, base, true) ? 1n : combination(neg(g.q), base, true) ? -1n : 0n;
    if (positive) base.push({ poly: positive === 1n ? g.p : neg(g.p), strict: g.strict, text: `(${g.text}) times its denominator` });
  }
  const out = [...base];
  for (let i = 1; i < base.length; i++) {
    for (let j = i; j < base.length; j++) {
      let poly: Poly;
      try { poly = mul(base[i].poly, base[j].poly); } catch { return null; }
      out.push({ poly, strict: base[i].strict && base[j].strict, text: `(${base[i].text})·(${base[j].text})` });
    }
  }
  return out.slice(0, MAX_GENERATORS);
}

const constantOf = (p: Poly): Q | null => (p.size === 1 && p.has('') ? p.get('')! : null);

/**
 * A text of p = Σ cᵢ gᵢ with every cᵢ ≥ 0 (and, when `strict`, some cᵢ > 0 on
 * a strict generator), or null. The zero polynomial is the empty combination.
 */
function combination(p: Poly, gens: readonly Nonneg[], strict: boolean): string | null {
  if (p.size === 0) return strict ? null : '0';
  for (let k = 1; k <= MAX_COMBINED; k++) {
    for (const subset of subsets(gens.length, k)) {
      const c = solveExactly(p, subset.map((i) => gens[i].poly));
      if (!c || c.some((x) => x.n < 0n)) continue;
      if (strict && !subset.some((i, j) => c[j].n > 0n && gens[i].strict)) continue;
      return subset.map((i, j) => `${c[j].n}/${c[j].d}·(${gens[i].text})`).join(' + ');
    }
  }
  return null;
}

function* subsets(n: number, k: number, from = 0): Generator<number[]> {
  if (k === 0) { yield []; return; }
  for (let i = from; i <= n - k; i++) for (const rest of subsets(n, k - 1, i + 1)) yield [i, ...rest];
}

/** The unique c with Σ cⱼ Gⱼ = p exactly (Gaussian elimination over the monomials), or null. */
function solveExactly(p: Poly, G: readonly Poly[]): Q[] | null {
  const monomials = [...new Set([...p.keys(), ...G.flatMap((g) => [...g.keys()])])];
  const zero = q(0n);
  const rows = monomials.map((m) => [...G.map((g) => g.get(m) ?? zero), p.get(m) ?? zero]);
  const n = G.length;
  let r = 0;
  for (let col = 0; col < n; col++) {
    const piv = rows.findIndex((row, i) => i >= r && row[col].n !== 0n);
    if (piv < 0) return null; // dependent: a smaller subset covers it
    [rows[r], rows[piv]] = [rows[piv], rows[r]];
    const inv = q(rows[r][col].d, rows[r][col].n);
    rows[r] = rows[r].map((x) => qMul(x, inv));
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i][col].n === 0n) continue;
      const f = rows[i][col];
      rows[i] = rows[i].map((x, j) => qAdd(x, qMul({ n: -f.n, d: f.d }, rows[r][j])));
    }
    r++;
  }
  // consistent only when every row below the pivots has a zero right side
  for (let i = r; i < rows.length; i++) if (rows[i][n].n !== 0n) return null;
  return rows.slice(0, n).map((row) => row[n]);
}
