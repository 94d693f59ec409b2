/**
 * `tightness`: the worst instance a search finds against the bound. The bound
 * is an upper bound on the worst case; the instance found is a lower bound on
 * it; their ratio says how much of the bound is attained (1 for a tight
 * theorem at the literature's parameter points, below 1 elsewhere: the gap).
 *
 * Runs: the ratio measured/bound at step N (the run length), resolved above
 * the float32 floor, taken from a real TensorFlow.js run of the best
 * candidates of a float64 search. Lemmas: the largest ratio over the
 * statement's parts at the points searched, in float64.
 */
import { initEngine, type BackendName } from '../engine/backend.ts';
import { makeRng } from '../numeric/rng.ts';
import { parseStatement } from '../language/statement.ts';
import type { Theorem } from '../theorems/types.ts';
import { freeParameters } from '../verify/scope.ts';
import { UsageError } from '../language/usage.ts';
import { pepWitness } from './pepWitness.ts';
import { Instances } from './instances.ts';
import { evaluate, pickStarts, refine, sampleCandidates, type Scored, type SearchContext } from './search.ts';

export interface TightnessOptions {
  /** Fixed parameters (checked against the domain): numbers, or expressions in the constants, e.g. { h: 1 }, { gamma: '1/L' }. */
  set?: Record<string, number | string>;
  /** Runs: N, the step at which the ratio is taken (default 20). */
  steps?: number;
  seed?: number;
  /** Instances sampled per family (default 24). */
  instances?: number;
  /** Rounds of pattern search (default 30). */
  rounds?: number;
  /** Seed the search with the theorem's own tight witnesses (default true). */
  tight?: boolean;
  /** Restrict to one family. */
  family?: string;
  /**
   * Try performance estimation's worst function first (default true; only with the tight seeds, so that
   * `tight: false` is the search from random starts alone).
   */
  pep?: boolean;
  onProgress?: (text: string) => void;
}

export const TIGHTNESS_DEFAULTS = { steps: 20, instances: 24, rounds: 30, points: 6, starts: 3, seed: 0 } as const;

export interface TightnessResult {
  theorem: string;
  /** The bound and the measured quantity at the worst instance, and their ratio (≤ 1 while the bound holds). */
  bound: number;
  worst: number;
  ratio: number;
  /** '<=' for an upper bound (ratio worst/bound), '>=' for a lower bound (ratio bound/worst). */
  relation: '<=' | '>=';
  /** The float32 tolerance at that step (runs) or the float64 one (lemmas): a ratio above 1 by less is not a violation. */
  tolerance: number;
  witness: { family: string; params: Record<string, unknown>; parameters: Record<string, number>; step?: number; point?: Record<string, number[]> };
  /** Runs: the same witness in the float64 search. */
  float64_ratio?: number;
  set: Record<string, number | string>;
  steps?: number;
  search: {
    candidates: number; evaluations: number; families: Record<string, number>; tight_seeds: boolean;
    /** The best ratio among the sampled candidates, before refinement (float64). */
    sampled_ratio: number;
    /** The best ratio after refinement (float64). */
    refined_ratio: number;
  };
  backend: BackendName | 'float64';
  seed: number;
  seconds: number;
  /**
   * Performance estimation, when it was tried: its worst case τ and verdict against the bound (`used`: the
   * witness is its worst function and no search ran), or the reason it could not be used.
   */
  pep?: { used: true; tau: number; bound: number; verdict: string; rank: number } | { used: false; reason: string };
}

