/**
 * Run theorems: the theorem's algorithm on batches of witnesses (real
 * TensorFlow.js optimisers, float32), the statement checked at every step in
 * float64 on the downloaded iterate, with the tolerance of src/engine/precision.ts.
 * The witnesses, batches and comparisons are the skeleton's (checker.ts); here,
 * one row per witness and what it measures at each step.
 */
import { objectiveValue, type Instance } from '../classes/types.ts';
import { errorGain, evaluationTolerance, FLOAT64_EVALUATION, tolerance } from '../engine/precision.ts';
import { referenceStep } from '../optimizers/referenceStep.ts';
import { optimizerById } from '../optimizers/index.ts';
import { allFinite, dist, norm, type Vec } from '../numeric/linalg.ts';
import type { Statement } from '../language/statement.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample, Curve } from './result.ts';
import { checkWitnesses, counterexample, judge, readStatement, type Checked, type CheckOptions, type ReadStatement } from './checker.ts';
import type { Scope } from './scope.ts';
import type { Tally } from './tally.ts';
import type { Witness } from './witnesses.ts';

export interface RunOptions extends CheckOptions {
  /**
   * `tfjs` (default): real TensorFlow.js runs in float32. `float64`: the
   * optimiser's exact step (src/optimizers/referenceStep.ts) in float64, the
   * same checks; searches use it to explore, and confirm on tfjs.
   */
  driver?: 'tfjs' | 'float64';
  /** Sees every checked step of witness `index` (its position in `witnesses`). */
  observe?: (index: number, step: StepCheck) => void;
  /** Keep checking a run after its first violation (a search measures the largest excess). */
  continueAfterViolation?: boolean;
}

/** One checked step, as `observe` sees it. */
export interface StepCheck {
  t: number;
  measured: number;
  bound: number;
  tolerance: number;
  /** The tolerance is at most RESOLVED_FRACTION of the bound. */
  resolved: boolean;
  /** When measured > bound + tolerance: the bound at the nudged constants, and its tolerance (what a violation must exceed). */
  upper?: number;
  upperTolerance?: number;
  /** Beyond the tolerance at the nudged bound too: the record is the counterexample. */
  counterexample?: Counterexample;
}

/** The state of one witness's run being checked. */
interface Row {
  of: Checked;
  /** Error propagation of the method (precision.ts errorGain) at lags 0..T−1, and the measured step roundings so far. */
  gains: Float64Array;
  xis: number[];
  /** The scope the statement is evaluated in, its observables overwritten at every step. */
  observed: Scope;
  fprev: number;
  mingrad2: number;
  /** iterate error bound e_t */
  e: number;
  /** x̂_{t−1} and x̂_{t−2}, for the reference step */
  prev?: Vec;
  prev2?: Vec;
  /** The witness's instance for the reference step, handing back once the gradient at x̂_{t−1} measured at step t − 1 (see remembering). */
  reference: Instance;
  remember(x: Vec, g: Vec): void;
  dead: boolean;
  /** The last step checked: a batch ends at its first overflowing row, so its other rows may stop short. */
  lastT?: number;
}

/** What a run's step measures: only the observables the statement (or its tolerance) uses. */
interface Needs { value: boolean; gradient: boolean; distance: boolean }

