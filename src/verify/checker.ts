/**
 * The skeleton both checkers of a theorem's runs share. runCheck.ts checks
 * one run per witness, each step on its own; expectation.ts runs many seeds
 * per witness and checks each step's mean with a confidence interval. Both
 * read the statement as `quantity <= bound`, give every witness its
 * parameters, constants, hyperparameters and curve, drive one batch per
 * (family, dimension) step by step, and compare a step's measured value with
 * its bound the same way (judge): counted in the tally, drawn on the curve,
 * and a violation only beyond the bound at its nudged constants as well. What
 * differs is the checker's part: what a batch row is, what it measures at
 * each step, and when it compares.
 */
import type { EvalFunction, MathNode } from 'mathjs';
import { parse } from '../language/mathjs.ts';
import type { Instance } from '../classes/types.ts';
import { RESOLVED_FRACTION, toleranceKind, type ToleranceKind } from '../engine/precision.ts';
import type { Vec } from '../numeric/linalg.ts';
import { makeRng, type Rng } from '../numeric/rng.ts';
import { optimizerById } from '../optimizers/index.ts';
import { magnitudeOf, symbolsOf, type Statement, type StatementPart } from '../language/statement.ts';
import { compileNumeric } from '../language/numeric.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample, Curve } from './result.ts';
import { runBatch } from '../runs/run.ts';
import { runFloat64 } from '../runs/run64.ts';
import type { RunCache } from '../runs/cache.ts';
import { startScope, type Scope } from './scope.ts';
import type { Tally } from './tally.ts';
import type { Witness } from './witnesses.ts';

export interface CheckOptions {
  steps: number;
  seed: number;
  set?: Record<string, number | string>;
  from?: number;
  /** Curves kept per family for plots. */
  curvesPerFamily: number;
  /** Records the batches' runs and replays an identical one (checks of several statements on the same runs). */
  runs?: RunCache;
}

/** The statement as the checkers read it: one relation `quantity <= bound`. */
export interface ReadStatement {
  part: StatementPart;
  /** What one run measures: the left side, or q in E(q). */
  quantity: EvalFunction;
  /** The magnitude of its float64 evaluation (statement.ts magnitudeOf). */
  magnitude: EvalFunction;
  kind: ToleranceKind;
  /** The names the statement uses: a checker measures only the observables among them. */
  symbols: ReadonlySet<string>;
}

/**
 * The statement's one relation and what is measured on each run: `measured`
 * maps the left side to it (itself for runs, q for E(q)); `form` says what the
 * statement must look like when it does not.
 */
export function readStatement(th: Theorem, st: Statement, measured: (lhs: MathNode) => MathNode, form: string): ReadStatement {
  const part = st.parts[0];
  if (st.parts.length !== 1 || part.relation !== '<=') throw new Error(`${th.id}: ${form}`);
  const node = measured(part.lhs);
  return {
    part,
    quantity: node === part.lhs ? part.quantity : compileNumeric(node),
    magnitude: compileNumeric(magnitudeOf(node)),
    kind: toleranceKind(node),
    symbols: new Set([...symbolsOf(part.lhs), ...symbolsOf(part.rhs)]),
  };
}

/** A witness being checked: what both checkers know of it before anything runs. */
export interface Checked {
  witness: Witness;
  /** Its position in the witnesses (what `observe` reports). */
  index: number;
  scope: Scope;
  parameters: Record<string, number>;
  /** The algorithm's hyperparameters at this witness. */
  hyper: Record<string, number>;
  L: number;
  /** The constants and parameters nudged by BOUND_PERTURBATION (see nudgedBound). */
  perturbed: Scope[];
  curve?: Curve;
  /** The theorem's sequences (FISTA's lambda_t) at step t, by their recurrences. */
  sequences(t: number): Readonly<Record<string, number>>;
}

/** The constants nudged: every one a bound may be written with, and the theorem's parameters. */
const NUDGED = ['L', 'mu', 'lambda', 'R', 'Delta0', 'M', 'MV', 'sigma2star', 'Lmax'];

/** What varies between the checkers. */
export interface CheckerParts<W extends Checked, R extends { of: W }> {
  /**
   * How parameters and nudges are drawn. The checkers drew them differently
   * before they shared this skeleton, and each keeps its way so that every
   * witness keeps the parameters (and every verdict and margin the value) it
   * had: `runs`, one stream, batch by batch, each witness's nudges right after
   * its parameters; `expectation`, parameters in the witnesses' order and the
   * nudges from a stream of their own.
   */
  draws: 'runs' | 'expectation';
  /** `tfjs`: real float32 runs; `float64`: the optimiser's exact step (src/runs/run64.ts). */
  driver?: 'tfjs' | 'float64';
  /** A witness's state for this checker. */
  witness(c: Checked): W;
  /** Its rows in a batch: one run, or one per seed. */
  rows(w: W): R[];
  /** A row's iterate after t updates (a float64 copy). */
  step(row: R, t: number, x: Vec): void;
  /** After a batch ran: rows it stopped short (a run goes on in float64). */
  batchDone?(rows: readonly R[]): void;
}

