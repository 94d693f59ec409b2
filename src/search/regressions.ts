/**
 * The relaxation regression file (regressions/relaxations.yaml): entries of
 * `relax` with their expected outcome and stored counterexample record.
 * Read by tests/relaxations.test.ts, bench/relax.ts and scripts/relaxations.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { RelaxCounterexample, RelaxResult } from './relax.ts';

export const RELAXATIONS_FILE = fileURLToPath(new URL('../../regressions/relaxations.yaml', import.meta.url));

export interface RelaxationEntry {
  theorem: string;
  drop: string[];
  add?: string[];
  seed?: number;
  expect: 'holds' | 'counterexample';
  note?: string;
  counterexample?: StoredCounterexample;
}

/** The part of a counterexample record the file keeps (enough to replay and compare). */
export interface StoredCounterexample {
  family: string;
  params: Record<string, unknown>;
  parameters: Record<string, number>;
  seed: number;
  /** Bounds in expectation: the runs per witness. */
  seeds?: number;
  /**
   * Runs: the run length to replay and the step of the first violation.
   * Bounds in expectation: the run length checked (the Bonferroni count
   * depends on it) and the first step whose whole interval is above the bound.
   */
  steps?: number;
  step?: number;
  /** Lemmas: the point and the statement's part that fails. */
  point?: RelaxCounterexample['point'];
  part?: number;
  /** Absent for a divergence. In expectation, measured is the mean over the seeds and interval its confidence interval. */
  measured?: number;
  interval?: { lo: number; hi: number };
  bound?: number;
  divergence?: boolean;
}

export function readRelaxations(file = RELAXATIONS_FILE): RelaxationEntry[] {
  const doc = parse(readFileSync(file, 'utf8')) as { relaxations?: RelaxationEntry[] };
  if (!Array.isArray(doc?.relaxations)) throw new Error(`${file}: expected a list under 'relaxations'`);
  doc.relaxations.forEach((e, i) => {
    if (typeof e.theorem !== 'string' || !Array.isArray(e.drop) || !['holds', 'counterexample'].includes(e.expect)) {
      throw new Error(`${file}: entry ${i + 1} needs theorem, drop (a list) and expect (holds or counterexample)`);
    }
  });
  return doc.relaxations;
}

/** The record kept in the file for a result's counterexample. */
export function storedRecord(r: RelaxResult): StoredCounterexample | undefined {
  const c = r.counterexample;
  if (!c) return undefined;
  return {
    family: c.family, params: c.params, parameters: c.parameters, seed: c.seed,
    ...(c.seeds !== undefined ? { seeds: c.seeds } : {}),
    ...(c.steps !== undefined ? { steps: c.steps, step: c.step } : {}),
    ...(c.point ? { point: c.point, part: c.part } : {}),
    ...(c.divergence ? { divergence: true } : {
      measured: c.measured, ...(c.interval ? { interval: { lo: c.interval.lo, hi: c.interval.hi } } : {}), bound: c.bound,
    }),
  };
}

/** How an entry reads on a command line. */
export const describeEntry = (e: Pick<RelaxationEntry, 'theorem' | 'drop' | 'add'>): string =>
  [e.theorem, ...e.drop.map((d) => `--drop "${d}"`), ...(e.add ?? []).map((a) => `--add "${a}"`)].join(' ');
