/**
 * Run theorems: the theorem's algorithm on batches of witnesses (real
 * TensorFlow.js optimisers, float32), the statement checked at every step in
 * float64 on the downloaded iterate, with the tolerance of src/engine/precision.ts.
 */
import { parse, type EvalFunction } from 'mathjs';
import type { Instance } from '../classes/types.ts';
import { errorGain, evaluationTolerance, FLOAT64_EVALUATION, RESOLVED_FRACTION, tolerance, toleranceKind, type ToleranceKind } from '../engine/precision.ts';
import { referenceStep } from '../optimizers/referenceStep.ts';
import { optimizerById } from '../optimizers/index.ts';
import { allFinite, dist, norm, type Vec } from '../numeric/linalg.ts';
import { makeRng } from '../numeric/rng.ts';
import { magnitudeOf, type Statement, type StatementPart } from '../language/statement.ts';
import { compileNumeric } from '../language/numeric.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample, Curve } from './result.ts';
import { runBatch } from '../runs/run.ts';
import { runFloat64 } from '../runs/run64.ts';
import { startScope, type Scope } from './scope.ts';
import type { Tally } from './tally.ts';
import type { Witness } from './witnesses.ts';

export interface RunOptions {
  steps: number;
  seed: number;
  set?: Record<string, number | string>;
  from?: number;
  /** Curves kept per family for plots. */
  curvesPerFamily: number;
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

/** Per-instance state of a run being checked. */
interface Row {
  witness: Witness;
  /** Position in the witnesses checked. */
  index: number;
  scope: Scope;
  parameters: Record<string, number>;
  gamma: number;
  L: number;
  /** Error propagation of the method (precision.ts errorGain), and the measured step roundings so far. */
  gain: (k: number) => number;
  xis: number[];
  /** This row's hyperparameter values, for the float64 reference step. */
  hyper: Record<string, number>;
  f0: number;
  fprev: number;
  mingrad2: number;
  /** iterate error bound e_t */
  e: number;
  /** x̂_{t−1} and x̂_{t−2}, for the reference step */
  prev?: Vec;
  prev2?: Vec;
  dead: boolean;
  /** The float32 run overflowed at this step and the row goes on in float64 after it. */
  resumeAt?: number;
  /** The last step checked: a batch ends at its first overflowing row, so its other rows may stop short. */
  lastT?: number;
  /** The constants and parameters nudged by BOUND_PERTURBATION (see nudgedBound). */
  perturbed: Scope[];
  curve?: Curve;
}

export async function checkRun(th: Theorem, st: Statement, witnesses: readonly Witness[], opts: RunOptions, tally: Tally, curves: Curve[]): Promise<void> {
  const part = st.parts[0];
  if (st.parts.length !== 1 || part.relation !== '<=') throw new Error(`${th.id}: a run statement is one relation quantity <= bound`);
  const kind = toleranceKind(part.lhs);
  const magnitude = compileNumeric(magnitudeOf(part.lhs));
  const algorithm = th.algorithm!;
  const spec = optimizerById(algorithm.optimizer);
  const hyperExpr = Object.entries(algorithm.hyper).map(([k, v]) => [k, parse(v).compile()] as const);
  const sequences = Object.entries(th.sequences ?? {}).map(([name, s]) => ({ name, ...s, next: parse(s.next).compile() }));
  const rng = makeRng(opts.seed);
  const from = opts.from ?? th.from ?? 0;

  // One batch per (family, dimension): rows never mix, so any split is the same run.
  const groups = new Map<string, Witness[]>();
  const indexOf = new Map<Witness, number>(witnesses.map((w, i) => [w, i]));
  for (const w of witnesses) {
    const key = `${w.family.id}/${w.instance.dim}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(w);
  }
  const keptCurves: Record<string, number> = {};

  for (const group of groups.values()) {
    const family = group[0].family;
    const rows: Row[] = group.map((w) => {
      // The algorithm starts from x0 rounded to float32; R and Δ0 are measured there, so e_0 = 0.
      const { parameters, scope } = startScope(th, w, rng, opts.set);
      const f0 = scope.f_0 as number;
      const L = w.instance.cert.L ?? Infinity;
      const hyper = hyperValues(hyperExpr, scope);
      const gamma = parameters.gamma ?? hyper.lr ?? 1 / L;
      tally.instance(family.id);
      const curve = (keptCurves[family.id] ?? 0) < opts.curvesPerFamily
        ? { family: family.id, label: curveLabel(w.instance, parameters), measured: [], bound: [], tolerance: [] } : undefined;
      if (curve) { keptCurves[family.id] = (keptCurves[family.id] ?? 0) + 1; curves.push(curve); }
      return {
        witness: w, index: indexOf.get(w)!, scope, parameters, gamma, L,
        gain: spec.errorGain
          ? spec.errorGain(hyper, { L, mu: w.instance.cert.mu })
          : errorGain({ optimizer: algorithm.optimizer, gamma, L, mu: w.instance.cert.mu, momentum: hyper.momentum }),
        xis: [],
        perturbed: perturbations(scope, ['L', 'mu', 'lambda', 'R', 'Delta0', ...Object.keys(parameters)], rng),
        hyper, f0, fprev: f0, mingrad2: Infinity, e: 0, dead: false, curve,
      };
    });
    const hyper = Object.fromEntries(hyperExpr.map(([k]) => [k, rows.map((r) => r.hyper[k])]));
    const seqValues = rows.map(() => Object.fromEntries(sequences.map((s) => [s.name, s.start])));

    const drive = opts.driver === 'float64' ? runFloat64 : runBatch;
    await drive({
      family,
      instances: group.map((w) => w.instance),
      x0: group.map((w) => Float32Array.from(w.instance.x0)),
      optimizer: algorithm.optimizer,
      hyper,
      steps: opts.steps,
      seed: opts.seed,
      onStep: (t: number, x: Float32Array | Float64Array, d: number, rowIds: readonly number[]) => {
        rowIds.forEach((r, k) => advance(r, t, Float64Array.from(x.subarray(k * d, (k + 1) * d))));
      },
    });
    // A row whose float32 run overflowed goes on with exact float64 steps from the last finite
    // iterate (see overflowed): the float32 range ran out, not necessarily the bound. The batch
    // stopped there for every row, so its other rows go on the same way from their last step.
    rows.forEach((row, r) => {
      for (let t = (row.lastT ?? opts.steps) + 1; t <= opts.steps && !row.dead; t++) {
        advance(r, t, referenceStep(algorithm.optimizer, row.witness.instance, row.hyper, row.prev!, row.prev2 ?? row.prev!, t - 1)!);
      }
    });

    function advance(r: number, t: number, xt: Vec): void {
      const row = rows[r];
      if (row.dead) return;
      for (const s of sequences) {
        if (t > s.at) seqValues[r][s.name] = Number(s.next.evaluate({ ...row.scope, [s.name]: seqValues[r][s.name] }));
      }
      checkStep(th, part, kind, magnitude, row, t, xt, from, seqValues[r], tally, opts);
      row.lastT = t;
    }
  }
}

/** The algorithm's hyperparameters for one instance, from their expressions. */
function hyperValues(exprs: readonly (readonly [string, EvalFunction])[], scope: Scope): Record<string, number> {
  return Object.fromEntries(exprs.map(([k, e]) => [k, Number(e.evaluate({ ...scope }))]));
}

/** Parameter names as the plots' legends write them. */
const LEGEND_NAMES: Readonly<Record<string, string>> = { gamma: 'γ', alpha: 'α', beta: 'β', mu: 'μ', lambda: 'λ' };

/** A witness in a plot legend: its family, dimension, constants (and noise) and the theorem's parameters. */
export function curveLabel(inst: Instance, parameters: Record<string, number>): string {
  const c = inst.cert;
  const bits = [`d=${inst.dim}`];
  if (c.L !== undefined) bits.push(`L=${c.L.toPrecision(3)}`);
  if (c.mu !== undefined) bits.push(`μ=${c.mu.toPrecision(3)}`);
  if (c.noise) bits.push(`M=${c.noise.M.toPrecision(3)}`);
  for (const [k, v] of Object.entries(parameters)) bits.push(`${LEGEND_NAMES[k] ?? k}=${v.toPrecision(3)}`);
  return `${inst.family} ${bits.join(' ')}`;
}

/**
 * The bound at the instance's constants and at a few relative nudges of them
 * by 1e-12, the largest value taken. A bound like (1 − 2γμL/(μ+L))^t at
 * γ = 2/(μ+L) and μ ≈ L has a base that float64 gets only to ±1e-16 (it may
 * even come out negative); the constants themselves are certified to about
 * that, so the bound is only known to this precision, and a planted violation
 * (a factor, not 1e-12) is not hidden by it.
 */
const BOUND_PERTURBATION = 1e-12;

/** Nudged copies of the constants and parameters (not of measured values: f_0, f*, t). */
export function perturbations(scope: Scope, names: readonly string[], rng: ReturnType<typeof makeRng>): Scope[] {
  return [1, -1, 0, 0].map((sign) => Object.fromEntries(names.filter((k) => typeof scope[k] === 'number').map((k) =>
    [k, (scope[k] as number) * (1 + BOUND_PERTURBATION * (sign || (rng.next() < 0.5 ? -1 : 1)))])));
}

/** The largest value of the bound over the nudged constants (only asked for when a check would fail). */
export function nudgedBound(part: StatementPart, scope: Scope, perturbed: readonly Scope[], exact: number): number {
  let upper = exact;
  for (const p of perturbed) {
    const v = Number(part.bound.evaluate({ ...scope, ...p, t: scope.t }));
    if (v > upper) upper = v;
  }
  return upper;
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
function overflowed(th: Theorem, part: StatementPart, row: Row, t: number, seq: Record<string, number>): { exact?: Vec; bound: number } {
  const exact = row.prev ? referenceStep(th.algorithm!.optimizer, row.witness.instance, row.hyper, row.prev, row.prev2 ?? row.prev, t - 1) : undefined;
  if (exact && exact.every(Number.isFinite)) return { exact, bound: NaN };
  let bound = NaN;
  try {
    bound = Number(part.bound.evaluate({
      ...row.scope, ...seq, t, f_t: Infinity, f_prev: row.fprev, dist_t: Infinity, grad2_t: Infinity, mingrad2_t: row.mingrad2,
    }));
  } catch {
    // a bound that cannot be evaluated at the overflow says nothing
  }
  return { bound };
}

function checkStep(
  th: Theorem, part: StatementPart, kind: ToleranceKind, magnitude: EvalFunction, row: Row, t: number, xt: Vec, from: number,
  seq: Record<string, number>, tally: Tally, opts: Pick<RunOptions, 'observe' | 'continueAfterViolation'>,
): void {
  const inst = row.witness.instance;
  const diverged = !allFinite(xt);
  if (diverged) {
    row.dead = true;
    const o = overflowed(th, part, row, t, seq);
    if (!o.exact) {
      row.resumeAt = undefined;
      if (!Number.isFinite(o.bound)) {
        opts.observe?.(row.index, { t, measured: Infinity, bound: o.bound, tolerance: 0, resolved: false });
        return;
      }
      tally.check(true, -Infinity);
      const c = counterexample(part, row, t, NaN, o.bound, 0, true);
      tally.violation(c);
      opts.observe?.(row.index, { t, measured: Infinity, bound: o.bound, tolerance: 0, resolved: true, counterexample: c });
      return;
    }
    xt = o.exact;
    if (row.resumeAt === undefined) row.resumeAt = t;
    row.dead = false;
  }
  const ft = inst.value(xt);
  const g = inst.grad(xt);
  const gradNorm = norm(g);
  const xs = inst.nearestMinimiser(xt);
  // e_t: the rounding of the step that produced x̂_t, measured against the exact step from x̂_{t−1}.
  if (t > 0) {
    const exact = referenceStep(th.algorithm!.optimizer, inst, row.hyper, row.prev!, row.prev2 ?? row.prev!, t - 1);
    if (!exact) throw new Error(`no float64 reference step for optimiser '${th.algorithm!.optimizer}': its runs cannot be given a tolerance`);
    // Plus the float64 rounding of the reference step itself.
    // Plus the float64 rounding of the reference step, relative to the terms it combines.
    const terms = norm(xt) + norm(row.prev!) + norm(row.prev2 ?? row.prev!) + dist(exact, row.prev!);
    const xi = dist(xt, exact) + FLOAT64_EVALUATION * terms;
    row.xis.push(xi);
    row.e = th.perStep ? xi : row.xis.reduce((e, x, s) => e + row.gain(t - 1 - s) * x, 0);
  }
  const scope: Scope = {
    ...row.scope, ...seq, t,
    f_t: ft, f_prev: row.fprev, dist_t: xs ? dist(xt, xs) : NaN, grad2_t: gradNorm ** 2, mingrad2_t: row.mingrad2,
  };
  if (t >= from) {
    // Resolution and margins use the bound itself; a violation must also exceed the nudged bound.
    const b = Number(part.bound.evaluate(scope));
    const m = Number(part.quantity.evaluate(scope));
    const evalTol = evaluationTolerance(Number(magnitude.evaluate(scope)));
    const tol = tolerance(kind, row.e, b, row.L, gradNorm) + evalTol;
    // A zero bound (x0 = x*) resolves nothing: there is no size to compare with.
    const resolved = b > 0 && tol <= RESOLVED_FRACTION * b;
    // t = 0 is checked but not counted: most bounds equal the start value there.
    if (t >= 1) tally.check(resolved, (b - m) / b);
    if (row.curve) { row.curve.measured.push(m); row.curve.bound.push(b); row.curve.tolerance.push(tol); }
    let found: Counterexample | undefined;
    let nudged: { upper: number; upperTolerance: number } | undefined;
    if ((m === Infinity || (diverged && Number.isNaN(m))) && Number.isFinite(b)) {
      // the exact step overflows the observable itself: beyond any finite bound
      row.dead = true;
      found = counterexample(part, row, t, m, b, Number.isFinite(tol) ? tol : 0, true);
      tally.violation(found);
    } else if (m > b + tol) {
      const upper = nudgedBound(part, scope, row.perturbed, b);
      const tolUpper = tolerance(kind, row.e, upper, row.L, gradNorm) + evalTol;
      nudged = { upper, upperTolerance: tolUpper };
      if (m > upper + tolUpper) {
        row.dead = !opts.continueAfterViolation;
        found = counterexample(part, row, t, m, upper, tolUpper, false);
        tally.violation(found);
      }
    }
    opts.observe?.(row.index, { t, measured: m, bound: b, tolerance: tol, resolved, ...nudged, ...(found ? { counterexample: found } : {}) });
  }
  row.fprev = ft;
  row.mingrad2 = Math.min(row.mingrad2, gradNorm ** 2);
  row.prev2 = row.prev;
  row.prev = xt;
}

/** A part's text, made once: mathjs's toString is slow, and a search records many violations. */
const relationText = new WeakMap<StatementPart, string>();

function counterexample(part: StatementPart, row: Row, step: number, measured: number, bound: number, tol: number, divergence: boolean) {
  let relation = relationText.get(part);
  if (relation === undefined) relationText.set(part, (relation = `${part.lhs} ${part.relation} ${part.rhs}`));
  return {
    family: row.witness.family.id,
    params: row.witness.instance.params,
    parameters: row.parameters,
    part: 0,
    relation,
    step, measured, bound, tolerance: tol,
    ...(divergence ? { divergence: true } : {}),
  };
}
