/**
 * Searching witnesses for the worst case of a statement: the machinery
 * shared by `relax` (the largest violation of a theorem under relaxed
 * assumptions) and `tightness` (the largest ratio measured/bound).
 *
 * A candidate is a family's params (x0 included), the theorem's free
 * parameters, and for lemmas the sampled point. The search
 *  1. samples candidates: each family's fast-check arbitrary, parameters
 *     drawn inside the (relaxed) domain, mostly outside the original one;
 *  2. scores them with the verifier's own checks (src/verify/runCheck.ts with
 *     the float64 driver for runs, the lemma checker's comparison for lemmas,
 *     the statistical check over seeded TensorFlow.js runs for bounds in
 *     expectation), so the tolerance model is the one `verify` uses;
 *  3. (not for bounds in expectation, where each score costs many seeded
 *     runs) refines the best few by pattern search: each numeric coordinate moved
 *     up and down (multiplicatively where it is positive), plus a few joint
 *     random moves, the step growing on success and halving on failure;
 *  4. (relax) shrinks the chosen violation to short numbers that still violate.
 * Everything random comes from the seed, so a search replays.
 */
import fc from 'fast-check';
import { familyById } from '../classes/index.ts';
import type { Family, Instance } from '../classes/types.ts';
import { makeRng, type Rng } from '../numeric/rng.ts';
import type { Vec } from '../numeric/linalg.ts';
import { intervalFor, parseConstraints, type Interval } from '../language/domain.ts';
import type { Statement } from '../language/statement.ts';
import type { Theorem } from '../theorems/types.ts';
import { evaluatePoint, partsWithTerms, pointSampler, prepareLemmaWitness, type LemmaWitness } from '../verify/lemma.ts';
import type { Counterexample } from '../verify/result.ts';
import { checkExpectation } from '../verify/expectation.ts';
import { checkRun, type StepCheck } from '../verify/runCheck.ts';
import { DEFAULTS } from '../verify/verify.ts';
import { constantsOf, freeParameters, resolveSet, theoremParameters, type Scope } from '../verify/scope.ts';
import { UsageError } from '../language/usage.ts';
import { Tally } from '../verify/tally.ts';
import { candidateFamilies, DEFAULT_DIMS, satisfies, type Witness } from '../verify/witnesses.ts';
import type { Instances } from './instances.ts';

export interface Candidate {
  family: string;
  /** Family params: `familyById(family).instantiate(params)` builds the witness. */
  params: Record<string, unknown>;
  /** The theorem's free parameters (derived ones are computed from them). */
  parameters: Record<string, number>;
  /** Lemmas: the point(s) the statement is evaluated at. */
  point?: Record<string, number[]>;
}

export interface Scored {
  candidate: Candidate;
  /** The witness satisfies the assumptions and its parameters the domain. */
  valid: boolean;
  /**
   * `violation`: the largest excess over the tolerance, relative to the size
   * of both sides, (q − b − tol)/(|q| + |b| + tol) for q <= b: in (−1, 1],
   * positive only beyond the tolerance, 1 for a run that diverged.
   * `ratio`: measured/bound at the checked step (lemmas: the largest over parts), where resolved.
   */
  objective: number;
  /** The verifier's own counterexample (the first step or part beyond the tolerance). */
  counterexample?: Counterexample;
  /** `ratio`: both sides and the tolerance where the ratio was taken. */
  /** `relation`: '>=' for a lower bound (a lemma part quantity >= bound), where the ratio is bound/measured. */
  at?: { step?: number; measured: number; bound: number; tolerance: number; parameters: Record<string, number>; relation?: string };
  /** Some check stood above the float32 (or float64) floor. */
  resolved: boolean;
}

export type Goal = 'violation' | 'ratio';

export interface SearchContext {
  theorem: Theorem;
  /** relax: the theorem before relaxation, whose domain the sampling widens. */
  original?: Theorem;
  statement: Statement;
  goal: Goal;
  /** Runs: steps per run; `ratio` takes the ratio at the last one. */
  steps: number;
  seed: number;
  /** Parameters fixed by the user: numbers, or expressions in the instance's constants (`gamma: '1/L'`). */
  set?: Record<string, number | string>;
  /** Expectation theorems: independent runs per witness (default: verify's). */
  seeds?: number;
  /** The search's instances, built once per family and params (left out: each evaluation builds its own). */
  instances?: Instances;
}

