/**
 * Bounds in expectation: the theorem's stochastic algorithm run on every
 * witness with many seeds at once (rows = witnesses × seeds of one [B, d]
 * TensorFlow.js program, each row with its own minibatch stream), the
 * quantity measured per seed in float64 at every step, and the bound compared
 * with a confidence interval for the mean (src/verify/statistics.ts):
 * `violated` only when a whole interval lies above the bound plus the float32
 * floor.
 *
 * The float32 floor. The sample drawn at each step is inside the rule, so the
 * float64 reference step of run theorems is not available; the rounding of a
 * step is modelled instead as ξ_t = 8·eps32·(‖x_t‖ + ‖x_{t−1}‖ + ‖x_t − x_{t−1}‖)
 * (the iterate, the previous one and the update, each rounded a few times),
 * accumulated without growth (SGD steps within 2/Lmax on convex samples do not
 * expand errors; elsewhere an assumption) and turned into a tolerance on the
 * observable by precision.ts. The noise floors of these theorems sit far above it;
 * the tests hold it to account (no false alarm, planted violations caught).
 * As for runs, a violation must also clear the bound at its constants nudged
 * by 1e-12 (checker.ts nudgedBound): the bound's own float64 error.
 */
import type { MathNode } from 'mathjs';
import { evaluationTolerance, tolerance } from '../engine/precision.ts';
import { allFinite, dist, norm } from '../numeric/linalg.ts';
import type { Statement } from '../language/statement.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample, Curve, ExpectationStatistics } from './result.ts';
import { checkWitnesses, judge, readStatement, type Checked, type CheckOptions } from './checker.ts';
import type { Scope } from './scope.ts';
import { halfWidthFactor, meanInterval, methodText, type Interval } from './statistics.ts';
import type { Tally } from './tally.ts';
import type { Witness } from './witnesses.ts';

export interface ExpectationOptions extends CheckOptions {
  /** Independent runs per witness. */
  seeds: number;
  /** Family-wise error rate of the whole verification. */
  alpha: number;
  /** Sees every checked step of witness `index` (its position in `witnesses`): searches score each witness by it. */
  observe?: (index: number, check: ExpectationCheck) => void;
}

/** One checked step of one witness, as `observe` sees it. */
export interface ExpectationCheck {
  t: number;
  /** The mean over seeds and its confidence interval. */
  interval: Interval;
  bound: number;
  tolerance: number;
  /** The tolerance is at most RESOLVED_FRACTION of the bound. */
  resolved: boolean;
  /** The whole interval is above the bound plus the tolerance: the record. */
  counterexample?: Counterexample;
}

const EPS32 = 2 ** -23;
/** Roundings per step in the float32 floor (see the module comment). */
const STEP_ROUNDINGS = 8;

/** `E(q)` → q: the quantity whose mean is bounded. */
export function expectedQuantity(lhs: MathNode): MathNode {
  let node = lhs;
  while (node.type === 'ParenthesisNode') node = (node as unknown as { content: MathNode }).content;
  const fn = node as unknown as { type: string; fn?: { name?: string }; args?: MathNode[] };
  if (fn.type !== 'FunctionNode' || fn.fn?.name !== 'E' || fn.args?.length !== 1)
    throw new Error(`an expectation statement reads E(quantity) <= bound, not "${lhs.toString()}"`);
  return fn.args[0];
}

/** ‖x_t‖ + ‖x_{t−1}‖ + ‖x_t − x_{t−1}‖: the sizes one step's roundings scale with (no allocation: it runs per seed and step). */
function stepScale(x: Float64Array, prev: Float64Array): number {
  let a = 0, b = 0, c = 0;
  for (let i = 0; i < x.length; i++) {
    a += x[i] * x[i];
    b += prev[i] * prev[i];
    c += (x[i] - prev[i]) ** 2;
  }
  return Math.sqrt(a) + Math.sqrt(b) + Math.sqrt(c);
}

