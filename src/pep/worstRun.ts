/**
 * The real TensorFlow.js run on a problem's worst function (worst.ts): the
 * optimiser the method or theorem names, from x0, N steps, checked by the
 * verifier (src/verify/runCheck.ts) so that the float32 tolerance is the
 * project's own. For a theorem the statement is the theorem's (a violation is
 * the verifier's counterexample); for a method it is `measure ≤ τ`. The run
 * reaches τ when the measure at step N is within the float32 tolerance and
 * the solver's accuracy of τ.
 */
import { parseStatement } from '../language/statement.ts';
import type { ClassName, Family } from '../classes/types.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample } from '../verify/result.ts';
import { checkRun, type StepCheck } from '../verify/runCheck.ts';
import { constantsOf, freeParameters } from '../verify/scope.ts';
import { Tally } from '../verify/tally.ts';
import type { PepClass } from './model.ts';
import type { PepReport } from './run.ts';
import { PEP_RELATIVE_TOLERANCE } from './theorem.ts';
import { compositeInterpolationError, compositeWorstData, compositeWorstFamily, compositeWorstParams, isComposite, type CompositeWorstParams } from './compositeWorst.ts';
import { interpolationError, MEASURE_QUANTITY, worstData, worstFamily, worstParams, type PepWorstParams, type WorstData } from './worst.ts';

/** The TensorFlow.js optimiser of each `boundlab pep` method id, and its hyperparameters from the problem's values. */
const OPTIMIZER_OF: Readonly<Record<string, { optimizer: string; hyper: (v: Record<string, number>) => Record<string, number> }>> = {
  gd: { optimizer: 'gd', hyper: (v) => ({ lr: v.lr }) },
  subgradient: { optimizer: 'gd', hyper: (v) => ({ lr: v.lr }) },
  'heavy-ball': { optimizer: 'heavy-ball', hyper: (v) => ({ lr: v.lr, momentum: v.momentum }) },
  // the nesterov optimiser without a momentum is FISTA's schedule (src/optimizers/nesterov.ts)
  nesterov: { optimizer: 'nesterov', hyper: (v) => ({ lr: v.lr }) },
  'nesterov-constant-momentum': { optimizer: 'nesterov', hyper: (v) => ({ lr: v.lr, momentum: v.momentum }) },
  // composite f + h: without `l1` the proximal step is the problem's own h (src/optimizers/proximal-gd.ts), and
  // nesterov on a composite problem is FISTA; the proximal point method is proximal-gd on f ≡ 0
  'proximal-gd': { optimizer: 'proximal-gd', hyper: (v) => ({ lr: v.gamma }) },
  fista: { optimizer: 'nesterov', hyper: (v) => ({ lr: v.gamma }) },
  'proximal-point': { optimizer: 'proximal-gd', hyper: (v) => ({ lr: v.gamma }) },
};

/** Slack for "reaches τ" beyond the float32 tolerance: the solver's accuracy, ten times over for the cleanup (worst.ts). */
export const REACH_RELATIVE = 10 * PEP_RELATIVE_TOLERANCE;

export interface WorstRun {
  /** The worst function's data: rank, cleanup, interpolation check. */
  rank: number;
  cleanup: string[];
  /** Largest interpolation-inequality excess of the cleaned data, relative to τ; and whether within tolerance. */
  excess: number;
  interpolates: boolean;
  /** The built function at the data points: largest value (relative to τ) and gradient (relative to the largest gradient) mismatch. */
  mismatch: { value: number; gradient: number };
  /**
   * A composite problem: h's prox at the inputs of the method's own prox steps against their outputs
   * (distance relative to ‖x0‖, and the largest certificate gap relative to τ; compositeWorst.ts), and
   * F(0), the F* used (0 when the data interpolate).
   */
  composite?: { prox: number; proxGap: number; fstar: number };
  optimizer: string;
  hyper: Record<string, number>;
  steps: number;
  x0: number[];
  /** The measure on the real run at step N (for min-… measures, the minimum over the steps), its float32 tolerance, and τ. */
  measured: number;
  tolerance: number;
  tau: number;
  /**
   * |measured − τ| ≤ tolerance + REACH_RELATIVE·τ. The tolerance model needs L: for lipschitz-convex it is
   * not finite (reported as NaN) and the run is judged at REACH_RELATIVE·τ alone.
   */
  reached: boolean;
  /** A theorem: its bound at step N and the verifier's counterexample on this run, if any. */
  bound?: number;
  counterexample?: Counterexample;
  /** The family record that rebuilds the function (family `pep-worst`, or `pep-worst-composite` for f + h). */
  family: string;
  params: PepWorstParams | CompositeWorstParams;
  /** The theorem's free parameters used (a theorem only). */
  parameters?: Record<string, number>;
}

/** Why a report's worst function cannot be run (null when it can). */
export function worstRunObstacle(r: PepReport): string | null {
  if (r.status !== 'success' && r.status !== 'partial') return `the problem is ${r.status}: no worst function`;
  if (!r.result.G) return 'no primal solution (the worst function needs csdp, not sdpa)';
  if (r.cls === 'smooth') return 'the smooth (nonconvex) class has only necessary conditions here: no interpolating function';
  if (r.kind === 'theorem' && isComposite(r.result)) return 'a theorem file with prox declares its h as l1 or box, and the worst h is a maximum of affine pieces, outside that class: a run on it would not test the file\'s statement (run its method instead: boundlab pep proximal-gd|fista|proximal-point --worst)';
  if (r.kind === 'method' && !OPTIMIZER_OF[r.target]) return `${r.target} has no TensorFlow.js optimiser to run`;
  if (r.kind === 'theorem' && !r.theorem?.algorithm) return 'the theorem names no optimiser';
  return null;
}