/** The instance of a family's params: the search's own when it keeps them, else a new one from a copy of the params. */
export function instanceOf(ctx: Pick<SearchContext, 'instances'>, family: Family, params: Record<string, unknown>): Instance {
  return ctx.instances ? ctx.instances.of(family, params) : family.instantiate(structuredClone(params));
}

/** Keys of family params that are structure, not numbers to move (the dimension, a rank, a rotation seed; f*, which only shifts). */
const STRUCTURAL_KEYS = new Set(['dim', 'rank', 'rotationSeed', 'p', 'k', 'n', 'fstar']);
/** Vector params that are the start (moved additively) or spectra (moved multiplicatively); other arrays (data, x*) stay. */
const POINT_KEYS = new Set(['x0']);
const SPECTRUM_KEYS = new Set(['eigenvalues']);
/** Lists of rows that are interchangeable samples (noisy-quadratic's shifts): moved additively, and fewer of them is simpler. */
const SAMPLE_ROW_KEYS = new Set(['shifts']);

// ---------------------------------------------------------------- scoring

/**
 * Where a freed constant may go on this instance. When the witness does have
 * the dropped class, the claim must be one it satisfies (L at least its L, mu
 * at most its mu): otherwise Lessard's function (25-smooth) "fails" for a
 * claimed L = 4, which refutes a wrong constant, not the relaxation. Witnesses
 * without the class are free: that is where a relaxation can fail.
 */
export function freedLimits(ctx: SearchContext, inst: Instance): Record<string, { lo: number; hi: number }> {
  const out: Record<string, { lo: number; hi: number }> = {};
  const c = inst.cert;
  const orig = ctx.original?.classes ?? [];
  for (const name of ctx.theorem.freeConstants ?? []) {
    if (name === 'L' && c.L !== undefined) out.L = { lo: c.L, hi: Infinity };
    if (name === 'G' && c.G !== undefined) out.G = { lo: c.G, hi: Infinity };
    if (name === 'mu') {
      const mu = orig.includes('mu-strongly-convex') ? c.mu : orig.includes('mu-PL') ? c.pl ?? c.mu : undefined;
      if (mu !== undefined) out.mu = { lo: 0, hi: mu };
    }
    // a regularised witness has its own lambda; a mu-strongly convex f is (convex) + (lambda/2)‖x‖² for every lambda ≤ mu
    if (name === 'lambda' && c.regularized) out.lambda = { lo: c.regularized.lambda, hi: c.regularized.lambda };
    else if (name === 'lambda' && c.mu !== undefined) out.lambda = { lo: 0, hi: c.mu };
  }
  return out;
}

/** The witness of a candidate, or null when it is not one of the (relaxed) theorem's. */
function toWitness(ctx: SearchContext, c: Candidate): { witness: Witness; constants: Scope; parameters: Record<string, number> } | null {
  const th = ctx.theorem;
  const family = familyById(c.family);
  if (!family) return null;
  let instance: Instance;
  try {
    instance = instanceOf(ctx, family, c.params);
  } catch {
    return null;
  }
  if (!satisfies(th, instance)) return null;
  const constants = constantsOf(th, instance);
  let set: Record<string, number>;
  try {
    set = resolveSet(ctx.set, constants);
  } catch {
    return null;
  }
  const free = new Set(freeParameters(th, constants));
  const given = Object.fromEntries(Object.entries({ ...c.parameters, ...set }).filter(([k]) => free.has(k)));
  let parameters: Record<string, number>;
  try {
    parameters = theoremParameters(th, constants, makeRng(0), given);
  } catch {
    return null;
  }
  if (Object.values(parameters).some((v) => !Number.isFinite(v))) return null;
  for (const [name, { lo, hi }] of Object.entries(freedLimits(ctx, instance))) {
    if (!(parameters[name] >= lo && parameters[name] <= hi)) return null;
  }
  return { witness: { family, instance, set: given }, constants, parameters };
}

const relSize = (q: number, b: number, tol: number) => Math.abs(q) + Math.abs(b) + tol;

/**
 * Scores candidates; `driver` chooses float64 (search) or real TensorFlow.js runs (confirmation).
 * Bounds in expectation are always real runs with ctx.seeds seeds per witness, all candidates in one
 * statistical check (its Bonferroni count covers them all), so a candidate's score depends on its company.
 */
