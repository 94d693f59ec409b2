/**
 * `relax`: a theorem with some assumptions dropped (and others added),
 * searched for the largest violation on witnesses of the relaxed set.
 *
 * Runs are explored with the float64 driver (the optimiser's exact step, the
 * verifier's checks and tolerance model), and a violation is a counterexample
 * only once a real TensorFlow.js run of the shrunk candidate is violated
 * beyond the float32 tolerance model too: two precisions agree, so it is
 * never float noise. Lemmas are float64 throughout, as `verify` checks them.
 *
 * Bounds in expectation are judged by the verifier's statistical check
 * (src/verify/expectation.ts: S seeds per witness, a Student t interval with
 * Bonferroni): the sampled witnesses are run together, and a violation is a
 * whole interval above the bound. Every evaluation costs S seeds × T steps of
 * real runs, so there is no pattern search and no weakening of freed
 * constants: the simplest violating witness is shrunk, then run alone with
 * its seed, which is the record `replayRelaxation` re-runs exactly.
 */
import { initEngine, type BackendName } from '../engine/backend.ts';
import { makeRng } from '../numeric/rng.ts';
import { emptyDomain, relaxTheorem, type RelaxedTheorem } from '../theorems/assumptions.ts';
import { parseStatement } from '../language/statement.ts';
import type { Theorem } from '../theorems/types.ts';
import type { Counterexample } from '../verify/result.ts';
import { freeParameters } from '../verify/scope.ts';
import { UsageError } from '../language/usage.ts';
import { familyById } from '../classes/index.ts';
import { pepWitness } from './pepWitness.ts';
import { Instances } from './instances.ts';
import {
  complexity, evaluate, instanceOf, pickStarts, refine, sampleCandidates, shrink, WEAKER, type Candidate, type Scored, type SearchContext,
} from './search.ts';

/** The largest excess as progress and result both print it (relative; ≤ 0 when nothing was violated). */
export const excessText = (excess: number): string => excess.toExponential(2);

export interface RelaxOptions {
  drop: readonly string[];
  add?: readonly string[];
  seed?: number;
  /** Runs: steps per run (default 100). */
  steps?: number;
  /** Instances sampled per family (default 24). */
  instances?: number;
  /** Rounds of pattern search (default 12). */
  rounds?: number;
  /** Bounds in expectation: independent runs per witness (default 200). */
  seeds?: number;
  onProgress?: (text: string) => void;
}

export const RELAX_DEFAULTS = {
  steps: 100, instances: 24, rounds: 12, points: 6, starts: 3, seed: 0,
  // Bounds in expectation: fewer witnesses per family, each run with many seeds.
  expectationInstances: 8, seeds: 200,
} as const;

/** A counterexample of a relaxation: the verifier's record, the seed, and the run length that replays it. */
export interface RelaxCounterexample extends Counterexample {
  seed: number;
  /**
   * Runs: the number of steps to replay (the violating step). Bounds in
   * expectation: the run length checked, since the Bonferroni count and so
   * every interval depend on it.
   */
  steps?: number;
  /** Bounds in expectation: the runs per witness (`interval` is over them). */
  seeds?: number;
  /** The same candidate in the float64 search: its first violation. */
  float64?: { step?: number; measured: number; bound: number };
}

export interface RelaxResult {
  theorem: string;
  relaxation: { drop: string[]; add: string[]; assumptions: string[]; freed: string[] };
  verdict: 'holds' | 'counterexample' | 'inconclusive';
  counterexample?: RelaxCounterexample;
  search: {
    candidates: number;
    evaluations: number;
    families: Record<string, number>;
    /** The largest excess over the tolerance the search reached (relative; ≤ 0 when nothing was violated). */
    best_excess: number;
    notes: string[];
  };
  backend: BackendName | 'float64';
  seed: number;
  seconds: number;
}

/** A clear violation: 1% of the size of both sides beyond the tolerance (used to accept a weaker claim). */
const ROBUST = 1e-2;

/** The relaxed theorem's search context (a search keeps its instances; a replay builds its one witness). */
function contextFor(rt: RelaxedTheorem, seed: number, steps: number, seeds?: number, instances?: Instances): SearchContext {
  return {
    theorem: rt.theorem, original: rt.original, statement: parseStatement(rt.original.statement), goal: 'violation', steps, seed,
    ...(seeds !== undefined ? { seeds } : {}), ...(instances ? { instances } : {}),
  };
}

