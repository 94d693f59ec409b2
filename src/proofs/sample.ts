/**
 * Assignments of a proof file's givens, drawn by fast-check so that a failing
 * one shrinks: dimensions, scalars (boundary, extreme and random values inside
 * the interval the constraints give), one witness per declared function, then
 * vectors (random, at several scales, near the witness's minimiser or along
 * its Hessian's extreme eigenvectors) and matrices.
 *
 * The raw draw is plain data (integers and doubles in fixed ranges), and
 * everything else is a pure function of it; fast-check shrinks the draw
 * towards index 0 and value 0, which this file maps to the simplest values:
 * d = 1, a scalar equal to 1 or its boundary, the zero vector.
 */
import fc from 'fast-check';
import type { MathNode } from 'mathjs';
import { intervalFor, type Constraint, type Interval } from '../language/domain.ts';
import { fromSpectrum, randomOrthogonal, symEig, mat, type Vec } from '../numeric/linalg.ts';
import { makeRng } from '../numeric/rng.ts';
import type { Instance } from '../classes/types.ts';
import { ProofError, type ProofFile, type Given } from './parse.ts';
import { makeProximal } from './proximal.ts';
import type { Assignment } from './evaluate.ts';
import type { PlainValue, WitnessRecord } from './result.ts';
import { demandOf, makeWitness, witnessChoiceArb, type WitnessChoice } from './witness.ts';

/** Sizes the dimension symbols take (index 0 is what a counterexample shrinks to). */
export const DIM_CHOICES = [1, 2, 3, 5, 8] as const;
/** Entries drawn per vector or matrix: enough for the largest size. */
const MAX_DIM = 8;

interface ScalarDraw { mode: number; u: number }
interface ArrayDraw { mode: number; scale: number; seed: number; entries: number[] }
export interface Draw {
  dims: number[];
  scalars: ScalarDraw[];
  functions: WitnessChoice[];
  vectors: ArrayDraw[];
  matrices: ArrayDraw[];
}

/** The declarations of a file, in the order they are sampled. */
export interface Plan {
  dims: string[];
  /** real and integer scalars, each after the names its bounds mention */
  scalars: { name: string; integer: boolean }[];
  constraints: Constraint[];
  functions: { name: string; dim: string | number; given: Given & { kind: 'function' } }[];
  vectors: { name: string; size: string | number }[];
  matrices: { name: string; type: 'matrix' | 'Sym' | 'PSD'; rows: string | number; cols: string | number }[];
  needs: { hess: boolean; xstar: boolean };
  /**
   * Functions reached through `prox(h, …)` (witnesses from proximal.ts), each
   * with the smooth partner f of `xstar(f + h)` / `fstar(f + h)` when the file
   * speaks of that sum's minimiser.
   */
  proximal: Map<string, string | undefined>;
}

/** Every expression of the file with its line. */
const expressionsOf = (pf: ProofFile): { source: string; line: number }[] => [
  ...pf.define.flatMap((d) => (d.kind === 'value' ? [d.expr] : [...d.bases.map((b) => b.expr), ...(d.step ? [d.step.expr] : [])])),
  ...pf.chains.flatMap((c) => [c.first, ...c.steps.map((s) => s.expr)]),
  ...(pf.claim ? pf.claim.terms : []),
];

const uses = (pf: ProofFile, fn: string): boolean => expressionsOf(pf).some((e) => new RegExp(`\\b${fn}\\s*\\(`).test(e.source));

/**
 * The proximal functions of a file and their partners: h of every
 * `prox(h, …)`, and for `xstar(f + h)` or `fstar(f + h)` the smooth convex f
 * whose sum with h has the witness's minimiser. A sum needs exactly one
 * proximal term, a convex partner, and one partner per h.
 */