export async function evaluate(ctx: SearchContext, cands: readonly Candidate[], driver: 'float64' | 'tfjs' = 'float64', stepsOverride?: number): Promise<Scored[]> {
  return ctx.theorem.kind === 'lemma' ? evaluateLemma(ctx, cands) : evaluateRun(ctx, cands, driver, stepsOverride ?? ctx.steps);
}

/** Runs and bounds in expectation, scored step by step from the verifier's own checks. */
async function evaluateRun(ctx: SearchContext, cands: readonly Candidate[], driver: 'float64' | 'tfjs', steps: number): Promise<Scored[]> {
  const out: Scored[] = cands.map((candidate) => ({ candidate, valid: false, objective: -Infinity, resolved: false }));
  const witnesses: Witness[] = [];
  const owner: number[] = [];
  const parameters: Record<string, number>[] = [];
  cands.forEach((c, i) => {
    const w = toWitness(ctx, c);
    if (w) { witnesses.push(w.witness); owner.push(i); parameters.push(w.parameters); out[i].valid = true; }
  });
  if (witnesses.length === 0) return out;
  const observe = (w: number, s: StepCheck) => {
    const o = out[owner[w]];
    if (s.resolved) o.resolved = true;
    if (s.counterexample && !o.counterexample) o.counterexample = s.counterexample;
    if (ctx.goal === 'violation') {
      // t = 0 only counts when violated: most bounds equal the start there, a flat objective
      if (s.t === 0 && !s.counterexample) return;
      // against the bound a violation must clear: the nudged one when it was computed
      const b = Math.max(s.bound, s.upper ?? -Infinity);
      const tol = s.upper !== undefined && s.upper >= s.bound ? s.upperTolerance! : s.tolerance;
      const v = s.counterexample?.divergence ? 1 : (s.measured - b - tol) / relSize(s.measured, b, tol);
      if (Number.isFinite(v) && v > o.objective) o.objective = v;
    } else if (s.t === steps && s.resolved && s.bound > 0) {
      // The exact-arithmetic value is at least measured − tolerance: the search cannot climb on rounding.
      o.objective = (s.measured - s.tolerance) / s.bound;
      o.at = { step: s.t, measured: s.measured, bound: s.bound, tolerance: s.tolerance, parameters: parameters[w] };
    }
  };
  if (ctx.theorem.kind === 'expectation') {
    if (ctx.goal !== 'violation') throw new UsageError(`${ctx.theorem.id} is a bound in expectation: there is no worst instance to search for it`);
    await checkExpectation(ctx.theorem, ctx.statement, witnesses, {
      steps, seed: ctx.seed, seeds: ctx.seeds ?? DEFAULTS.seeds, alpha: DEFAULTS.alpha, curvesPerFamily: 0,
      // The interval's lower end is what must clear the bound: a violation is scored by it.
      observe: (w, c) => observe(w, { t: c.t, measured: c.interval.lo, bound: c.bound, tolerance: c.tolerance, resolved: c.resolved, counterexample: c.counterexample }),
    }, new Tally(), []);
  } else {
    await checkRun(ctx.theorem, ctx.statement, witnesses, { steps, seed: ctx.seed, curvesPerFamily: 0, driver, continueAfterViolation: true, observe }, new Tally(), []);
  }
  return out;
}

/** Lemma witnesses are folded once and reused while only the point moves. */
const lemmaCache = new WeakMap<SearchContext, Map<string, { lw: LemmaWitness; parameters: Record<string, number> } | null>>();