export async function relax(th: Theorem, opts: RelaxOptions): Promise<RelaxResult> {
  const started = performance.now();
  const seed = opts.seed ?? RELAX_DEFAULTS.seed;
  const rt = relaxTheorem(th, { drop: opts.drop, add: opts.add });
  if (th.kind === 'lemma' && Object.values(th.points ?? {}).some((k) => k === 'symmetric-matrix')) {
    throw new UsageError(`${th.id} draws its own matrices, not witnesses from families: there is nothing to relax`);
  }
  const expectation = th.kind === 'expectation';
  const steps = th.kind === 'lemma' ? 1 : opts.steps ?? RELAX_DEFAULTS.steps;
  if (!expectation && opts.seeds !== undefined) throw new UsageError(`relax ${th.id}: --seeds is for bounds in expectation; ${th.id} is checked on ${th.kind === 'run' ? 'single runs' : 'points'}`);
  const seeds = expectation ? opts.seeds ?? RELAX_DEFAULTS.seeds : undefined;
  if (seeds !== undefined && !(Number.isInteger(seeds) && seeds >= 2)) {
    throw new UsageError(`relax ${th.id}: a bound in expectation needs at least 2 seeds for a confidence interval, got ${seeds}`);
  }
  const ctx = contextFor(rt, seed, steps, seeds, new Instances());
  // Runs are searched in float64 and only confirmed on TensorFlow.js; bounds in expectation are real runs throughout.
  const searchBackend: RelaxResult['backend'] = expectation ? await initEngine() : 'float64';
  const rng = makeRng(seed);
  const progress = opts.onProgress ?? (() => {});
  const relaxation = { drop: rt.dropped, add: rt.added, assumptions: rt.assumptions, freed: rt.freed };

  progress(`relax ${th.id}: sampling witnesses of ${rt.assumptions.join(', ')}…`);
  const sample = sampleCandidates(ctx, {
    perFamily: opts.instances ?? (expectation ? RELAX_DEFAULTS.expectationInstances : RELAX_DEFAULTS.instances), points: RELAX_DEFAULTS.points, tight: true, rng,
    emptyDomain: (constants) => emptyDomain(rt.theorem.constraints, freeParameters(rt.theorem, constants), constants),
  });
  if (sample.candidates.length === 0) {
    if (sample.emptyDomain) throw new UsageError(`relax ${th.id}: the relaxed assumptions leave no parameter values: ${sample.emptyDomain}`);
    throw new UsageError(`relax ${th.id}: no family has a witness of the relaxed set (${rt.assumptions.join(', ')}): nothing can be searched`);
  }
  let evaluations = sample.candidates.length;
  if (expectation) progress(`relax ${th.id}: ${sample.candidates.length} witnesses × ${seeds} seeds × ${steps} steps…`);
  const scored = await evaluate(ctx, sample.candidates);
  const notes = [...sample.notes];
  if (!scored.some((s) => s.valid && s.resolved)) {
    return done('inconclusive', undefined, -Infinity, ['no check of any witness stood above the rounding floor']);
  }

  let pool = scored;
  if (th.kind === 'run') {
    const found = await pepCandidates(ctx, scored, progress);
    notes.push(...found.notes);
    if (found.scored.length) {
      evaluations += found.scored.length;
      pool = [...found.scored, ...scored];
    }
  }
  if (!expectation) {
    progress(`relax ${th.id}: refining the ${RELAX_DEFAULTS.starts} worst of ${scored.length} candidates…`);
    const sampledBest = Math.max(...scored.filter((s) => s.valid).map((s) => s.objective));
    const starts = pickStarts(scored, RELAX_DEFAULTS.starts);
    const refined = await refine(ctx, starts, {
      rounds: opts.rounds ?? RELAX_DEFAULTS.rounds, rng,
      // The largest over every candidate, as the result reports it (the refined starts alone can lie below the sample's best).
      onRound: (r, best) => progress(`relax ${th.id}: refinement round ${r + 1}, largest excess ${excessText(Math.max(best, sampledBest))}`),
    });
    evaluations += refined.evaluations;
    pool = [...refined.best, ...pool];
  }
  const bestExcess = Math.max(...pool.filter((s) => s.valid).map((s) => s.objective));
  // Every violation beyond the tolerance model counts; among those close to the largest, the simplest first.
  // In expectation any whole interval above the bound is the failure, however far: the simplest of all.
  const violating = [...new Set(pool.filter((s) => s.valid && s.counterexample && s.objective > 0))];
  if (violating.length === 0) return done('holds', undefined, bestExcess, notes);
  const top = Math.max(...violating.map((s) => s.objective));
  // In expectation a record needs a positive bound (see `good` below), so the candidates do too.
  const order = violating
    .filter((s) => (expectation ? s.counterexample!.bound > 0 : s.objective >= 0.5 * top))
    .sort((a, b) => complexity(a.candidate) - complexity(b.candidate));
  if (order.length === 0) {
    return done('inconclusive', undefined, bestExcess, [...notes, 'the only violations found were against a bound of 0 (a start at x*), where any noise at all is one']);
  }

  const backend = th.kind === 'lemma' ? 'float64' : await initEngine();
  for (const [i, found] of order.slice(0, 3).entries()) {
    progress(`relax ${th.id}: ${expectation ? '' : 'weakening and '}shrinking counterexample ${i + 1}…`);
    const weakened = expectation ? { best: found, ctx, evaluations: 0 } : await weaken(ctx, found, rng);
    evaluations += weakened.evaluations;
    const pick = weakened.best;
    // Still violated, and about as badly: a transient excess is not the failure the search found.
    // In expectation: still a whole interval above a positive bound (a start at x* makes the bound 0,
    // refuted by any noise at all; the record should show the noise floor against a decaying bound).
    const good = expectation
      ? (s: Scored) => s.valid && !!s.counterexample && s.counterexample.bound > 0
      : (s: Scored) => s.valid && !!s.counterexample && s.objective >= 0.9 * pick.objective;
    const shrunk = await shrink(weakened.ctx, pick, good);
    evaluations += shrunk.evaluations;
    for (const cand of [shrunk.best, pick]) {
      const confirmed = await confirm(weakened.ctx, cand, seed);
      if (confirmed) return done('counterexample', confirmed, bestExcess, notes, backend);
    }
    notes.push(expectation
      ? `a violation on ${pick.candidate.family} (excess ${pick.objective.toPrecision(3)}) among the sampled witnesses was not one when run alone`
      : `a float64 violation on ${pick.candidate.family} (excess ${pick.objective.toPrecision(3)}) was not confirmed by a float32 run`);
    // evidence against the relaxation that float32 could not confirm: not a `holds`
    return done('inconclusive', undefined, bestExcess, notes, backend);
  }
  return done('holds', undefined, bestExcess, notes, backend);

  function done(verdict: RelaxResult['verdict'], counterexample: RelaxCounterexample | undefined, best: number, n: string[], backend = searchBackend): RelaxResult {
    return {
      theorem: th.id, relaxation, verdict, ...(counterexample ? { counterexample } : {}),
      search: { candidates: sample.candidates.length, evaluations, families: sample.families, best_excess: best, notes: n },
      backend, seed, seconds: (performance.now() - started) / 1000,
    };
  }
}

