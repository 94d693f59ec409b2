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
 * by 1e-12 (runCheck.ts nudgedBound): the bound's own float64 error.
 */
import { parse, type MathNode } from 'mathjs';
import { evaluationTolerance, RESOLVED_FRACTION, tolerance } from '../engine/precision.ts';
import { allFinite, dist, norm } from '../numeric/linalg.ts';
import { makeRng } from '../numeric/rng.ts';
import { optimizerById } from '../optimizers/index.ts';
import { magnitudeOf, type Statement } from '../language/statement.ts';
import { compileNumeric } from '../language/numeric.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample, Curve, ExpectationStatistics } from './result.ts';
import { runBatch } from '../runs/run.ts';
import { curveLabel, nudgedBound, perturbations } from './runCheck.ts';
import { toleranceKind } from '../engine/precision.ts';
import { startScope, type Scope } from './scope.ts';
import { halfWidthFactor, meanInterval, methodText, type Interval } from './statistics.ts';
import type { Tally } from './tally.ts';
import type { Witness } from './witnesses.ts';

export interface ExpectationOptions {
  steps: number;
  seed: number;
  /** Independent runs per witness. */
  seeds: number;
  /** Family-wise error rate of the whole verification. */
  alpha: number;
  set?: Record<string, number | string>;
  from?: number;
  curvesPerFamily: number;
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
interface Track {
  witness: Witness;
  scope: Scope;
  /** The constants and parameters nudged by 1e-12 (runCheck.ts perturbations). */
  perturbed: Scope[];
  /** The scope with one seed's observables at one step (reused: see observe). */
  observed: Scope;
  parameters: Record<string, number>;
  L: number;
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
interface Row { track: number; seed: number; prev?: Float64Array; e: number; sumGrad2: number }

export async function checkExpectation(
  th: Theorem, st: Statement, witnesses: readonly Witness[], opts: ExpectationOptions, tally: Tally, curves: Curve[],
): Promise<ExpectationStatistics> {
  const part = st.parts[0];
  if (st.parts.length !== 1 || part.relation !== '<=') throw new Error(`${th.id}: an expectation statement is one relation E(quantity) <= bound`);
  const qNode = expectedQuantity(part.lhs);
  const quantity = compileNumeric(qNode);
  const magnitude = compileNumeric(magnitudeOf(qNode));
  const kind = toleranceKind(qNode);
  const usesC2 = /\bC2_t\b/.test(part.rhs.toString());
  const needsGradient = /\bavggrad2_t\b/.test(qNode.toString());
  const algorithm = th.algorithm!;
  const optimizer = optimizerById(algorithm.optimizer);
  const hyperExpr = Object.entries(algorithm.hyper).map(([name, expr]) => {
    // A categorical hyperparameter may be written by its name (schedule: 'kns').
    const choices = optimizer.hyper.find((h) => h.name === name)?.choices;
    const index = choices?.indexOf(expr) ?? -1;
    return [name, index >= 0 ? { evaluate: () => index } : parse(expr).compile()] as const;
  });
  const from = opts.from ?? th.from ?? 0;
  const S = opts.seeds;
  const T = opts.steps;
  // A bound with C2_t uses a second interval per step (C²'s upper end): both count.
  // C²'s intervals are formed at every k < T, whatever step the checks start from.
  const comparisons = Math.max(1, witnesses.length * ((T - from + 1) + (usesC2 ? T : 0)));
  const q = halfWidthFactor(S, comparisons, opts.alpha);
  const rng = makeRng(opts.seed);
  // Its own stream, so that the nudges leave the parameters drawn from `rng` as they were.
  const nudges = makeRng((opts.seed ^ 0x5bd1e995) >>> 0);
  const keptCurves: Record<string, number> = {};

  const tracks: Track[] = witnesses.map((w) => {
    const { parameters, scope } = startScope(th, w, rng, opts.set);
    tally.instance(w.family.id);
    const keep = (keptCurves[w.family.id] ?? 0) < opts.curvesPerFamily;
    let curve: Track['curve'];
    if (keep) {
      keptCurves[w.family.id] = (keptCurves[w.family.id] ?? 0) + 1;
      curve = { family: w.family.id, label: curveLabel(w.instance, parameters), measured: [], bound: [], tolerance: [], lower: [], upper: [] };
      curves.push(curve);
    }
    return {
      witness: w, scope, observed: { ...scope }, parameters, L: w.instance.cert.L ?? Infinity,
      perturbed: perturbations(scope, ['L', 'mu', 'lambda', 'R', 'Delta0', 'M', 'MV', 'sigma2star', 'Lmax', ...Object.keys(parameters)], nudges),
      values: Array.from({ length: T + 1 }, () => new Float64Array(S).fill(NaN)),
      errors: Array.from({ length: T + 1 }, () => new Float64Array(S)),
      gradNorms: Array.from({ length: T + 1 }, () => new Float64Array(S)),
      sumMagnitude: new Float64Array(T + 1),
      sampleGrad2: usesC2 ? Array.from({ length: T + 1 }, () => new Float64Array(S).fill(NaN)) : [], curve,
    };
  });

  // One batch per (family, dimension); its rows are each witness repeated S times.
  const groups = new Map<string, number[]>();
  tracks.forEach((tr, i) => {
    const key = `${tr.witness.family.id}/${tr.witness.instance.dim}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  let groupIndex = 0;
  for (const members of groups.values()) {
    const rows: Row[] = members.flatMap((track) => Array.from({ length: S }, (_, seed) => ({ track, seed, e: 0, sumGrad2: 0 })));
    const hyper = Object.fromEntries(hyperExpr.map(([name, e]) => [name, rows.map((r) => Number(e.evaluate({ ...tracks[r.track].scope })))]));
    const family = tracks[members[0]].witness.family;
    await runBatch({
      family,
      instances: rows.map((r) => tracks[r.track].witness.instance),
      optimizer: algorithm.optimizer,
      hyper,
      steps: T,
      // Distinct streams for every group: rows are numbered from 0 in each.
      seed: (opts.seed + 7919 * groupIndex++) >>> 0,
      onStep: (t, x, d, rowIds) => {
        rowIds.forEach((r, k) => observe(rows[r], t, new Float64Array(x.subarray(k * d, (k + 1) * d))));
      },
    });
  }

  function observe(row: Row, t: number, xt: Float64Array): void {
    const tr = tracks[row.track];
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
  for (const [index, tr] of tracks.entries()) {
    let c2 = -Infinity;
    for (let t = 0; t <= T; t++) {
      const values = tr.values[t];
      // A step no seed reached: the group stopped at another witness's divergence (that one is the violation).
      if (t >= from && Number.isNaN(values[0])) tally.skip();
      if (t >= from && !Number.isNaN(values[0])) {
        const scope: Scope = { ...tr.scope, t, C2_t: c2 };
        const b = Number(part.bound.evaluate(scope));
        const finite = values.every(Number.isFinite);
        const iv: Interval = finite ? meanInterval(values, q) : { n: S, mean: Infinity, sd: NaN, lo: Infinity, hi: Infinity };
        // The mean's floor is the mean of the seeds' floors.
        let floor = 0;
        for (let s = 0; s < S; s++) floor += tolerance(kind, tr.errors[t][s], b, tr.L, tr.gradNorms[t][s]) / S;
        const tol = floor + evaluationTolerance(tr.sumMagnitude[t] / S);
        const resolved = b > 0 && tol <= RESOLVED_FRACTION * b;
        if (t >= 1) tally.check(resolved, (b - iv.mean) / b);
        if (tr.curve) {
          tr.curve.measured.push(iv.mean); tr.curve.bound.push(b); tr.curve.tolerance.push(tol);
          tr.curve.lower.push(iv.lo); tr.curve.upper.push(iv.hi);
        }
        const excess = (iv.lo - b) / Math.abs(b);
        // Only where the bound says something: at b = 0 every noise is "beyond" it.
        if (t >= 1 && resolved && excess > closestExcess) {
          closestExcess = excess;
          closest = { family: tr.witness.family.id, step: t, mean: iv.mean, lo: iv.lo, hi: iv.hi, bound: b, tolerance: tol };
        }
        // As for runs, a violation must also clear the bound at its constants nudged by 1e-12
        // (runCheck.ts): a + (1 − αμ)^t(Δ0 − a) with a ≫ Δ0 is float64 noise at the size of a.
        const beyond = iv.lo > b + tol && Number.isFinite(b) && iv.lo > nudgedBound(part, scope, tr.perturbed, b) + tol;
        const found = beyond ? counterexample(th, part.lhs.toString(), part.rhs.toString(), tr, t, iv, b, tol, !finite) : undefined;
        if (found) tally.violation(found);
        opts.observe?.(index, { t, interval: iv, bound: b, tolerance: tol, resolved, ...(found ? { counterexample: found } : {}) });
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

function counterexample(
  th: Theorem, lhs: string, rhs: string, tr: Track, step: number, iv: Interval, bound: number, tol: number, divergence: boolean,
): Counterexample {
  return {
    family: tr.witness.family.id,
    params: tr.witness.instance.params,
    parameters: tr.parameters,
    part: 0,
    relation: `${lhs} <= ${rhs}`,
    step,
    measured: iv.mean,
    bound,
    tolerance: tol,
    interval: { lo: iv.lo, hi: iv.hi, seeds: iv.n, sd: iv.sd },
    ...(divergence ? { divergence: true } : {}),
  };
}