/** Sets up every witness, runs its batches through `parts`, and returns the witnesses' states in their order. */
export async function checkWitnesses<W extends Checked, R extends { of: W }>(
  th: Theorem, witnesses: readonly Witness[], opts: CheckOptions, tally: Tally, curves: Curve[], parts: CheckerParts<W, R>,
): Promise<W[]> {
  const algorithm = th.algorithm!;
  const hyperExpr = hyperExpressions(th);
  const sequences = sequencesOf(th);
  const rng = makeRng(opts.seed);
  // Its own stream (expectation), so that the nudges leave the parameters drawn from `rng` as they were.
  const nudges = parts.draws === 'runs' ? rng : makeRng((opts.seed ^ 0x5bd1e995) >>> 0);
  // One batch per (family, dimension): rows never mix, so any split is the same run.
  const batches = new Map<string, number[]>();
  witnesses.forEach((w, i) => {
    const key = `${w.family.id}/${w.instance.dim}`;
    if (!batches.has(key)) batches.set(key, []);
    batches.get(key)!.push(i);
  });
  const order = parts.draws === 'runs' ? [...batches.values()].flat() : witnesses.map((_, i) => i);
  const keptCurves: Record<string, number> = {};
  const states: W[] = [];
  for (const index of order) {
    const w = witnesses[index];
    // The algorithm starts from x0 rounded to float32; R and Δ0 are measured there, so e_0 = 0.
    const { parameters, scope } = startScope(th, w, rng, opts.set);
    const hyper = Object.fromEntries(hyperExpr.map(([k, e]) => [k, Number(e.evaluate({ ...scope }))]));
    tally.instance(w.family.id);
    let curve: Curve | undefined;
    if ((keptCurves[w.family.id] ?? 0) < opts.curvesPerFamily) {
      keptCurves[w.family.id] = (keptCurves[w.family.id] ?? 0) + 1;
      curve = { family: w.family.id, label: curveLabel(w.instance, parameters), measured: [], bound: [], tolerance: [] };
      curves.push(curve);
    }
    states[index] = parts.witness({
      witness: w, index, scope, parameters, hyper, L: w.instance.cert.L ?? Infinity,
      perturbed: perturbations(scope, [...NUDGED, ...Object.keys(parameters)], nudges),
      curve, sequences: sequences(scope),
    });
  }

  const driver = parts.driver ?? 'tfjs';
  const drive = driver === 'float64' ? runFloat64 : runBatch;
  let batchIndex = 0;
  for (const members of batches.values()) {
    const rows = members.flatMap((i) => parts.rows(states[i]));
    const spec = {
      family: witnesses[members[0]].family,
      instances: rows.map((r) => r.of.witness.instance),
      x0: rows.map((r) => Float32Array.from(r.of.witness.instance.x0)),
      optimizer: algorithm.optimizer,
      hyper: Object.fromEntries(hyperExpr.map(([k]) => [k, rows.map((r) => r.of.hyper[k])])),
      steps: opts.steps,
      // Distinct streams for every batch: rows are numbered from 0 in each.
      seed: (opts.seed + 7919 * batchIndex++) >>> 0,
      onStep: (t: number, x: Float32Array | Float64Array, d: number, ids: readonly number[]) => {
        // Each row's float64 copy element by element: a subarray view per row and step cost twice the copy (searches run many small rows).
        for (let k = 0; k < ids.length; k++) {
          const row = new Float64Array(d);
          for (let i = 0, o = k * d; i < d; i++) row[i] = x[o + i];
          parts.step(rows[ids[k]], t, row);
        }
      },
    };
    await (opts.runs ? opts.runs.run(driver, drive, spec) : drive(spec));
    parts.batchDone?.(rows);
  }
  return states;
}

/** The algorithm's hyperparameter expressions; a categorical one may be written by its name (schedule: 'kns'). */
function hyperExpressions(th: Theorem): (readonly [string, Pick<EvalFunction, 'evaluate'>])[] {
  const algorithm = th.algorithm!;
  const optimizer = optimizerById(algorithm.optimizer);
  return Object.entries(algorithm.hyper).map(([name, expr]) => {
    const index = optimizer.hyper.find((h) => h.name === name)?.choices?.indexOf(expr) ?? -1;
    return [name, index >= 0 ? { evaluate: () => index } : parse(expr).compile()] as const;
  });
}