/** Parameter sets of the sampled candidates at which performance estimation is tried. */
const PEP_POINTS = 3;
/** The step performance estimation looks at: the run's length, at most this (the run goes on to its length). */
const PEP_STEPS = 20;

/**
 * Performance estimation at the parameters of the best sampled candidates: where the relaxed theorem is
 * one PEP covers exactly and its verdict is `violated` (τ above the bound beyond the solver's accuracy),
 * the worst function is a candidate, scored like the others (float64 search, then the real run confirms).
 * A `tight` or `valid` verdict proves the relaxation holds at those parameters over the whole class: no
 * candidate is added, so the search cannot turn the solver's last digits into a violation.
 */
async function pepCandidates(ctx: SearchContext, scored: readonly Scored[], progress: (t: string) => void): Promise<{ scored: Scored[]; notes: string[] }> {
  const steps = Math.min(ctx.steps, PEP_STEPS);
  if (steps < (ctx.theorem.from ?? 0)) return { scored: [], notes: [] };
  const seen = new Set<string>();
  const points: Record<string, number>[] = [];
  for (const s of [...scored].filter((x) => x.valid).sort((a, b) => b.objective - a.objective)) {
    // the parameters were drawn against this witness's L: performance estimation takes the same L
    const family = familyById(s.candidate.family);
    const L = family ? instanceOf(ctx, family, s.candidate.params).cert.L : undefined;
    const point = { ...s.candidate.parameters, ...(L !== undefined && !('L' in s.candidate.parameters) ? { L } : {}) };
    const key = JSON.stringify(point);
    if (seen.has(key)) continue;
    seen.add(key);
    points.push(point);
    if (points.length === PEP_POINTS) break;
  }
  const cands: Candidate[] = [];
  const notes: string[] = [];
  for (const parameters of points) {
    progress(`relax ${ctx.theorem.id}: performance estimation at ${JSON.stringify(parameters)}, N = ${steps}…`);
    const pw = await pepWitness(ctx.theorem, parameters, steps);
    if ('reason' in pw) {
      notes.push(`performance estimation not used at ${JSON.stringify(parameters)}: ${pw.reason}`);
      // a theorem PEP does not cover (a usage error of pep) is not covered at any parameters
      if (pw.reason.startsWith('pep:')) break;
      continue;
    }
    notes.push(`performance estimation at ${JSON.stringify(parameters)}, N = ${steps}: ${pw.report.verdict} (τ/bound ${pw.report.ratio?.toPrecision(6)})`);
    if (pw.report.verdict === 'violated') cands.push(pw.candidate);
  }
  return { scored: cands.length ? await evaluate(ctx, cands) : [], notes };
}