function evaluateLemma(ctx: SearchContext, cands: readonly Candidate[]): Scored[] {
  const cache = lemmaCache.get(ctx) ?? new Map<string, { lw: LemmaWitness; parameters: Record<string, number> } | null>();
  lemmaCache.set(ctx, cache);
  const parts = partsWithTerms(ctx.statement);
  return cands.map((candidate) => {
    const key = JSON.stringify([candidate.family, candidate.params, candidate.parameters]);
    if (!cache.has(key)) {
      const w = toWitness(ctx, candidate);
      cache.set(key, w ? { lw: prepareLemmaWitness(ctx.theorem, parts, w.witness, w.constants, w.parameters), parameters: w.parameters } : null);
    }
    const prepared = cache.get(key);
    const scored: Scored = { candidate, valid: !!prepared, objective: -Infinity, resolved: false };
    if (!prepared) return scored;
    let checks;
    try {
      checks = evaluatePoint(prepared.lw, candidate.point ?? {});
    } catch {
      scored.valid = false;
      return scored;
    }
    for (const c of checks) {
      if (!c.finite) continue;
      if (Math.abs(c.bound) > c.tolerance) scored.resolved = true;
      if (ctx.goal === 'violation') {
        const v = (-c.slack - c.tolerance) / relSize(c.quantity, c.bound, c.tolerance);
        if (v > scored.objective) scored.objective = v;
        if (c.slack < -c.tolerance && !scored.counterexample) {
          scored.counterexample = {
            family: candidate.family, params: candidate.params, parameters: prepared.parameters, point: candidate.point ?? {},
            part: c.index, relation: `${c.part.lhs} ${c.part.relation} ${c.part.rhs}`,
            measured: c.quantity, bound: c.bound, tolerance: c.tolerance,
          };
        }
      } else {
        // quantity <= bound: q/b; quantity >= bound: b/q (both ≤ 1 while the lemma holds)
        const [num, den] = c.part.relation === '>=' ? [c.bound, c.quantity] : [c.quantity, c.bound];
        // Rounding counted against the ratio (the numerator less, the denominator more), so that it cannot be climbed on.
        const r = (num - c.tolerance) / (den + c.tolerance);
        if (den > c.tolerance && Math.abs(c.bound) > c.tolerance && r > scored.objective) {
          scored.objective = r;
          scored.at = { measured: c.quantity, bound: c.bound, tolerance: c.tolerance, parameters: prepared.parameters, relation: c.part.relation };
        }
      }
    }
    return scored;
  });
}

// ---------------------------------------------------------------- sampling

/** Where the relaxed domain lets a parameter go, and the original domain it came from. */
function samplingRange(name: string, iv: Interval, orig: Interval | null, range?: readonly [number, number]): { lo: number; hi: number; orig: Interval | null } {
  let { lo, hi } = iv;
  if (!Number.isFinite(hi)) {
    if (orig && Number.isFinite(orig.hi)) {
      // widen a dropped upper bound fourfold from the lower end (gamma <= 2/L → up to 8/L)
      const base = Number.isFinite(lo) ? lo : Number.isFinite(orig.lo) ? orig.lo : orig.hi - Math.max(1, Math.abs(orig.hi));
      hi = orig.hi > base ? base + 4 * (orig.hi - base) : orig.hi + 3 * Math.max(1, Math.abs(orig.hi));
    } else if (range) {
      hi = range[1];
      if (!Number.isFinite(lo) || lo < range[0]) lo = Math.max(lo, range[0]);
    } else throw new UsageError(`cannot search '${name}': nothing bounds it from above (add a constraint such as "${name} <= 10")`);
  }
  if (!Number.isFinite(lo)) {
    if (orig && Number.isFinite(orig.lo)) lo = hi - 4 * (hi - orig.lo);
    else if (range) lo = range[0];
    else throw new UsageError(`cannot search '${name}': nothing bounds it from below (add a constraint such as "${name} >= 0")`);
  }
  return { lo, hi, orig };
}

/** A value in [lo, hi]: mostly outside the original domain when there is room there, log-uniform on wide positive ranges. */
function drawIn(r: { lo: number; hi: number; orig: Interval | null }, iv: Interval, rng: Rng): number {
  const { lo, hi, orig } = r;
  const outside: [number, number][] = [];
  if (orig) {
    if (hi > orig.hi) outside.push([Math.max(orig.hi, lo), hi]);
    if (lo < orig.lo) outside.push([lo, Math.min(orig.lo, hi)]);
  }
  if (outside.length && rng.next() < 0.7) {
    const [a, b] = outside[rng.int(outside.length)];
    // never the original domain's own end: just beyond it
    return a + (b - a) * (0.02 + 0.98 * rng.next());
  }
  if (!iv.hiOpen && Number.isFinite(iv.hi) && rng.next() < 0.2) return hi;
  if (lo >= 0 && hi > 0 && (lo === 0 || hi / lo > 100)) {
    const a = Math.max(lo, hi * 1e-4);
    return a * (hi / a) ** rng.next();
  }
  const v = lo + (hi - lo) * rng.next();
  return iv.loOpen && v === lo ? lo + 1e-3 * (hi - lo) : v;
}