export async function checkRun(th: Theorem, st: Statement, witnesses: readonly Witness[], opts: RunOptions, tally: Tally, curves: Curve[]): Promise<void> {
  const read = readStatement(th, st, (lhs) => lhs, 'a run statement is one relation quantity <= bound');
  const { symbols } = read;
  const needs: Needs = {
    value: symbols.has('f_t') || symbols.has('f_prev'),
    gradient: read.kind === 'value' || symbols.has('grad2_t') || symbols.has('mingrad2_t'),
    distance: symbols.has('dist_t'),
  };
  const algorithm = th.algorithm!;
  const spec = optimizerById(algorithm.optimizer);
  const from = opts.from ?? th.from ?? 0;
  await checkWitnesses<Checked, Row>(th, witnesses, opts, tally, curves, {
    draws: 'runs',
    driver: opts.driver,
    witness: (c) => c,
    rows: (c) => {
      const { hyper, L } = c;
      const mu = c.witness.instance.cert.mu;
      const gamma = c.parameters.gamma ?? hyper.lr ?? 1 / L;
      const gain = spec.errorGain
        ? spec.errorGain(hyper, { L, mu })
        : errorGain({ optimizer: algorithm.optimizer, gamma, L, mu, momentum: hyper.momentum });
      const f0 = c.scope.f_0 as number;
      return [{
        of: c, gains: Float64Array.from({ length: opts.steps }, (_, k) => gain(k)), xis: [], observed: { ...c.scope },
        fprev: f0, mingrad2: Infinity, e: 0, dead: false, ...remembering(c.witness.instance),
      }];
    },
    // The float64 driver's iterate is the reference step itself.
    step: (row, t, x) => advance(row, t, x, opts.driver === 'float64'),
    // A row whose float32 run overflowed goes on with exact float64 steps from the last finite
    // iterate (see overflowed): the float32 range ran out, not necessarily the bound. The batch
    // stopped there for every row, so its other rows go on the same way from their last step.
    batchDone: (rows) => {
      for (const row of rows) {
        for (let t = (row.lastT ?? opts.steps) + 1; t <= opts.steps && !row.dead; t++) {
          advance(row, t, referenceStep(algorithm.optimizer, row.reference, row.of.hyper, row.prev!, row.prev2 ?? row.prev!, t - 1)!, true);
        }
      }
    },
  });

  function advance(row: Row, t: number, xt: Vec, exact: boolean): void {
    if (row.dead) return;
    checkStep(th, read, needs, row, t, xt, exact, from, tally, opts);
    row.lastT = t;
  }
}

/**
 * The instance as the reference step sees it: the step from x̂_{t−1} takes the
 * gradient there, which step t − 1 measured already (‖∇f‖ for the tolerance).
 * The gradient is a pure function of the point, so handing it back changes no
 * value; it is handed back once, for the very array it was measured at.
 */
function remembering(inst: Instance): Pick<Row, 'reference' | 'remember'> {
  let at: Vec | undefined, grad: Vec | undefined;
  const reference = Object.create(inst, {
    grad: {
      value: (x: ArrayLike<number>): Vec => {
        if (x !== at) return inst.grad(x);
        const g = grad!;
        at = grad = undefined;
        return g;
      },
    },
  }) as Instance;
  return { reference, remember: (x, g) => { at = x; grad = g; } };
}

/**
 * A run whose iterate overflowed: that is a violation only where the bound
 * itself is finite. The exact step from the last finite iterate (float64)
 * stands in for the lost one: when it is finite it is checked like any
 * iterate (an overflowing value then exceeds any finite bound); when it
 * overflows too, the bound decides. A bound that grows as fast as the run
 * (a contraction factor above 1 beyond γ = 2/L) is not violated by float32
 * running out of range.
 */
function overflowed(th: Theorem, read: ReadStatement, row: Row, t: number): { exact?: Vec; bound: number } {
  const c = row.of;
  const exact = row.prev ? referenceStep(th.algorithm!.optimizer, row.reference, c.hyper, row.prev, row.prev2 ?? row.prev, t - 1) : undefined;
  if (exact && exact.every(Number.isFinite)) return { exact, bound: NaN };
  let bound = NaN;
  try {
    bound = Number(read.part.bound.evaluate({
      ...c.scope, ...c.sequences(t), t, f_t: Infinity, f_prev: row.fprev, dist_t: Infinity, grad2_t: Infinity, mingrad2_t: row.mingrad2,
    }));
  } catch {
    // a bound that cannot be evaluated at the overflow says nothing
  }
  return { bound };
}

/**
 * Step t of a row at iterate xt (`exact`: xt is the float64 reference step
 * from the row's last iterate, so its rounding is float64's alone).
 */
