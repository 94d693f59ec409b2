/**
 * `verify`: a theorem checked on its witnesses, with a verdict.
 */
import { initEngine } from '../engine/backend.ts';
import { parseStatement, replaceBound, scaleBound, substituteInBounds, type Statement } from '../language/statement.ts';
import type { Theorem } from '../theorems/types.ts';
import { checkLemma } from './lemma.ts';
import type { Curve, ExpectationStatistics, VerifyResult } from './result.ts';
import { checkRun } from './runCheck.ts';
import { checkExpectation } from './expectation.ts';
import { DEFAULTS } from './defaults.ts';
import { UsageError } from '../language/usage.ts';
import { Tally } from './tally.ts';
import { witnessesFor } from './witnesses.ts';
import type { RunCache } from '../runs/cache.ts';

export interface VerifyOptions {
  /** Random instances per family (default 100). */
  instances?: number;
  /** Steps per run (default 100); for lemmas, points per instance (default 20). */
  steps?: number;
  seed?: number;
  family?: string;
  /** Fixed theorem parameters (checked against the domain). */
  set?: Record<string, number | string>;
  /** Check this statement instead of the theorem's (planted violations). */
  statement?: Statement;
  /** Runs: check from this step on instead of the theorem's own first step. */
  from?: number;
  /** Curves kept per family for plots (default 0). */
  curvesPerFamily?: number;
  /** Expectation theorems: independent runs per witness (default 200). */
  seeds?: number;
  /** Expectation theorems: family-wise error rate of the intervals (default 0.01). */
  alpha?: number;
  /**
   * Run and expectation theorems: every batch's run is recorded here, and one with the same
   * inputs as an earlier one is replayed. A caller checking several statements on the same
   * witnesses (the planted violations) makes one and passes it to each check; the results
   * are those without it (tests/verify.test.ts, bench/run-cache.ts).
   */
  runs?: RunCache;
}

export { DEFAULTS };

export async function verifyTheorem(th: Theorem, opts: VerifyOptions = {}): Promise<VerifyResult> {
  checkArguments(th, opts);
  const started = performance.now();
  const seed = opts.seed ?? DEFAULTS.seed;
  // Lemmas without sampled points, or over matrices only, check each instance once.
  const pointKinds = Object.values(th.points ?? {});
  const pointFree = th.kind === 'lemma' && pointKinds.every((k) => k === 'symmetric-matrix');
  const expectation = th.kind === 'expectation';
  const steps = pointFree ? 1 : opts.steps ?? (th.kind === 'run' ? DEFAULTS.runSteps : expectation ? DEFAULTS.expectationSteps : DEFAULTS.lemmaPoints);
  const statement = opts.statement ?? parseStatement(th.statement);
  const instances = opts.instances ?? (expectation ? DEFAULTS.expectationInstances : DEFAULTS.instances);
  const draw = { instances, seed, family: opts.family, steps };
  // Checks sharing a run cache share their witnesses too (the same draw): notes is this check's own.
  const drawn = opts.runs ? opts.runs.drawn(th, JSON.stringify(draw), () => witnessesFor(th, draw)) : witnessesFor(th, draw);
  const witnesses = drawn.witnesses;
  const notes = [...drawn.notes];
  const tally = new Tally();
  const curves: Curve[] = [];
  let backend: VerifyResult['backend'] = 'float64';
  let statistics: ExpectationStatistics | undefined;
  if (expectation) {
    const seeds = opts.seeds ?? DEFAULTS.seeds;
    if (!Number.isInteger(seeds) || seeds < 2) throw new UsageError(`${th.id}: a bound in expectation needs at least 2 seeds for a confidence interval, got ${seeds}`);
    backend = await initEngine();
    if (witnesses.length === 0) notes.push('no witness satisfies the assumptions: nothing was run');
    statistics = await checkExpectation(th, statement, witnesses, {
      steps, seed, seeds, alpha: opts.alpha ?? DEFAULTS.alpha, set: opts.set, from: opts.from,
      curvesPerFamily: opts.curvesPerFamily ?? 0, runs: opts.runs,
    }, tally, curves);
  } else if (th.kind === 'lemma') {
    checkLemma(th, statement, witnesses, { seed, points: steps, matrices: 2 * (opts.instances ?? DEFAULTS.instances), set: opts.set }, tally);
  } else {
    backend = await initEngine();
    if (witnesses.length === 0) notes.push('no witness satisfies the assumptions: nothing was run');
    await checkRun(th, statement, witnesses, { steps, seed, set: opts.set, from: opts.from, curvesPerFamily: opts.curvesPerFamily ?? 0, runs: opts.runs }, tally, curves);
  }
  const verdict = tally.counterexample ? 'violated' : tally.resolved === 0 ? 'inconclusive' : 'holds';
  return {
    theorem: th.id,
    verdict,
    instances: tally.instances,
    steps,
    worst_margin: tally.worstMargin,
    ...(tally.counterexample ? { counterexample: tally.counterexample } : {}),
    checks: tally.checks,
    resolved: tally.resolved,
    skipped: tally.skipped,
    families: tally.families,
    notes,
    backend,
    seed,
    seconds: (performance.now() - started) / 1000,
    ...(curves.length ? { curves } : {}),
    ...(statistics ? { statistics } : {}),
  };
}

/** The planted violations of a theorem: each bound tightened, and the faster rate. */
export function plantedStatements(th: Theorem): { name: string; statement: Statement }[] {
  const st = parseStatement(th.statement);
  const scale = th.planted.scale ?? 0.5;
  const out = st.parts.map((_, i) => ({
    name: st.parts.length > 1 ? `part ${i + 1} tightened ×${scale}` : `bound ×${scale}`,
    statement: scaleBound(st, i, scale),
  }));
  const { bound, ...subs } = th.planted.faster;
  out.push({ name: 'faster', statement: bound !== undefined ? replaceBound(st, bound) : substituteInBounds(st, subs) });
  return out;
}

/**
 * The public API's input, checked before anything runs: a script that passes
 * `theoremById('typo')` (undefined) or `steps: -3` gets one message naming the
 * argument (a UsageError, exit 2 from a script), not a TypeError from deep inside.
 */
function checkArguments(th: Theorem, opts: VerifyOptions): void {
  // Only the form is checked here; what a theorem needs (2 seeds for an interval) is said where it is used.
  if (!th || typeof th !== 'object' || typeof th.id !== 'string' || typeof th.statement !== 'string') {
    throw new UsageError(`verifyTheorem: the first argument must be a theorem (from theoremById, loadTheorem or registerTheorem), got ${th === undefined ? 'undefined (an unknown id?)' : JSON.stringify(th)?.slice(0, 80)}`);
  }
  if (opts === null || typeof opts !== 'object') throw new UsageError(`verifyTheorem ${th.id}: options must be an object, got ${String(opts)}`);
  const whole: [keyof VerifyOptions, number][] = [['instances', 0], ['steps', 1], ['seeds', 1], ['seed', 0], ['curvesPerFamily', 0], ['from', 0]];
  for (const [name, min] of whole) {
    const v = opts[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
      throw new UsageError(`verifyTheorem ${th.id}: ${name} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
    }
  }
  if (opts.alpha !== undefined && !(typeof opts.alpha === 'number' && opts.alpha > 0 && opts.alpha < 1)) {
    throw new UsageError(`verifyTheorem ${th.id}: alpha must be a number in (0, 1), got ${JSON.stringify(opts.alpha)}`);
  }
}