export function proximalOf(pf: ProofFile): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const e of expressionsOf(pf)) for (const m of e.source.matchAll(/\bprox\s*\(\s*([A-Za-z_]\w*)\s*,/g)) out.set(m[1], undefined);
  for (const e of expressionsOf(pf)) {
    for (const m of e.source.matchAll(/\b(?:xstar|fstar)\s*\(\s*\(?\s*([A-Za-z_]\w*)\s*\+\s*([A-Za-z_]\w*)\s*\)?\s*\)/g)) {
      const [, a, b] = m;
      const err = (why: string) => new ProofError(pf.file, e.line, `${m[0]}: ${why}`);
      if (out.has(a) === out.has(b)) throw err('the minimiser of a sum is known for a function reached through prox(h, gamma, v) plus one that is not (a smooth convex f): exactly one of the two must appear in prox(...)');
      const [h, f] = out.has(a) ? [a, b] : [b, a];
      const g = pf.given.find((x) => x.kind === 'function' && x.name === f);
      if (!(g?.kind === 'function' && g.classes.some((c) => c.className === 'convex' || c.className === 'mu-strongly-convex'))) throw err(`${f} must be declared convex: the witnesses put the minimiser of ${f} + ${h} where 0 is in ∇${f} + ∂${h}, which is a minimiser only for convex ${f}`);
      const prev = out.get(h);
      if (prev !== undefined && prev !== f) throw err(`${h} is already the term of a sum with ${prev}; one partner per proximal function`);
      out.set(h, f);
    }
  }
  return out;
}

export function planOf(pf: ProofFile): Plan {
  const constraints: Constraint[] = pf.given
    .filter((g): g is Given & { kind: 'constraint' } => g.kind === 'constraint')
    .map((g) => {
      // the parser parenthesises each term; intervalFor looks for bare symbols
      const node = g.relation.node.transform((n) => (n.type === 'ParenthesisNode' ? (n as unknown as { content: MathNode }).content : n));
      return { source: g.source, node, holds: node.compile() };
    });
  const integers = new Set(pf.names.integers);
  const names = [...pf.names.reals, ...pf.names.integers].filter((n) => !(pf.names.dims as readonly string[]).includes(n));
  const usedDims = new Set<string>();
  const dimOf = (x: string | number) => { if (typeof x === 'string') usedDims.add(x); return x; };
  const functions: Plan['functions'] = [];
  const vectors: Plan['vectors'] = [];
  const matrices: Plan['matrices'] = [];
  for (const g of pf.given) {
    if (g.kind === 'function') functions.push({ name: g.name, dim: g.domain === 'scalar' ? 1 : dimOf(g.domain), given: g });
    if (g.kind === 'type' && g.type === 'vector') for (const n of g.names) vectors.push({ name: n, size: dimOf(g.dims[0]) });
    if (g.kind === 'type' && (g.type === 'matrix' || g.type === 'Sym' || g.type === 'PSD')) {
      for (const n of g.names) matrices.push({ name: n, type: g.type, rows: dimOf(g.dims[0]), cols: dimOf(g.dims[1] ?? g.dims[0]) });
    }
  }
  // dimension symbols mentioned in expressions are sampled too
  const allText = JSON.stringify([pf.define.map((d) => d.kind === 'value' ? d.expr.source : ''), pf.chains.map((c) => [c.first.source, c.steps.map((s) => s.expr.source)]), pf.claim?.source, constraints.map((c) => c.source)]);
  for (const d of pf.names.dims) if (new RegExp(`\\b${d}\\b`).test(allText)) usedDims.add(d);
  return {
    dims: [...usedDims].sort(),
    scalars: orderByDeclaration(names, constraints).map((name) => ({ name, integer: integers.has(name) })),
    constraints,
    functions,
    vectors,
    matrices,
    needs: { hess: uses(pf, 'hess'), xstar: uses(pf, 'xstar') },
    proximal: proximalOf(pf),
  };
}

/**
 * Scalars in the order they are first declared: a constraint bounds a name by
 * those declared before it (`L > 0`, then `0 < mu <= L`: L first, then mu in
 * (0, L]); bounds by later names are left to the final check of every constraint.
 */
function orderByDeclaration(names: string[], cs: readonly Constraint[]): string[] {
  const seen: string[] = [];
  for (const c of cs) for (const n of symbolsIn(c.node)) if (names.includes(n) && !seen.includes(n)) seen.push(n);
  return [...seen, ...names.filter((n) => !seen.includes(n))];
}

function symbolsIn(node: MathNode): Set<string> {
  const s = new Set<string>();
  node.traverse((n) => { if (n.type === 'SymbolNode') s.add((n as unknown as { name: string }).name); });
  return s;
}

