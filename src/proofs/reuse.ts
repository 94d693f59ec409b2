/**
 * Work the checker does once and re-uses, behind one switch (REUSE.on) so that
 * bench/proofs-reuse.ts can check every proof both ways and compare the results
 * field by field. With it off, every step draws its assignments through its own
 * fast-check run, as before.
 *
 * What is re-used is a pure function of its key: a seed's draws depend only on
 * the seed and the shape of the draw (how many dimensions, scalars, functions,
 * vectors and matrices a plan has: drawArb), so the files of a seed test, their
 * twins and their mutants share them; and the assignment a draw stands for
 * depends only on the draw and the plan (assignmentOf), so files with equal
 * plans share those.
 */
import fc from 'fast-check';
import type { Draw, Plan, Sampled, Rejection } from './sample.ts';

export const REUSE = { on: true };

/** The part of a plan that drawArb reads. */
const shapeOf = (plan: Plan) => [plan.dims.length, plan.scalars.length, plan.functions.length, plan.vectors.length, plan.matrices.length].join(',');

/** Draw sequences remembered: the checkers that share one (a file, its twins, its mutants) come one after another. */
const MAX_SEQUENCES = 64;
const sequences = new Map<string, Draw[]>();

/**
 * The first `n` draws of `seed`: those fast-check's run of a property over
 * `arb` (drawArb(plan)) with that seed tries first, in order (fc.sample walks
 * the same stream). Made once per shape and seed while REUSE.on, grown by
 * doubling; the arrays are shared and never written to.
 */
export function drawsOf(plan: Plan, arb: fc.Arbitrary<Draw>, seed: number, n: number): readonly Draw[] {
  if (!REUSE.on) return fc.sample(arb, { seed, numRuns: n });
  const key = `${shapeOf(plan)}|${seed}`;
  let d = sequences.get(key);
  if (!d || d.length < n) {
    d = fc.sample(arb, { seed, numRuns: Math.max(n, 2 * (d?.length ?? 0)) });
    if (sequences.size >= MAX_SEQUENCES) sequences.clear();
    sequences.set(key, d);
  }
  return d;
}

/**
 * A draw made from the seed's draws (the sharp witnesses' variants of them),
 * the same object for every checker of this shape and seed while REUSE.on, so
 * that its assignment is shared like theirs; `make` is a pure function of them.
 */
const derived = new Map<string, Draw>();
export function sharedDraw(plan: Plan, seed: number, what: string, make: () => Draw): Draw {
  if (!REUSE.on) return make();
  const key = `${shapeOf(plan)}|${seed}|${what}`;
  let d = derived.get(key);
  if (!d) {
    if (derived.size >= 20_000) derived.clear();
    d = make();
    derived.set(key, d);
  }
  return d;
}


/** Plans whose assignments are remembered (one per file and twin of a run, about). */
const MAX_PLANS = 256;
const assignments = new Map<string, WeakMap<Draw, Sampled | Rejection>>();

/**
 * The assignments of shared draws (drawsOf) under plans equal to `plan`, by the
 * draw object: a file, its twins and its mutants build a draw's witnesses and
 * vectors once. Undefined while REUSE is off.
 */
export function assignmentsUnder(plan: Plan): WeakMap<Draw, Sampled | Rejection> | undefined {
  if (!REUSE.on) return undefined;
  // what assignmentOf reads of the plan (compiled constraints, functions, left out; their source and tree kept), numbers exactly
  const key = keyOf(plan);
  let m = assignments.get(key);
  if (!m) {
    if (assignments.size >= MAX_PLANS) assignments.clear();
    m = new WeakMap();
    assignments.set(key, m);
  }
  return m;
}

/**
 * A key of a pure function's arguments: every number exactly (−0, ±∞ and NaN
 * apart, which JSON would merge), Maps as their entries, mathjs trees as their
 * whole structure (toJSON), not their text.
 */
export const keyOf = (...args: unknown[]): string => JSON.stringify(args, (_k, v: unknown) => {
  if (typeof v === 'number') return `#${Object.is(v, -0) ? '-0' : String(v)}`;
  if (typeof v === 'string') return `'${v}`;
  return v instanceof Map ? [...v] : v;
});

const tables = new Map<string, Map<string, unknown>>();
/** Entries a table keeps (a corpus run fills a few thousand). */
const MAX_ENTRIES = 20_000;

/**
 * The result of a pure function (interval certificates, sign facts) at these
 * arguments, computed once per process while REUSE.on: a file's twins and the
 * same file at other seeds ask for the same ones. Results are shared: never
 * written to.
 */
export function remembered<T>(table: string, key: string, compute: () => T): T {
  if (!REUSE.on) return compute();
  let t = tables.get(table);
  if (!t) { t = new Map(); tables.set(table, t); }
  if (t.has(key)) return t.get(key) as T;
  const v = compute();
  if (t.size >= MAX_ENTRIES) t.clear();
  t.set(key, v);
  return v;
}
