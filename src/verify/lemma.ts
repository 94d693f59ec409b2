/**
 * Pointwise lemmas: the statement evaluated in float64 at sampled points of
 * each witness, compared with a tolerance relative to the size of its terms.
 */
import type { EvalFunction, MathNode } from 'mathjs';
import { mathjs } from '../language/mathjs.ts';
import type { Instance } from '../classes/types.ts';
import { FLOAT64_RELATIVE_TOLERANCE } from '../engine/precision.ts';
import { makeRng, type Rng } from '../numeric/rng.ts';
import { fromSpectrum, randomOrthogonal, symEig, mat, axpy, norm, sub, type Vec } from '../numeric/linalg.ts';
import { magnitudeOf, type Statement, type StatementPart } from '../language/statement.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample } from './result.ts';
import { constantsOf, defineFunctions, oracleScope, theoremParameters, type Scope } from './scope.ts';
import { BUILTINS } from '../language/builtins.ts';
import type { Witness } from './witnesses.ts';
import { Tally } from './tally.ts';

export interface LemmaOptions {
  seed: number;
  /** Points per witness. */
  points: number;
  /** Matrices drawn by a family-free lemma (each checked once). */
  matrices: number;
  set?: Record<string, number | string>;
}

/** Check a lemma on every witness; family-free lemmas (matrices) draw their own. */
export function checkLemma(th: Theorem, st: Statement, witnesses: readonly Witness[], opts: LemmaOptions, tally: Tally): void {
  const parts = st.parts.map(withTerms);
  const rng = makeRng(opts.seed);
  const pointKinds = Object.entries(th.points ?? {});
  if (pointKinds.length > 0 && pointKinds.every(([, k]) => k === 'symmetric-matrix')) {
    for (let i = 0; i < opts.matrices; i++) {
      const A = randomSymmetric(rng);
      const point = Object.fromEntries(pointKinds.map(([name]) => [name, A]));
      checkPoint(parts, { ...BUILTINS, ...point }, parts.map(() => 0), tally, () => ({ family: 'symmetric-matrix', params: {}, parameters: {}, point }));
      tally.instance('symmetric-matrix');
    }
    return;
  }
  for (const w of witnesses) {
    const constants = constantsOf(th, w.instance);
    const parameters = theoremParameters(th, constants, rng, { ...opts.set, ...w.set });
    const { scope, parts: folded, floor } = prepareLemmaWitness(th, parts, w, constants, parameters);
    tally.instance(w.family.id);
    const sampler = pointSampler(w.instance, rng);
    const n = pointKinds.length === 0 ? 1 : opts.points;
    for (let i = 0; i < n; i++) {
      const point: Record<string, number[]> = {};
      let base: Vec | undefined;
      for (const [name] of pointKinds) {
        const p = sampler(base);
        base ??= p;
        point[name] = Array.from(p);
      }
      const ok = checkPoint(folded, { ...scope, ...point }, floor, tally, () => ({
        family: w.family.id, params: w.instance.params, parameters, point,
      }));
      if (!ok) return; // the first counterexample ends the check
    }
  }
}

/** A lemma ready to evaluate on one witness: the scope, the parts folded for it, their rounding floors. */
export interface LemmaWitness {
  scope: Scope;
  parts: PartWithTerms[];
  floor: number[];
}

/** Fold the statement for one witness (constants, data, oracle, parameters in scope). */
export function prepareLemmaWitness(
  th: Theorem, parts: readonly PartWithTerms[], w: Witness, constants: Scope, parameters: Record<string, number>,
): LemmaWitness {
  // Data (X, y, n) first: oracle functions and points take precedence over same-named data.
  const scope: Scope = { ...constants, ...BUILTINS, ...oracleScope(w.instance), ...parameters };
  defineFunctions(th, scope);
  const names = Object.keys(th.points ?? {});
  const folded = foldForWitness(parts, new Set(names), scope);
  return { scope, parts: folded, floor: referenceFloor(folded, names, w.instance, scope) };
}