export async function tightness(th: Theorem, opts: TightnessOptions = {}): Promise<TightnessResult> {
  const started = performance.now();
  const seed = opts.seed ?? TIGHTNESS_DEFAULTS.seed;
  if (th.kind === 'lemma' && Object.values(th.points ?? {}).some((k) => k === 'symmetric-matrix')) {
    throw new UsageError(`${th.id} draws its own matrices, not witnesses from families: there is no worst instance to search`);
  }
  const steps = th.kind === 'run' ? opts.steps ?? TIGHTNESS_DEFAULTS.steps : 1;
  if (th.kind === 'run' && steps < (th.from ?? 0)) throw new UsageError(`${th.id}: the bound is checked from step ${th.from}; take N ≥ ${th.from}`);
  const set = opts.set ?? {};
  const theorem = opts.family ? { ...th, families: [opts.family] } : th;
  const ctx: SearchContext = { theorem, statement: parseStatement(th.statement), goal: 'ratio', steps, seed, set, instances: new Instances() };
  const rng = makeRng(seed);
  const progress = opts.onProgress ?? (() => {});
  const tight = opts.tight ?? true;

  checkSet(th, set);
  let pepNote: TightnessResult['pep'];
  if (th.kind === 'run' && tight && (opts.pep ?? true) && !opts.family) {
    // An exact class's worst function attains the worst case over the class: nothing to search for.
    progress(`tightness ${th.id}: performance estimation at N = ${steps}…`);
    const pw = await pepWitness(th, set, steps);
    if ('reason' in pw) pepNote = { used: false, reason: pw.reason };
    else {
      const backend = await initEngine();
      const [run] = await evaluate(ctx, [pw.candidate], 'tfjs');
      if (run.valid && run.at && Number.isFinite(run.objective)) {
        const at = run.at;
        const ratio64 = pw.report.ratio ?? (pw.report.tau! / pw.report.bound!);
        return {
          theorem: th.id, bound: at.bound, worst: at.measured, relation: '<=', ratio: at.measured / at.bound, tolerance: at.tolerance,
          witness: { family: pw.candidate.family, params: pw.candidate.params, parameters: at.parameters, step: at.step },
          float64_ratio: ratio64, set, steps,
          search: { candidates: 1, evaluations: 1, families: { [pw.candidate.family]: 1 }, tight_seeds: tight, sampled_ratio: ratio64, refined_ratio: ratio64 },
          backend, seed, seconds: (performance.now() - started) / 1000,
          pep: { used: true, tau: pw.report.tau!, bound: pw.report.bound!, verdict: pw.report.verdict ?? 'none', rank: pw.data.rank },
        };
      }
      pepNote = { used: false, reason: `the real run on the worst function does not resolve the bound at step ${steps}` };
    }
  }
  progress(`tightness ${th.id}: sampling witnesses…`);
  const sample = sampleCandidates(ctx, { perFamily: opts.instances ?? TIGHTNESS_DEFAULTS.instances, points: TIGHTNESS_DEFAULTS.points, tight, rng });
  if (sample.candidates.length === 0) {
    throw new UsageError(`tightness ${th.id}: no witness satisfies the assumptions with ${describeSet(set)}`);
  }
  const scored = await evaluate(ctx, sample.candidates);
  let evaluations = scored.length;
  const starts = pickStarts(scored, TIGHTNESS_DEFAULTS.starts);
  if (starts.length === 0) throw new UsageError(`tightness ${th.id}: the bound is not resolved at ${th.kind === 'run' ? `step ${steps}` : 'any point'} on any witness (choose a smaller N)`);
  progress(`tightness ${th.id}: refining the ${starts.length} worst of ${scored.length}…`);
  const refined = await refine(ctx, starts, {
    rounds: opts.rounds ?? TIGHTNESS_DEFAULTS.rounds, rng, coordsPerRound: 6, joint: 2,
    // The float64 search's ratio; the result's ratio is the float32 run's of the worst witnesses found.
    onRound: (r, best) => progress(`tightness ${th.id}: round ${r + 1}, float64 search ratio ${best.toFixed(6)}`),
  });
  evaluations += refined.evaluations;
  const best = [...refined.best].sort((a, b) => b.objective - a.objective);

  let chosen: Scored = best[0];
  let float64Ratio: number | undefined;
  let backend: TightnessResult['backend'] = 'float64';
  if (th.kind === 'run') {
    // The ratio reported is a real float32 run's; the float64 search only proposed the witnesses.
    backend = await initEngine();
    const confirmed = await evaluate(ctx, best.map((s) => s.candidate), 'tfjs');
    const i = confirmed.reduce((k, s, j) => (s.valid && Number.isFinite(s.objective) && (k < 0 || s.objective > confirmed[k].objective) ? j : k), -1);
    if (i < 0) throw new UsageError(`tightness ${th.id}: the float32 run does not resolve the bound at step ${steps} on the worst witnesses (choose a smaller N)`);
    chosen = confirmed[i];
    float64Ratio = best[i].at!.measured / best[i].at!.bound;
  }
  const at = chosen.at!;
  const c = chosen.candidate;
  return {
    theorem: th.id, bound: at.bound, worst: at.measured, relation: at.relation === '>=' ? '>=' : '<=',
    // a lower bound (quantity >= bound) is attained as bound/quantity → 1
    ratio: at.relation === '>=' ? at.bound / at.measured : at.measured / at.bound, tolerance: at.tolerance,
    witness: { family: c.family, params: c.params, parameters: at.parameters, ...(at.step !== undefined ? { step: at.step } : {}), ...(c.point ? { point: c.point } : {}) },
    ...(float64Ratio !== undefined ? { float64_ratio: float64Ratio } : {}),
    set, ...(th.kind === 'run' ? { steps } : {}),
    search: {
      candidates: sample.candidates.length, evaluations, families: sample.families, tight_seeds: tight,
      sampled_ratio: starts[0].objective, refined_ratio: best[0].objective,
    },
    backend, seed, seconds: (performance.now() - started) / 1000,
    ...(pepNote ? { pep: pepNote } : {}),
  };
}

const describeSet = (set: Record<string, number | string>) => (Object.keys(set).length ? Object.entries(set).map(([k, v]) => `${k} = ${v}`).join(', ') : 'its parameters sampled');

/** Unknown or derived names in --set are usage errors, as in verify. */
function checkSet(th: Theorem, set: Record<string, number | string>): void {
  for (const name of Object.keys(set)) {
    if (th.derived && name in th.derived) throw new UsageError(`${th.id}: ${name} is derived (${name} = ${th.derived[name]}); set the parameters it is computed from`);
    const free = freeParameters(th, {});
    if (!free.includes(name)) {
      throw new UsageError(`${th.id}: unknown parameter '${name}'` + (free.length ? ` (its parameters: ${free.join(', ')})` : ' (it has no free parameters)'));
    }
  }
}