export function drawArb(plan: Plan): fc.Arbitrary<Draw> {
  // a uniform-ish position in [0, 1] on a grid of 1e-6: fast-check's doubles crowd the extremes
  // (5e-324, 1 − 1e-16), which left the middle of an interval almost never drawn
  const unit = fc.integer({ min: 0, max: 1_000_000 }).map((k) => k / 1_000_000, (v) => Math.round((v as number) * 1_000_000));
  const arrayDraw = (n: number, modes = 5) => fc.record({
    mode: fc.nat(modes - 1),
    scale: unit,
    seed: fc.nat(),
    // three decimals: shrinking ends at short numbers, not at 3e-159
    entries: fc.array(fc.integer({ min: -1000, max: 1000 }).map((k) => k / 1000, (v) => Math.round((v as number) * 1000)), { minLength: n, maxLength: n }),
  });
  return fc.record({
    dims: fc.array(fc.nat(DIM_CHOICES.length - 1), { minLength: plan.dims.length, maxLength: plan.dims.length }),
    scalars: fc.array(fc.record({ mode: fc.nat(6), u: unit }), { minLength: plan.scalars.length, maxLength: plan.scalars.length }),
    functions: fc.array(witnessChoiceArb, { minLength: plan.functions.length, maxLength: plan.functions.length }),
    vectors: fc.array(arrayDraw(MAX_DIM, VECTOR_MODES), { minLength: plan.vectors.length, maxLength: plan.vectors.length }),
    matrices: fc.array(arrayDraw(MAX_DIM * MAX_DIM), { minLength: plan.matrices.length, maxLength: plan.matrices.length }),
  });
}

/** A sampled assignment with what it is made of, for counterexamples. */
export interface Sampled {
  assignment: Assignment;
  values: Record<string, PlainValue>;
  witnesses: Record<string, WitnessRecord>;
}

/** Why a draw gives no assignment: a constraint fails, or no witness fits the classes at these constants. */
export type Rejection = { rejected: 'constraint'; detail: string } | { rejected: 'witness'; detail: string };

/** The assignment a draw stands for, or why the givens rule it out. */
export function assignmentOf(plan: Plan, draw: Draw): Sampled | Rejection {
  const values: Record<string, PlainValue> = {};
  plan.dims.forEach((d, i) => { values[d] = DIM_CHOICES[draw.dims[i]]; });
  const size = (x: string | number) => (typeof x === 'number' ? x : (values[x] as number));
  plan.scalars.forEach(({ name, integer }, i) => {
    const iv = intervalFor(name, plan.constraints, values);
    values[name] = integer ? integerIn(iv, draw.scalars[i]) : realIn(iv, draw.scalars[i]);
  });
  for (const c of plan.constraints) {
    let ok: unknown;
    try { ok = c.holds.evaluate({ ...values }); } catch { ok = false; }
    if (ok !== true) return { rejected: 'constraint', detail: c.source };
  }
  const functions: Record<string, Instance> = {};
  const witnesses: Record<string, WitnessRecord> = {};
  for (const [i, f] of plan.functions.entries()) {
    if (plan.proximal.has(f.name)) continue;
    const found = demandOf(f.given.classes, values as Record<string, number>);
    const demand = found && { ...found, horizons: plan.scalars.filter((x) => x.integer).map((x) => values[x.name] as number) };
    const w = demand && makeWitness(demand, size(f.dim), draw.functions[i], plan.needs);
    if (!w) return { rejected: 'witness', detail: `${f.given.source}` };
    functions[f.name] = w.instance;
    witnesses[f.name] = w.record;
  }
  // after the smooth ones: the term of a sum is tilted by its partner's gradient
  for (const [i, f] of plan.functions.entries()) {
    if (!plan.proximal.has(f.name)) continue;
    const partner = plan.proximal.get(f.name);
    const w = makeProximal(size(f.dim), draw.functions[i], partner === undefined ? undefined : { name: partner, inst: functions[partner] });
    functions[f.name] = w.instance;
    witnesses[f.name] = w.record;
  }
  const firstOfDim = (n: number) => Object.values(functions).find((inst) => inst.dim === n);
  plan.vectors.forEach(({ name, size: s }, i) => { values[name] = vectorOf(size(s), draw.vectors[i], firstOfDim(size(s))); });
  plan.matrices.forEach((m, i) => { values[m.name] = matrixOf(m.type, size(m.rows), size(m.cols), draw.matrices[i]); });
  return { assignment: { values, functions }, values, witnesses };
}

