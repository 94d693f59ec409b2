/** What a verification returns (the `results` entries of `boundlab verify --json`). */
import type { BackendName } from '../engine/backend.ts';

export type Verdict = 'holds' | 'violated' | 'inconclusive';

export interface Counterexample {
  family: string;
  /** Family parameters: `familyById(family).instantiate(params)` rebuilds the witness exactly. */
  params: Record<string, unknown>;
  /** The theorem's parameters for this instance (step size, ...). */
  parameters: Record<string, number>;
  /** Which relation of the statement failed (0-based) and its source. */
  part: number;
  relation: string;
  /** `run`: the step; `lemma`: the sampled point(s). */
  step?: number;
  point?: Record<string, number[] | number[][]>;
  measured: number;
  bound: number;
  tolerance: number;
  /** The run produced NaN or ∞ at this step. */
  divergence?: boolean;
  /** Expectation theorems: `measured` is the mean over seeds, and this its confidence interval (statistics.ts). */
  interval?: { lo: number; hi: number; seeds: number; sd: number };
}

/** One instance's curve, for plots. */
export interface Curve {
  family: string;
  label: string;
  measured: number[];
  bound: number[];
  tolerance: number[];
  /** Expectation theorems: the confidence interval of each mean. */
  lower?: number[];
  upper?: number[];
}

export interface VerifyResult {
  theorem: string;
  verdict: Verdict;
  /** Witness instances checked. */
  instances: number;
  /** Steps per run (lemmas: points per instance). */
  steps: number;
  /** Smallest (bound − measured)/|bound| over resolved checks; negative when above the bound. */
  worst_margin: number | null;
  counterexample?: Counterexample;
  /** Checks made, and how many were resolved above the float32 floor (runs) or skipped as non-finite (lemmas). */
  checks: number;
  resolved: number;
  skipped: number;
  families: Record<string, number>;
  /** Families that fit the assumptions but produced no instance, with why. */
  notes: string[];
  backend: BackendName | 'float64';
  seed: number;
  seconds: number;
  curves?: Curve[];
  /** Expectation theorems: the statistical method and the comparison closest to its bound. */
  statistics?: ExpectationStatistics;
}

/** The numbers behind a statistical verdict (VerifyResult.statistics). */
export interface ExpectationStatistics {
  method: string;
  seeds: number;
  /** Intervals compared (witnesses × checked steps): the Bonferroni K. */
  comparisons: number;
  alpha: number;
  /** Half-width multiplier of every interval. */
  q: number;
  /** The comparison closest to (or furthest beyond) its bound: the largest (lo − bound)/bound. */
  closest?: { family: string; step: number; mean: number; lo: number; hi: number; bound: number; tolerance: number };
}