/** One part at one point: both sides, the tolerance, and the slack (negative when the relation fails). */
export interface PointCheck {
  index: number;
  part: StatementPart;
  quantity: number;
  bound: number;
  tolerance: number;
  slack: number;
  finite: boolean;
}

/** Every part of a prepared lemma at a point (the checker's comparison, without the tally). */
export function evaluatePoint(lw: LemmaWitness, point: Record<string, unknown>): PointCheck[] {
  const scope = { ...lw.scope, ...point };
  return lw.parts.map(({ part, quantity, bound, magnitude }, index) => {
    const q = Number(quantity.evaluate(scope));
    const b = Number(bound.evaluate(scope));
    if (!Number.isFinite(q) || !Number.isFinite(b)) return { index, part, quantity: q, bound: b, tolerance: NaN, slack: NaN, finite: false };
    const tol = FLOAT64_RELATIVE_TOLERANCE * Math.max(lw.floor[index], ...magnitude.map((m) => size(m.evaluate(scope))));
    const slack = part.relation === '<=' ? b - q : part.relation === '>=' ? q - b : -Math.abs(q - b);
    return { index, part, quantity: q, bound: b, tolerance: tol, slack, finite: true };
  });
}

/** The statement's parts with the magnitudes of their sides, compiled. */
export const partsWithTerms = (st: Statement): PartWithTerms[] => st.parts.map(withTerms);

export interface PartWithTerms {
  part: StatementPart;
  quantity: EvalFunction;
  bound: EvalFunction;
  magnitude: EvalFunction[];
}

function withTerms(part: StatementPart): PartWithTerms {
  return {
    part, quantity: part.quantity, bound: part.bound,
    magnitude: [magnitudeOf(part.lhs).compile(), magnitudeOf(part.rhs).compile()],
  };
}

/**
 * The parts recompiled for one witness with every sub-expression that does not
 * involve the sampled points evaluated once (X'·X and its eigenvalues, f(0)):
 * the values are bound in `scope` under fresh names.
 */
function foldForWitness(parts: readonly PartWithTerms[], points: ReadonlySet<string>, scope: Scope): PartWithTerms[] {
  let fresh = 0;
  const fold = (node: MathNode): EvalFunction => node.transform((n) => {
    if (n.type === 'SymbolNode' || n.type === 'ConstantNode' || mentionsAny(n, points)) return n;
    const name = `__folded${fresh++}`;
    scope[name] = n.compile().evaluate({ ...scope });
    return new mathjs.SymbolNode(name);
  }).compile();
  return parts.map(({ part }) => ({
    part,
    quantity: fold(part.lhs),
    bound: fold(part.rhs),
    magnitude: [fold(magnitudeOf(part.lhs)), fold(magnitudeOf(part.rhs))],
  }));
}

function mentionsAny(node: MathNode, names: ReadonlySet<string>): boolean {
  let found = false;
  node.traverse((n) => { if (n.type === 'SymbolNode' && names.has((n as unknown as { name: string }).name)) found = true; });
  return found;
}

const size = (v: unknown): number => {
  if (typeof v === 'number') return Math.abs(v);
  const a = (v && typeof v === 'object' && 'toArray' in v ? (v as { toArray(): unknown }).toArray() : v) as unknown[];
  return Math.sqrt(a.flat(2 as 1).reduce((s: number, x) => s + (x as number) ** 2, 0));
};

/**
 * An absolute floor for each part: 1e-6 of its magnitude at a reference point
 * of the instance (x₀, and x₀ mirrored through x*), where nothing cancels. It
 * matters only where both sides are rounding noise, e.g. at a minimiser of
 * rank-deficient least squares, where f(x) − f* and ∇f(x) are exactly 0 and
 * the computed values are (eps·‖X‖‖x‖)²: no information either way.
 */