/**
 * The weakest claim a counterexample still refutes. A freed constant is a
 * claim (mu: the rate's constant, L: the smoothness the step is tuned to);
 * refuting mu = L says little, refuting mu = L/1000 says the rate fails for
 * any mu. Each weaker value (×10⁻³, ×10⁻², ×10⁻¹ for mu; ×10³, ×10², ×10
 * for L and G) is held fixed while a short refinement repairs the violation
 * around it; the first that violates again is kept, with the context fixing it.
 */
async function weaken(ctx: SearchContext, found: Scored, rng: ReturnType<typeof makeRng>): Promise<{ best: Scored; ctx: SearchContext; evaluations: number }> {
  let evaluations = 0;
  let best = found;
  let fixed = ctx;
  for (const name of ctx.theorem.freeConstants ?? []) {
    const v = best.candidate.parameters[name];
    if (v === undefined) continue;
    if (!WEAKER[name]) continue;
    const factors = WEAKER[name] === 'down' ? [1e-3, 1e-2, 1e-1] : [1e3, 1e2, 10];
    for (const k of factors) {
      const value = Number((v * k).toPrecision(1));
      const trial: SearchContext = { ...fixed, set: { ...fixed.set, [name]: value } };
      const [start] = await evaluate(trial, [{ ...best.candidate, parameters: { ...best.candidate.parameters, [name]: value } }]);
      evaluations++;
      if (!start.valid) continue;
      const r = await refine(trial, [start], { rounds: 8, rng, coordsPerRound: 6, joint: 3 });
      evaluations += r.evaluations;
      const s = r.best[0];
      // a weaker claim is kept only when it is refuted clearly (1% beyond the tolerance)
      if (s.counterexample && s.objective >= ROBUST) { best = s; fixed = trial; break; }
    }
  }
  return { best, ctx: fixed, evaluations };
}

/**
 * The verifier's verdict on one candidate: a real TensorFlow.js run (runs)
 * up to its float64 violation, or the float64 lemma check; the record when
 * it is violated beyond the tolerance model.
 */
async function confirm(ctx: SearchContext, s: Scored, seed: number): Promise<RelaxCounterexample | null> {
  const c64 = s.counterexample!;
  if (ctx.theorem.kind === 'lemma') return { ...c64, seed };
  if (ctx.theorem.kind === 'expectation') {
    // Alone, as the replay runs it: in company the Bonferroni count and the rows' streams differ.
    const [alone] = await evaluate(ctx, [s.candidate]);
    return alone.counterexample ? { ...alone.counterexample, seed, seeds: ctx.seeds, steps: ctx.steps } : null;
  }
  // The float32 run may break the bound a few steps away from the float64 one: run the whole length.
  const [run] = await evaluate(ctx, [s.candidate], 'tfjs');
  const c = run.counterexample;
  if (!c) return null;
  return { ...c, seed, steps: c.step, float64: { step: c64.step, measured: c64.measured, bound: c64.bound } };
}

/** The candidate a counterexample record describes (the theorem's free parameters only: derived ones are recomputed). */
export function candidateOf(record: Pick<Counterexample, 'family' | 'params' | 'parameters' | 'point'>): Candidate {
  // derived parameters in the record are dropped when the witness is built (toWitness keeps the free ones)
  return { family: record.family, params: record.params, parameters: { ...record.parameters }, ...(record.point ? { point: record.point as Record<string, number[]> } : {}) };
}

/**
 * Replays a counterexample record of `relax` exactly: the same witness,
 * parameters, seed and run length through the verifier. Returns the
 * verifier's first violation (or undefined when there is none).
 */
export async function replayRelaxation(
  th: Theorem,
  relaxation: { drop: readonly string[]; add?: readonly string[] },
  record: Pick<RelaxCounterexample, 'family' | 'params' | 'parameters' | 'seed' | 'steps' | 'point' | 'seeds'>,
): Promise<Counterexample | undefined> {
  const rt = relaxTheorem(th, relaxation);
  const ctx = contextFor(rt, record.seed, record.steps ?? 1, record.seeds);
  const [s] = await evaluate(ctx, [candidateOf(record)], 'tfjs', record.steps);
  return s.counterexample;
}