/** Free parameters drawn for one instance (the user's `set` kept), or null when the domain has no room. */
export function sampleParameters(ctx: SearchContext, constants: Scope, rng: Rng, limits: Record<string, { lo: number; hi: number }> = {}): Record<string, number> | null {
  const th = ctx.theorem;
  const cs = parseConstraints(th.constraints);
  const origCs = ctx.original ? parseConstraints(ctx.original.constraints) : null;
  const origFree = ctx.original ? new Set(freeParameters(ctx.original, constants)) : new Set<string>();
  const set = resolveSet(ctx.set, constants);
  const scope: Scope = { ...constants, ...set };
  const drawn: Record<string, number> = {};
  for (const name of freeParameters(th, constants)) {
    if (name in set) continue;
    const iv = intervalFor(name, cs, scope);
    const lim = limits[name];
    if (lim && lim.lo > iv.lo) { iv.lo = lim.lo; iv.loOpen = false; }
    if (lim && lim.hi < iv.hi) { iv.hi = lim.hi; iv.hiOpen = false; }
    if (iv.lo > iv.hi) return null;
    const orig = origCs && origFree.has(name) ? intervalFor(name, origCs, scope) : null;
    const v = drawIn(samplingRange(name, iv, orig, th.ranges?.[name]), iv, rng);
    scope[name] = drawn[name] = v;
  }
  return drawn;
}

export interface Sample {
  candidates: Candidate[];
  /** Instances per family that satisfied the assumptions. */
  families: Record<string, number>;
  /** Why a family gave nothing, or a domain was empty. */
  notes: string[];
  /** Instances that satisfied the classes but left no room in the parameter domain, with why (the first). */
  emptyDomain?: string;
  satisfying: number;
}

/**
 * Candidates from every family whose instances satisfy the theorem's classes:
 * `perFamily` instances per family spread over its dimensions, `points` points
 * each for a lemma, plus the theorem's own tight witnesses when `tight`.
 */
export function sampleCandidates(ctx: SearchContext, opts: { perFamily: number; points: number; tight: boolean; rng: Rng; emptyDomain?: (constants: Scope) => string | null }): Sample {
  const th = ctx.theorem;
  const sample: Sample = { candidates: [], families: {}, notes: [], satisfying: 0 };
  const add = (familyId: string, params: Record<string, unknown>, inst: Instance, preset: Record<string, number> = {}) => {
    if (!satisfies(th, inst)) return;
    sample.satisfying++;
    const constants = constantsOf(th, inst);
    const why = opts.emptyDomain?.({ ...constants, ...resolveSet(ctx.set, constants), ...preset });
    if (why) { sample.emptyDomain ??= why; return; }
    const sampler = th.kind === 'lemma' ? pointSampler(inst, opts.rng) : null;
    const drawn = sampleParameters({ ...ctx, set: { ...ctx.set, ...preset } }, constants, opts.rng, freedLimits(ctx, inst));
    if (!drawn) return;
    let kept = 0;
    for (let k = 0; k < (sampler ? opts.points : 1); k++) {
      const c: Candidate = { family: familyId, params, parameters: { ...preset, ...drawn } };
      if (sampler) {
        const point: Record<string, number[]> = {};
        let base: Vec | undefined;
        for (const name of Object.keys(th.points ?? {})) {
          const p = sampler(base);
          base ??= p;
          point[name] = Array.from(p);
        }
        c.point = point;
      }
      if (!toWitness(ctx, c)) continue;
      sample.candidates.push(c);
      kept++;
    }
    if (kept) sample.families[familyId] = (sample.families[familyId] ?? 0) + 1;
  };
  candidateFamilies(th).forEach((family, k) => {
    const dims = family.dims ?? DEFAULT_DIMS;
    dims.forEach((dim, j) => {
      const want = Math.floor(opts.perFamily / dims.length) + (j < opts.perFamily % dims.length ? 1 : 0);
      if (want === 0) return;
      for (const params of fc.sample(family.arbitrary({ dim }), { seed: ctx.seed + 1009 * k + 17 * j, numRuns: want })) {
        let inst: Instance;
        try { inst = ctx.instances ? ctx.instances.of(family, params as Record<string, unknown>) : family.instantiate(params); } catch { continue; }
        add(family.id, params as Record<string, unknown>, inst);
      }
    });
  });
  if (opts.tight) {
    for (const tw of th.witnesses?.({ steps: ctx.steps }) ?? []) {
      const family = familyById(tw.family);
      if (!family) continue;
      add(family.id, tw.params, family.instantiate(tw.params), tw.set);
    }
  }
  return sample;
}