function checkStep(
  th: Theorem, read: ReadStatement, needs: Needs, row: Row, t: number, xt: Vec, exact: boolean, from: number,
  tally: Tally, opts: Pick<RunOptions, 'observe' | 'continueAfterViolation'>,
): void {
  const { part, kind } = read;
  const c = row.of;
  const inst = c.witness.instance;
  const diverged = !allFinite(xt);
  if (diverged) {
    row.dead = true;
    const o = overflowed(th, read, row, t);
    if (!o.exact) {
      if (!Number.isFinite(o.bound)) {
        opts.observe?.(c.index, { t, measured: Infinity, bound: o.bound, tolerance: 0, resolved: false });
        return;
      }
      tally.check(true, -Infinity);
      const found = counterexample(part, c, t, NaN, o.bound, 0, { divergence: true });
      tally.violation(found);
      opts.observe?.(c.index, { t, measured: Infinity, bound: o.bound, tolerance: 0, resolved: true, counterexample: found });
      return;
    }
    xt = o.exact;
    exact = true;
    row.dead = false;
  }
  const ft = needs.value ? objectiveValue(inst, xt) : NaN;
  const g = needs.gradient ? inst.grad(xt) : undefined;
  const gradNorm = g ? norm(g) : NaN;
  const xs = needs.distance ? inst.nearestMinimiser(xt) : undefined;
  // e_t: the rounding of the step that produced x̂_t, measured against the exact step from x̂_{t−1}.
  if (t > 0) {
    const reference = exact ? xt : referenceStep(th.algorithm!.optimizer, row.reference, c.hyper, row.prev!, row.prev2 ?? row.prev!, t - 1);
    if (!reference) throw new Error(`no float64 reference step for optimiser '${th.algorithm!.optimizer}': its runs cannot be given a tolerance`);
    // Plus the float64 rounding of the reference step, relative to the terms it combines.
    const terms = norm(xt) + norm(row.prev!) + norm(row.prev2 ?? row.prev!) + dist(reference, row.prev!);
    const xi = dist(xt, reference) + FLOAT64_EVALUATION * terms;
    row.xis.push(xi);
    row.e = th.perStep ? xi : accumulated(row.xis, row.gains, t);
  }
  if (t >= from) {
    const scope = row.observed;
    Object.assign(scope, c.sequences(t));
    scope.t = t;
    scope.f_t = ft;
    scope.f_prev = row.fprev;
    scope.dist_t = xs ? dist(xt, xs) : NaN;
    scope.grad2_t = gradNorm ** 2;
    scope.mingrad2_t = row.mingrad2;
    const b = Number(part.bound.evaluate(scope));
    const m = Number(read.quantity.evaluate(scope));
    const evalTol = evaluationTolerance(Number(read.magnitude.evaluate(scope)));
    // F = f + h moves by at most (‖∇f‖ + h's Lipschitz constant)·e + (L/2)e² when the iterate moves by e
    const slope = gradNorm + (inst.nonsmooth?.lipschitz ?? 0);
    const toleranceAt = (bound: number) => tolerance(kind, row.e, bound, c.L, slope) + evalTol;
    const tol = toleranceAt(b);
    // the exact step may overflow the observable itself: beyond any finite bound
    const divergence = (m === Infinity || (diverged && Number.isNaN(m))) && Number.isFinite(b);
    const judged = judge(part, c, scope, { t, measured: m, beyond: m, bound: b, tolerance: tol, toleranceAt, divergence }, tally);
    if (judged.counterexample) row.dead = divergence || !opts.continueAfterViolation;
    opts.observe?.(c.index, { t, measured: m, bound: b, tolerance: tol, ...judged });
  }
  row.fprev = ft;
  row.mingrad2 = Math.min(row.mingrad2, gradNorm ** 2);
  row.prev2 = row.prev;
  row.prev = xt;
  if (g) row.remember(xt, g);
}

/** e_t = Σ_s gain(t − 1 − s)·ξ_s: the roundings of every step so far, each grown by the steps after it. */
function accumulated(xis: readonly number[], gains: Float64Array, t: number): number {
  let e = 0;
  for (let s = 0; s < xis.length; s++) e += gains[t - 1 - s] * xis[s];
  return e;
}