const CLASSES: Readonly<Record<Exclude<PepClass, 'smooth' | 'convex'>, ClassName[]>> = {
  'smooth-convex': ['convex', 'L-smooth'],
  'smooth-strongly-convex': ['convex', 'L-smooth', 'mu-strongly-convex'],
  'lipschitz-convex': ['convex', 'G-Lipschitz'],
};

/** f's classes in a theorem's terms (f ≡ 0 of the proximal point method: convex). */
const fClasses = (cls: PepClass, mu: number): ClassName[] =>
  cls === 'convex' ? ['convex'] : CLASSES[cls as Exclude<PepClass, 'smooth' | 'convex'>].filter((c) => c !== 'mu-strongly-convex' || mu > 0);

/** The worst function of a solved problem (the pair f + h of a composite one), and the real run on it. Throws when worstRunObstacle says why not. */
export async function runWorst(r: PepReport, given?: WorstData): Promise<WorstRun> {
  const why = worstRunObstacle(r);
  if (why) throw new Error(`pep --worst: ${why}`);
  const tau = r.tau!;
  const composite = isComposite(r.result);
  let family: Family, params: PepWorstParams | CompositeWorstParams, built: Pick<WorstRun, 'rank' | 'cleanup' | 'excess' | 'interpolates' | 'x0' | 'mismatch' | 'composite'>;
  if (composite) {
    const data = compositeWorstData(r.result);
    family = compositeWorstFamily() as unknown as Family;
    const p = compositeWorstParams(data);
    params = p;
    const err = compositeInterpolationError(p, Math.max(Math.abs(tau), 1e-300), data.proxSteps);
    built = {
      rank: data.rank, cleanup: data.cleanup, excess: data.excess, interpolates: data.interpolates, x0: data.x0,
      mismatch: { value: err.value, gradient: err.gradient },
      composite: { prox: err.prox, proxGap: err.proxGap, fstar: NaN },
    };
  } else {
    const data = given ?? worstData(r.result);
    family = worstFamily() as unknown as Family;
    const p = worstParams(data);
    params = p;
    built = {
      rank: data.rank, cleanup: data.cleanup, excess: data.excess, interpolates: data.interpolates, x0: data.x0,
      mismatch: interpolationError(p, Math.max(Math.abs(tau), 1e-300)),
    };
  }
  const instance = family.instantiate(params);
  if (built.composite) built.composite.fstar = instance.cert.fstar;
  const N = r.steps;
  const isMin = r.measure.startsWith('min-');
  let th: Theorem;
  let set: Record<string, number> = {};
  if (r.kind === 'theorem') {
    const orig = r.theorem!;
    th = { ...orig, families: [family.id] };
    const constants = constantsOf(th, instance);
    set = Object.fromEntries(freeParameters(th, constants).filter((p) => p in r.values).map((p) => [p, r.values[p]]));
  } else {
    const spec = OPTIMIZER_OF[r.target];
    const hyper = spec.hyper(r.values);
    const classes = fClasses(r.cls, r.values.mu ?? 0);
    th = {
      id: `pep-worst-${r.target}`, title: `the worst case of ${r.target}`, source: 'boundlab pep', kind: 'run', classes, constraints: [],
      algorithm: { optimizer: spec.optimizer, hyper: Object.fromEntries(Object.entries(hyper).map(([k, v]) => [k, String(v)])) },
      statement: `${MEASURE_QUANTITY[r.measure]} <= ${tau}`, families: [family.id], planted: { faster: {} },
    };
  }
  const hyperOut: Record<string, number> = {};
  const at: StepCheck[] = [];
  let counterexample: Counterexample | undefined;
  await checkRun(th, parseStatement(th.statement), [{ family, instance, set }], {
    steps: N, seed: 0, curvesPerFamily: 0, driver: 'tfjs', continueAfterViolation: true,
    observe: (_, s) => { at[s.t] = s; if (s.counterexample && !counterexample) counterexample = s.counterexample; },
  }, new Tally(), []);
  for (const [k, v] of Object.entries(th.algorithm!.hyper)) hyperOut[k] = Number.isFinite(Number(v)) ? Number(v) : r.values[k] ?? NaN;
  const last = isMin ? at.filter(Boolean).reduce((a, b) => (b.measured < a.measured ? b : a)) : at[N];
  if (!last) throw new Error(`pep --worst: the run was not checked at step ${N}`);
  const measured = last.measured, tolerance = Number.isFinite(last.tolerance) ? last.tolerance : NaN;
  return {
    ...built,
    optimizer: th.algorithm!.optimizer, hyper: hyperOut, steps: N,
    measured, tolerance, tau, reached: Math.abs(measured - tau) <= (Number.isFinite(tolerance) ? tolerance : 0) + REACH_RELATIVE * Math.abs(tau),
    ...(r.kind === 'theorem' ? { bound: last.bound, parameters: set } : {}),
    // a method's statement is measure ≤ τ at every step: before step N the measure is above τ, which is no violation
    ...(counterexample && r.kind === 'theorem' ? { counterexample } : {}),
    family: family.id, params,
  };
}