// ---------------------------------------------------------------- refinement

interface Coord {
  name: string;
  get(c: Candidate): number;
  with(c: Candidate, v: number): Candidate;
  /** log: moved by factors e^{±δ}; lin: by ±δ·scale. */
  kind: 'log' | 'lin';
  scale: number;
  /** Shrinking tries ±1 early: a sample row's size only scales the noise, and 1 is the reference case (½(x ∓ 1)²). */
  unit?: boolean;
}

const rms = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / Math.max(1, v.length));

/** The numeric coordinates a search may move: family scalars, points and spectra, free parameters, lemma points. */
export function coordinatesOf(ctx: SearchContext, c: Candidate): Coord[] {
  const coords: Coord[] = [];
  for (const [key, v] of Object.entries(c.params)) {
    if (STRUCTURAL_KEYS.has(key)) continue;
    if (typeof v === 'number') {
      coords.push({
        name: key, kind: v > 0 ? 'log' : 'lin', scale: Math.max(Math.abs(v), 1),
        get: (x) => x.params[key] as number,
        with: (x, nv) => ({ ...x, params: { ...x.params, [key]: nv } }),
      });
    } else if (SAMPLE_ROW_KEYS.has(key) && isRows(v)) {
      const scale = Math.max(rms(v.flat()), 1e-3);
      v.forEach((row, r) => row.forEach((_, i) => coords.push({
        name: `${key}[${r}][${i}]`, kind: 'lin', scale, unit: true,
        get: (x) => (x.params[key] as number[][])[r][i],
        with: (x, nv) => ({ ...x, params: { ...x.params, [key]: (x.params[key] as number[][]).map((row2, r2) => (r2 === r ? row2.map((e, j) => (j === i ? nv : e)) : row2)) } }),
      })));
    } else if (Array.isArray(v) && (POINT_KEYS.has(key) || SPECTRUM_KEYS.has(key)) && v.every((e) => typeof e === 'number')) {
      const scale = Math.max(rms(v as number[]), 1e-3);
      (v as number[]).forEach((_, i) => coords.push({
        name: `${key}[${i}]`, kind: SPECTRUM_KEYS.has(key) ? 'log' : 'lin', scale,
        get: (x) => (x.params[key] as number[])[i],
        with: (x, nv) => ({ ...x, params: { ...x.params, [key]: (x.params[key] as number[]).map((e, j) => (j === i ? nv : e)) } }),
      }));
    }
  }
  for (const [key, v] of Object.entries(c.parameters)) {
    if (ctx.set && key in ctx.set) continue;
    coords.push({
      name: key, kind: v > 0 ? 'log' : 'lin', scale: Math.max(Math.abs(v), 1e-3),
      get: (x) => x.parameters[key],
      with: (x, nv) => ({ ...x, parameters: { ...x.parameters, [key]: nv } }),
    });
  }
  for (const [key, p] of Object.entries(c.point ?? {})) {
    const scale = Math.max(rms(p), 1e-3);
    p.forEach((_, i) => coords.push({
      name: `${key}[${i}]`, kind: 'lin', scale,
      get: (x) => x.point![key][i],
      with: (x, nv) => ({ ...x, point: { ...x.point!, [key]: x.point![key].map((e, j) => (j === i ? nv : e)) } }),
    }));
  }
  return coords;
}

const isRows = (v: unknown): v is number[][] => Array.isArray(v) && v.every((r) => Array.isArray(r) && r.every((e) => typeof e === 'number'));

const move = (co: Coord, c: Candidate, step: number): Candidate => {
  const v = co.get(c);
  return co.with(c, co.kind === 'log' ? v * Math.exp(step) : v + step * co.scale);
};

export interface RefineOptions {
  rounds: number;
  rng: Rng;
  /** Coordinates tried per start and round (a random subset when there are more). */
  coordsPerRound?: number;
  /** Joint random moves per start and round. */
  joint?: number;
  onRound?: (round: number, best: number) => void;
}

/** Better: valid, and a larger objective (a violation the verifier records beats one it does not). */
function better(a: Scored, b: Scored): boolean {
  if (!a.valid || !Number.isFinite(a.objective)) return false;
  if (!Number.isFinite(b.objective)) return true;
  return a.objective > b.objective + 1e-12 * Math.abs(b.objective);
}