/** A relative step off an open end: small enough to probe the boundary, large enough to be off it in float64. */
const OFF_END = 1e-6;

function realIn(iv: Interval, { mode, u }: ScalarDraw): number {
  const { lo, hi } = iv;
  const inside = (x: number) => (x > lo || (x === lo && !iv.loOpen)) && (x < hi || (x === hi && !iv.hiOpen));
  const nearLo = iv.loOpen ? lo + OFF_END * Math.max(1, Math.abs(lo)) : lo;
  const nearHi = iv.hiOpen ? hi - OFF_END * Math.max(1, Math.abs(hi)) : hi;
  const logSpan = (a: number, b: number) => 10 ** (a + (b - a) * u);
  switch (mode) {
    case 0: { // the simplest value in range
      const nice = [1, 0, 2, 0.5, -1].find(inside);
      if (nice !== undefined) return nice;
      if (Number.isFinite(lo) && Number.isFinite(hi)) return (lo + hi) / 2;
      return Number.isFinite(lo) ? lo + 1 : hi - 1;
    }
    case 1: return Number.isFinite(lo) ? nearLo : -logSpan(3, 6);
    case 2: return Number.isFinite(hi) ? nearHi : logSpan(3, 6);
    case 3: { // extremes: very large, or a tiny distance from an end
      if (u < 0.5) return hi === Infinity ? logSpan(3, 6) : lo === -Infinity ? -logSpan(3, 6) : nearLo + (nearHi - nearLo) * 1e-3;
      const off = 10 ** (-12 + 18 * (u - 0.5)) * Math.max(1, Math.abs(Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0));
      return Number.isFinite(lo) ? lo + off : Number.isFinite(hi) ? hi - off : off;
    }
    default: { // random: uniform on a bounded interval, log-uniform along an unbounded side
      if (Number.isFinite(lo) && Number.isFinite(hi)) return clampInto(lo + (hi - lo) * u, nearLo, nearHi);
      if (Number.isFinite(lo)) return lo + logSpan(-3, 3) * (Math.abs(lo) > 0 ? Math.max(1, Math.abs(lo)) : 1);
      if (Number.isFinite(hi)) return hi - logSpan(-3, 3) * Math.max(1, Math.abs(hi));
      return (mode === 4 ? 1 : -1) * logSpan(-3, 3);
    }
  }
}

const clampInto = (x: number, a: number, b: number) => Math.min(b, Math.max(a, x));

function integerIn(iv: Interval, { mode, u }: ScalarDraw): number {
  // `t in N`: integers ≥ 0 unless a constraint says more
  const lo = Math.max(0, iv.loOpen ? Math.floor(iv.lo) + 1 : Math.ceil(iv.lo));
  const hi = iv.hiOpen ? Math.ceil(iv.hi) - 1 : Math.floor(iv.hi);
  const top = Math.min(hi, lo + 50);
  let v: number;
  switch (mode) {
    case 0: v = lo <= 1 && 1 <= hi ? 1 : lo; break;
    case 1: v = lo; break;
    case 2: v = Number.isFinite(hi) ? hi : lo + 200; break;
    case 3: v = Math.min(hi, lo + 1000); break;
    default: v = lo + Math.floor((top - lo + 1) * u * 0.999999);
  }
  return Math.max(lo, Math.min(hi, v));
}

/** Vector draw modes: vectorOf's cases 0–5. */
const VECTOR_MODES = 6;

/**
 * The point of least curvature of a witness, found on a fixed scan (along the
 * first axis and the diagonal from the minimiser, radii 10⁻²…10²): where a
 * non-convex witness is non-convex in every direction (sin-pl only on
 * |x| ≈ 0.96–2.19 per coordinate), so that two vectors drawn near it both land
 * there and a convexity-only fact stated for its class fails on them. The
 * scan minimises the Hessian's largest eigenvalue and takes the nearest point
 * within 10 % of the least (far points have large magnitudes, whose rounding
 * allowance can hide the failure). Null without a Hessian; cached by the function (below).
 */