/** A witness's sequences by step, each from its start by its recurrence (computed once, as far as asked). */
function sequencesOf(th: Theorem): (scope: Scope) => (t: number) => Readonly<Record<string, number>> {
  const list = Object.entries(th.sequences ?? {}).map(([name, s]) => ({ name, ...s, next: compileNumeric(parse(s.next)) }));
  if (list.length === 0) return () => () => ({});
  return (scope) => {
    const values: Record<string, number>[] = [Object.fromEntries(list.map((s) => [s.name, s.start]))];
    return (t) => {
      for (let k = values.length; k <= t; k++) {
        const prev = values[k - 1];
        values.push(Object.fromEntries(list.map((s) => [s.name, k > s.at ? Number(s.next.evaluate({ ...scope, [s.name]: prev[s.name] })) : prev[s.name]])));
      }
      return values[t];
    };
  };
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
 * (a factor, not 1e-12) is not hidden by it. In expectation, a + (1 − αμ)^t(Δ0 − a)
 * with a ≫ Δ0 is float64 noise at the size of a.
 */
const BOUND_PERTURBATION = 1e-12;

/** Nudged copies of the constants and parameters (not of measured values: f_0, f*, t). */
function perturbations(scope: Scope, names: readonly string[], rng: Rng): Scope[] {
  return [1, -1, 0, 0].map((sign) => Object.fromEntries(names.filter((k) => typeof scope[k] === 'number').map((k) =>
    [k, (scope[k] as number) * (1 + BOUND_PERTURBATION * (sign || (rng.next() < 0.5 ? -1 : 1)))])));
}

/** The largest value of the bound over the nudged constants (only asked for when a check would fail). */
function nudgedBound(part: StatementPart, scope: Scope, perturbed: readonly Scope[], exact: number): number {
  let upper = exact;
  for (const p of perturbed) {
    const v = Number(part.bound.evaluate({ ...scope, ...p, t: scope.t }));
    if (v > upper) upper = v;
  }
  return upper;
}

/** One step's comparison of what was measured with the bound. */
export interface Comparison {
  t: number;
  /** The value counted and drawn: a run's quantity, or the mean over seeds. */
  measured: number;
  /** The value a violation must have beyond the bound: the measured one, or the lower end of its interval. */
  beyond: number;
  bound: number;
  tolerance: number;
  /** The tolerance at another value of the bound (the nudged one). */
  toleranceAt(bound: number): number;
  /** Expectation: the interval, kept in the record. */
  interval?: Counterexample['interval'];
  /** A run whose observable overflowed while the bound is finite: beyond it whatever the nudges. */
  divergence?: boolean;
}

export interface Judged {
  /** The tolerance is at most RESOLVED_FRACTION of the bound. */
  resolved: boolean;
  /** When beyond the bound plus the tolerance: the bound at the nudged constants, and its tolerance (what a violation must exceed). */
  upper?: number;
  upperTolerance?: number;
  /** Beyond the tolerance at the nudged bound too: the record. */
  counterexample?: Counterexample;
}

/**
 * A step compared at `scope`: counted (from t = 1: most bounds equal the start
 * value at t = 0), drawn, and a violation when beyond the bound plus its
 * tolerance both at the constants and at their nudges (or when it diverged). Resolution and margins
 * use the bound itself; a zero bound (x0 = x*) resolves nothing, there being
 * no size to compare with.
 */
export function judge(part: StatementPart, c: Checked, scope: Scope, cmp: Comparison, tally: Tally): Judged {
  const { t, measured, bound, tolerance } = cmp;
  const resolved = bound > 0 && tolerance <= RESOLVED_FRACTION * bound;
  if (t >= 1) tally.check(resolved, (bound - measured) / bound);
  if (c.curve) { c.curve.measured.push(measured); c.curve.bound.push(bound); c.curve.tolerance.push(tolerance); }
  if (cmp.divergence) {
    const found = counterexample(part, c, t, measured, bound, Number.isFinite(tolerance) ? tolerance : 0, { divergence: true });
    tally.violation(found);
    return { resolved, counterexample: found };
  }
  if (!(cmp.beyond > bound + tolerance)) return { resolved };
  const upper = nudgedBound(part, scope, c.perturbed, bound);
  const upperTolerance = cmp.toleranceAt(upper);
  if (!(cmp.beyond > upper + upperTolerance)) return { resolved, upper, upperTolerance };
  const found = counterexample(part, c, t, measured, upper, upperTolerance, { interval: cmp.interval });
  tally.violation(found);
  return { resolved, upper, upperTolerance, counterexample: found };
}

/** A part's text, made once: mathjs's toString is slow, and a search records many violations. */
const relationText = new WeakMap<StatementPart, string>();

/** The record of a violation at `step` of witness `c`. */
export function counterexample(
  part: StatementPart, c: Checked, step: number, measured: number, bound: number, tolerance: number,
  more: { interval?: Counterexample['interval']; divergence?: boolean },
): Counterexample {
  let relation = relationText.get(part);
  if (relation === undefined) relationText.set(part, (relation = `${part.lhs} ${part.relation} ${part.rhs}`));
  return {
    family: c.witness.family.id,
    params: c.witness.instance.params,
    parameters: c.parameters,
    part: 0,
    relation,
    step, measured, bound, tolerance,
    ...(more.interval ? { interval: more.interval } : {}),
    ...(more.divergence ? { divergence: true } : {}),
  };
}