/** Pattern search from each start, in parallel (one batch of proposals per round). Returns the improved starts. */
export async function refine(ctx: SearchContext, starts: readonly Scored[], opts: RefineOptions): Promise<{ best: Scored[]; evaluations: number }> {
  const per = opts.coordsPerRound ?? 8;
  const joint = opts.joint ?? 3;
  const states = starts.map((s) => {
    const coords = coordinatesOf(ctx, s.candidate);
    return { best: s, coords, delta: coords.map(() => 0.3), stale: 0 };
  });
  let evaluations = 0;
  for (let round = 0; round < opts.rounds; round++) {
    const proposals: { state: number; cand: Candidate; coords: number[] }[] = [];
    states.forEach((st, si) => {
      if (st.coords.length === 0 || Math.max(...st.delta) < 1e-4) return;
      const order = st.coords.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) { const j = opts.rng.int(i + 1); [order[i], order[j]] = [order[j], order[i]]; }
      for (const i of order.slice(0, per)) {
        for (const sign of [1, -1]) proposals.push({ state: si, cand: move(st.coords[i], st.best.candidate, sign * st.delta[i]), coords: [i] });
      }
      for (let j = 0; j < joint; j++) {
        let cand = st.best.candidate;
        st.coords.forEach((co, i) => { cand = move(co, cand, 0.5 * st.delta[i] * opts.rng.normal()); });
        proposals.push({ state: si, cand, coords: st.coords.map((_, i) => i) });
      }
    });
    if (proposals.length === 0) break;
    const scored = await evaluate(ctx, proposals.map((p) => p.cand));
    evaluations += proposals.length;
    states.forEach((st, si) => {
      let bestK = -1;
      proposals.forEach((p, k) => {
        if (p.state !== si) return;
        if (better(scored[k], bestK < 0 ? st.best : scored[bestK])) bestK = k;
      });
      const tried = new Set(proposals.filter((p) => p.state === si && p.coords.length === 1).map((p) => p.coords[0]));
      if (bestK >= 0) {
        st.best = scored[bestK];
        for (const i of proposals[bestK].coords) st.delta[i] = Math.min(2, st.delta[i] * (proposals[bestK].coords.length === 1 ? 2 : 1.25));
        st.stale = 0;
      } else {
        for (const i of tried) st.delta[i] *= 0.5;
        st.stale++;
      }
    });
    opts.onRound?.(round, Math.max(...states.map((s) => s.best.objective)));
  }
  return { best: states.map((s) => s.best), evaluations };
}