function referenceFloor(parts: readonly PartWithTerms[], names: readonly string[], inst: Instance, scope: Scope): number[] {
  const x0 = Array.from(inst.x0);
  const xs = inst.nearestMinimiser(inst.x0);
  const mirrored = xs ? x0.map((v, i) => 2 * xs[i] - v) : x0.map((v) => -2 * v - 1);
  const point = Object.fromEntries(names.map((n, i) => [n, i === 0 ? x0 : mirrored]));
  return parts.map(({ magnitude }) => {
    try {
      return 1e-6 * Math.max(...magnitude.map((m) => size(m.evaluate({ ...scope, ...point }))));
    } catch {
      return 0;
    }
  });
}

/** Returns false when a violation was recorded. */
function checkPoint(
  parts: readonly PartWithTerms[],
  scope: Scope,
  floor: readonly number[],
  tally: Tally,
  where: () => Omit<Counterexample, 'part' | 'relation' | 'measured' | 'bound' | 'tolerance'>,
): boolean {
  for (const { index, part, quantity: q, bound: b, tolerance: tol, slack, finite } of evaluatePoint({ scope, parts: [...parts], floor: [...floor] }, {})) {
    if (!finite) { tally.skip(); continue; }
    const violated = slack < -tol;
    // Resolved: the bound stands out of the rounding, so its margin means something.
    tally.check(Math.abs(b) > tol, slack / Math.abs(b));
    if (violated) {
      tally.violation({ ...where(), part: index, relation: `${part.lhs} ${part.relation} ${part.rhs}`, measured: q, bound: b, tolerance: tol });
      return false;
    }
  }
  return true;
}

/**
 * Points where the lemmas are sharp as well as random ones: around the
 * minimiser and around 0, at several scales, and displaced from a base point
 * along the Hessian's extreme eigenvectors (where smoothness and strong
 * convexity are attained).
 */
export function pointSampler(inst: Instance, rng: Rng): (base?: Vec) => Vec {
  const d = inst.dim;
  const xs = inst.nearestMinimiser(inst.x0);
  const reach = Math.max(1, xs ? norm(sub(inst.x0, xs)) : norm(inst.x0));
  const centers = [xs ?? new Float64Array(d), new Float64Array(d), Float64Array.from(inst.x0)];
  const gaussian = () => {
    const v = Float64Array.from({ length: d }, () => rng.normal());
    return axpy(new Float64Array(d), 1 / (norm(v) || 1), v);
  };
  const extremeDirection = (at: Vec): Vec => {
    if (!inst.hess) return gaussian();
    const h = inst.hess(at);
    if (!h.every(Number.isFinite)) return gaussian();
    const { vectors } = symEig(mat(d, d, h));
    const col = rng.next() < 0.5 ? d - 1 : 0;
    return Float64Array.from({ length: d }, (_, i) => vectors.data[i * d + col]);
  };
  const scales = [1e-3, 1e-1, 1, 3];
  return (base?: Vec) => {
    // Jittered, so two points never coincide up to rounding (1-D has only ±1 directions).
    const s = reach * scales[rng.int(scales.length)] * (0.5 + rng.next());
    if (base && rng.next() < 0.6) return axpy(base, s * (rng.next() < 0.5 ? 1 : 1e-2), extremeDirection(base));
    const c = centers[rng.int(centers.length)];
    return axpy(c, s, rng.next() < 0.5 ? extremeDirection(c) : gaussian());
  };
}

/** A random symmetric matrix of size 1..6 with a spectrum of mixed signs. */
function randomSymmetric(rng: Rng): number[][] {
  const n = 1 + rng.int(6);
  const lambdas = Array.from({ length: n }, () => rng.normal() * (rng.next() < 0.2 ? 10 : 1));
  const A = fromSpectrum(randomOrthogonal(n, rng), lambdas);
  return Array.from({ length: n }, (_, i) => Array.from(A.data.subarray(i * n, (i + 1) * n)));
}