/** Per-witness accumulators, indexed by step t (0..T). */
interface Track extends Checked {
  /** The scope with one seed's observables at one step (reused: see observe). */
  observed: Scope;
  /** values[t][s]: the quantity of seed s at step t (NaN until seen). */
  values: Float64Array[];
  /** errors[t][s], gradNorms[t][s]: the iterate error bound e and ‖∇f(x_t)‖ of seed s (for its tolerance). */
  errors: Float64Array[];
  gradNorms: Float64Array[];
  /** Sum over seeds of the magnitude of the measured side (its float64 evaluation). */
  sumMagnitude: Float64Array;
  /** sampleGrad2[t][s] = E_i‖∇f_i(x_t)‖² of seed s (only when the bound uses C2_t). */
  sampleGrad2: Float64Array[];
  curve?: Curve & { lower: number[]; upper: number[] };
}

/** Per-row (witness × seed) running state. */
interface Row { of: Track; seed: number; prev?: Float64Array; e: number; sumGrad2: number }

export async function checkExpectation(
  th: Theorem, st: Statement, witnesses: readonly Witness[], opts: ExpectationOptions, tally: Tally, curves: Curve[],
): Promise<ExpectationStatistics> {
  const read = readStatement(th, st, expectedQuantity, 'an expectation statement is one relation E(quantity) <= bound');
  const { part, quantity, magnitude, kind } = read;
  const usesC2 = read.symbols.has('C2_t');
  const needsGradient = read.symbols.has('avggrad2_t');
  const from = opts.from ?? th.from ?? 0;
  const S = opts.seeds;
  const T = opts.steps;
  // A bound with C2_t uses a second interval per step (C²'s upper end): both count.
  // C²'s intervals are formed at every k < T, whatever step the checks start from.
  const comparisons = Math.max(1, witnesses.length * ((T - from + 1) + (usesC2 ? T : 0)));
  const q = halfWidthFactor(S, comparisons, opts.alpha);

  // One batch per (family, dimension); its rows are each witness repeated S times.
  const tracks = await checkWitnesses<Track, Row>(th, witnesses, opts, tally, curves, {
    draws: 'expectation',
    witness: (c) => {
      if (c.curve) Object.assign(c.curve, { lower: [], upper: [] });
      return {
        ...c, observed: { ...c.scope },
        values: Array.from({ length: T + 1 }, () => new Float64Array(S).fill(NaN)),
        errors: Array.from({ length: T + 1 }, () => new Float64Array(S)),
        gradNorms: Array.from({ length: T + 1 }, () => new Float64Array(S)),
        sumMagnitude: new Float64Array(T + 1),
        sampleGrad2: usesC2 ? Array.from({ length: T + 1 }, () => new Float64Array(S).fill(NaN)) : [],
      } as Track;
    },
    rows: (track) => Array.from({ length: S }, (_, seed) => ({ of: track, seed, e: 0, sumGrad2: 0 })),
    step: observe,
  });

  function observe(row: Row, t: number, xt: Float64Array): void {
    const tr = row.of;
    const inst = tr.witness.instance;
    if (!allFinite(xt)) { tr.values[t][row.seed] = Infinity; return; }
    if (row.prev) row.e += STEP_ROUNDINGS * EPS32 * stepScale(xt, row.prev);
    const xs = inst.nearestMinimiser(xt);
    const distance = xs ? dist(xt, xs) : NaN;
    // The gradient is needed for avggrad2_t; elsewhere only its norm, for the tolerance, where
    // ‖∇f(x)‖ ≤ L‖x − x*‖ (L-smooth, ∇f(x*) = 0) saves evaluating it for every seed and step.
    const gradNorm = needsGradient || !Number.isFinite(distance * tr.L) ? norm(inst.grad(xt)) : tr.L * distance;
    // avggrad2_t averages ‖∇f(x_k)‖² over k < t, so x_t's own gradient joins after this step.
    // One scope per witness, its observables overwritten: a fresh copy per seed and step is most of the time.
    const scope = tr.observed;
    scope.t = t;
    scope.f_t = inst.value(xt);
    scope.dist_t = distance;
    scope.avggrad2_t = t > 0 ? row.sumGrad2 / t : NaN;
    row.sumGrad2 += gradNorm ** 2;
    tr.values[t][row.seed] = Number(quantity.evaluate(scope));
    tr.sumMagnitude[t] += Number(magnitude.evaluate(scope));
    tr.errors[t][row.seed] = row.e;
    tr.gradNorms[t][row.seed] = gradNorm;
    if (usesC2) tr.sampleGrad2[t][row.seed] = inst.sampleGrad2!(xt);
    row.prev = xt;
  }

  let closest: ExpectationStatistics['closest'];
  let closestExcess = -Infinity;
  for (const tr of tracks) {
    let c2 = -Infinity;
    for (let t = 0; t <= T; t++) {
      const values = tr.values[t];
      // A step no seed reached: the batch stopped at another witness's divergence (that one is the violation).
      if (t >= from && Number.isNaN(values[0])) tally.skip();
      if (t >= from && !Number.isNaN(values[0])) {
        const scope: Scope = { ...tr.scope, ...tr.sequences(t), t, C2_t: c2 };
        const b = Number(part.bound.evaluate(scope));
        const finite = values.every(Number.isFinite);
        const iv: Interval = finite ? meanInterval(values, q) : { n: S, mean: Infinity, sd: NaN, lo: Infinity, hi: Infinity };
        // The mean's floor is the mean of the seeds' floors.
        const evalTol = evaluationTolerance(tr.sumMagnitude[t] / S);
        const toleranceAt = (bound: number) => {
          let floor = 0;
          for (let s = 0; s < S; s++) floor += tolerance(kind, tr.errors[t][s], bound, tr.L, tr.gradNorms[t][s]) / S;
          return floor + evalTol;
        };
        const tol = toleranceAt(b);
        // As for runs, a violation must also clear the bound at its constants nudged by 1e-12.
        const judged = judge(part, tr, scope, {
          t, measured: iv.mean, beyond: iv.lo, bound: b, tolerance: tol, toleranceAt,
          interval: { lo: iv.lo, hi: iv.hi, seeds: iv.n, sd: iv.sd }, divergence: !finite && Number.isFinite(b),
        }, tally);
        if (tr.curve) { tr.curve.lower.push(iv.lo); tr.curve.upper.push(iv.hi); }
        const excess = (iv.lo - b) / Math.abs(b);
        // Only where the bound says something: at b = 0 every noise is "beyond" it.
        if (t >= 1 && judged.resolved && excess > closestExcess) {
          closestExcess = excess;
          closest = { family: tr.witness.family.id, step: t, mean: iv.mean, lo: iv.lo, hi: iv.hi, bound: b, tolerance: tol };
        }
        opts.observe?.(tr.index, { t, interval: iv, bound: b, tolerance: tol, resolved: judged.resolved, ...(judged.counterexample ? { counterexample: judged.counterexample } : {}) });
      }
      // C2_t covers k < t, so x_t joins after its own step is checked. KNS need
      // E‖∇f_i(x_k)‖² ≤ C² in total expectation: its estimate is the upper end of the interval for the mean.
      if (usesC2 && !Number.isNaN(tr.sampleGrad2[t][0])) {
        const g2 = tr.sampleGrad2[t];
        c2 = Math.max(c2, g2.every(Number.isFinite) ? meanInterval(g2, q).hi : Infinity);
      }
    }
  }
  const method = methodText(opts.alpha, comparisons, S) + (usesC2
    ? '; C² is the upper end of a t interval for E_i‖∇f_i(x_k)‖², which errs on the optimistic side for right-skewed data, so for this bound the level is approximate'
    : '');
  return { method, seeds: S, comparisons, alpha: opts.alpha, q, ...(closest ? { closest } : {}) };
}