const leastCurvature = new Map<string, Float64Array | null>();
/** Distinct witnesses remembered (a file draws a few hundred; the scan is 82 Hessians and eigenvalue problems). */
const LEAST_CURVATURE_CACHE = 4096;
function leastCurvaturePoint(inst: Instance): Float64Array | null {
  // the point depends on the function's shape only: a witness scaled by s > 0 (witness.ts scaleInstance,
  // a fresh instance at every draw) has the same one, so the key is its family, parameters and dimension
  const key = `${inst.family}|${inst.dim}|${JSON.stringify(inst.params)}`;
  if (leastCurvature.has(key)) return leastCurvature.get(key)!;
  let best: Float64Array | null = null;
  if (inst.hess) {
    const n = inst.dim;
    const xs = inst.nearestMinimiser(inst.x0) ?? new Float64Array(n);
    const axes = [Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)), Float64Array.from({ length: n }, () => 1 / Math.sqrt(n))];
    const scanned: { r: number; x: Float64Array; top: number }[] = [];
    for (const axis of axes) {
      for (let k = 0; k <= 40; k++) {
        const r = 10 ** (-2 + k / 10);
        const x = Float64Array.from(xs, (v, i) => v + r * axis[i]);
        const h = inst.hess(x);
        if (!h.every(Number.isFinite)) continue;
        scanned.push({ r, x, top: Math.max(...Array.from(symEig(mat(n, n, h)).values)) });
      }
    }
    const least = Math.min(...scanned.map((p) => p.top));
    const near = scanned.filter((p) => p.top <= least + 0.1 * Math.abs(least)).sort((a, b) => a.r - b.r)[0];
    best = near?.x ?? null;
  }
  if (leastCurvature.size >= LEAST_CURVATURE_CACHE) leastCurvature.clear();
  leastCurvature.set(key, best);
  return best;
}

function vectorOf(n: number, draw: ArrayDraw, near: Instance | undefined): number[] {
  const e = draw.entries.slice(0, n);
  const scale = 10 ** (-3 + 6 * draw.scale);
  switch (near ? draw.mode : Math.min(draw.mode, 1)) {
    case 0: return e;
    case 1: return e.map((x) => x * scale);
    case 2: { // near the witness's minimiser (where f − f* cancels)
      const xs = near!.nearestMinimiser(near!.x0) ?? new Float64Array(n);
      return Array.from(xs, (x, i) => x + e[i] * 10 ** (-4 + 4 * draw.scale));
    }
    case 3: return Array.from(near!.x0);
    case 5: { // near the witness's point of least curvature (where a non-convex witness is non-convex)
      const c = leastCurvaturePoint(near!);
      if (!c) return e.map((x) => x * scale);
      return Array.from(c, (x, i) => x + e[i] * 10 ** (-2 + 1.5 * draw.scale));
    }
    default: { // along an extreme eigenvector of the Hessian at the minimiser (where smoothness and strong convexity are attained)
      const xs = near!.nearestMinimiser(near!.x0) ?? new Float64Array(n);
      const h = near!.hess?.(xs);
      if (!h || !h.every(Number.isFinite)) return e.map((x) => x * scale);
      const { vectors } = symEig(mat(n, n, h));
      const col = draw.seed % 2 === 0 ? n - 1 : 0;
      const r = (draw.entries[0] ?? 1) * scale;
      return Array.from(xs as Vec, (x, i) => x + r * vectors.data[i * n + col]);
    }
  }
}

function matrixOf(type: 'matrix' | 'Sym' | 'PSD', rows: number, cols: number, draw: ArrayDraw): number[][] {
  const scale = draw.mode === 0 ? 1 : 10 ** (-2 + 4 * draw.scale);
  const at = (i: number, j: number) => draw.entries[i * MAX_DIM + j] * scale;
  if (type === 'matrix') return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => at(i, j)));
  const n = rows;
  if (draw.mode >= 3) {
    // a chosen spectrum: repeated and zero eigenvalues, mixed signs unless PSD
    const rng = makeRng(draw.seed);
    const lambdas = Array.from({ length: n }, (_, i) => {
      const v = i % 3 === 0 ? 0 : draw.entries[i] * scale * 3;
      return type === 'PSD' ? Math.abs(v) : v;
    });
    const A = fromSpectrum(randomOrthogonal(n, rng), lambdas);
    return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (A.data[i * n + j] + A.data[j * n + i]) / 2));
  }
  if (type === 'Sym') return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (at(i, j) + at(j, i)) / 2));
  // PSD: BᵀB
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += at(k, i) * at(k, j);
    return s;
  }));
}