/** The best `k` valid candidates, at most one per family and dimension first (so that refinement starts from different kinds). */
export function pickStarts(scored: readonly Scored[], k: number): Scored[] {
  const valid = scored.filter((s) => s.valid && Number.isFinite(s.objective)).sort((a, b) => b.objective - a.objective);
  const seen = new Set<string>();
  const out: Scored[] = [];
  for (const s of valid) {
    const key = `${s.candidate.family}/${dimOf(s.candidate)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
    if (out.length === k) return out;
  }
  for (const s of valid) if (!out.includes(s) && out.length < k) out.push(s);
  return out;
}

const dimOf = (c: Candidate) => (Array.isArray(c.params.x0) ? (c.params.x0 as unknown[]).length : 0);

/** How much there is to read: the dimension first, then the digits of every number. */
export function complexity(c: Candidate): number {
  const digits = (v: number) => (v === 0 ? 1 : String(v).replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').length);
  let n = 0;
  const walk = (v: unknown) => {
    if (typeof v === 'number') n += digits(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk([c.params, c.parameters, c.point ?? {}]);
  return 1000 * dimOf(c) + n;
}

// ---------------------------------------------------------------- shrinking

/**
 * Which way a freed constant makes its claim weaker: a smaller rate constant,
 * a larger smoothness or Lipschitz constant. (lambda is left alone: it is a
 * rate in gd-regularized and a smoothness term in logistic-smoothness.)
 */
export const WEAKER: Record<string, 'down' | 'up'> = { mu: 'down', L: 'up', G: 'up' };

/**
 * Shorter numbers near v, simplest first: 0 (for a coordinate that may be 0),
 * ±1 for a `unit` one, then 1, 2, 3 significant digits. A freed constant first tries weaker claims
 * (mu smaller, L larger, by factors of 10): a counterexample for a tiny mu
 * says more than one for mu = L.
 */
function simplifications(v: number, kind: 'log' | 'lin', weaker?: 'down' | 'up', unit = false): number[] {
  const out: number[] = [];
  if (weaker === 'down') out.push(...[1e-3, 1e-2, 1e-1].map((k) => Number((v * k).toPrecision(1))));
  if (weaker === 'up') out.push(...[1e3, 1e2, 10].map((k) => Number((v * k).toPrecision(1))));
  if (kind === 'lin' && v !== 0) out.push(0);
  if (unit && v !== 0) out.push(Math.sign(v));
  for (const p of [1, 2, 3, 4]) out.push(Number(v.toPrecision(p)));
  return [...new Set(out)].filter((x) => x !== v);
}

/**
 * The candidate restricted to some coordinates of its space: every params
 * vector of the dimension (x0, x*, the spectrum), the columns of data
 * matrices, `dim`, and the lemma's points. Null when the family refuses it.
 */
export function keepCoordinates(c: Candidate, keep: readonly number[]): Candidate | null {
  const d = dimOf(c);
  if (d === 0 || keep.length === 0) return null;
  const pick = (v: unknown): unknown => {
    if (Array.isArray(v) && v.length === d && v.every((e) => typeof e === 'number')) return keep.map((i) => v[i]);
    if (Array.isArray(v) && v.length > 0 && v.every((r) => Array.isArray(r) && r.length === d)) return v.map((r) => keep.map((i) => (r as number[])[i]));
    return v;
  };
  const params = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, k === 'dim' ? keep.length : pick(v)]));
  const point = c.point ? Object.fromEntries(Object.entries(c.point).map(([k, v]) => [k, pick(v) as number[]])) : undefined;
  return { ...c, params, ...(point ? { point } : {}) };
}

/**
 * A smaller, shorter candidate that keeps `good` true: first fewer
 * dimensions (straight to one coordinate when that still fails, else one
 * coordinate less at a time), then fewer sample rows (the first one, else the
 * first half) and no rotation, then shorter numbers, coordinate by coordinate
 * (each coordinate's options in one batch, the simplest good one kept),
 * until a round changes nothing.
 */
export async function shrink(ctx: SearchContext, start: Scored, good: (s: Scored) => boolean, rounds = 3): Promise<{ best: Scored; evaluations: number }> {
  let best = start;
  let evaluations = 0;
  for (let d = dimOf(best.candidate); d > 1; d = dimOf(best.candidate)) {
    const idx = Array.from({ length: d }, (_, i) => i).slice(0, 8);
    const proposals = [...idx.map((i) => [i]), ...idx.map((i) => Array.from({ length: d }, (_, j) => j).filter((j) => j !== i))]
      .map((keep) => keepCoordinates(best.candidate, keep)).filter((c): c is Candidate => c !== null);
    const scored = await evaluate(ctx, proposals);
    evaluations += proposals.length;
    const ok = scored.find(good);
    if (!ok) break;
    best = ok;
  }
  for (const [key, v] of Object.entries(best.candidate.params)) {
    if (!SAMPLE_ROW_KEYS.has(key) || !isRows(v) || v.length < 2) continue;
    const proposals = [...new Set([1, Math.ceil(v.length / 2)])].filter((n) => n < v.length)
      .map((n) => ({ ...best.candidate, params: { ...best.candidate.params, [key]: v.slice(0, n) } }));
    const scored = await evaluate(ctx, proposals);
    evaluations += proposals.length;
    const ok = scored.find(good);
    if (ok) best = ok;
  }
  // No rotation is simpler (in one dimension a rotation is only a sign).
  if (typeof best.candidate.params.rotationSeed === 'number') {
    const [s] = await evaluate(ctx, [{ ...best.candidate, params: { ...best.candidate.params, rotationSeed: null } }]);
    evaluations++;
    if (good(s)) best = s;
  }
  for (let round = 0; round < rounds; round++) {
    let changed = false;
    const coords = coordinatesOf(ctx, best.candidate);
    const freed = new Set(ctx.theorem.freeConstants ?? []);
    for (const co of coords) {
      const weaker = freed.has(co.name) ? WEAKER[co.name] : undefined;
      const options = simplifications(co.get(best.candidate), co.kind, weaker, co.unit);
      if (options.length === 0) continue;
      const scored = await evaluate(ctx, options.map((v) => co.with(best.candidate, v)));
      evaluations += options.length;
      const ok = scored.find(good);
      if (ok) { best = ok; changed = true; }
    }
    if (!changed) break;
  }
  return { best, evaluations };
}
