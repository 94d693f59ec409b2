/**
 * Law checks: a paper's prediction about how a measured quantity scales (an
 * exponent) or a bound it obeys along training, checked on real TensorFlow.js
 * runs over a range of sizes and seeds. Each statement gets a verdict:
 * `consistent`, `inconsistent`, or `inconclusive` with the reason (too few
 * points, a degenerate design, an interval too wide to decide).
 */
import type { Figure, Table } from '../experiments/types.ts';

export type LawVerdict = 'consistent' | 'inconsistent' | 'inconclusive';

/**
 * A predicted power law y ∝ x^predicted, decided within ±tolerance (see
 * verdict.ts for why a tolerance); `at-most` states only an upper bound on the
 * exponent (y = O(x^predicted), as a paper's O(·) bound does), `at-least` a lower
 * bound (a log ratio above 0: one quantity larger than another).
 */
export interface Claim {
  id: string;
  relation: 'equal' | 'at-most' | 'at-least';
  /** What is measured against what, in words ("relative change of W against the width m"). */
  quantity: string;
  predicted: number;
  tolerance: number;
  source: string;
}

/**
 * An estimate with its interval over seeds: an exponent (one log-log slope per
 * seed, fit.ts fitExponent) or a per-seed value such as a log ratio (meanEstimate).
 */
export interface Estimate {
  method: string;
  level: number;
  sizes: number[];
  /** One value per seed (for an exponent: the least-squares slope of log y on log x over the sizes). */
  perSeed: number[];
  mean: number;
  lo: number;
  hi: number;
  /** Exponents: mean over seeds of the per-seed intercepts (log scale): the fitted line is e^intercept · x^mean. */
  intercept: number;
}

/** One statement's outcome: the verdict, why, and what it rests on. */
export interface StatementResult {
  id: string;
  kind: 'exponent' | 'ratio' | 'bound';
  /** The claim in Markdown with $…$ (rendered on the page). */
  claim: string;
  source: string;
  verdict: LawVerdict;
  /** One plain sentence: what decided the verdict (always given, so an inconclusive says why). */
  reason: string;
  /** Exponent statements: the prediction, the tolerance and the fit (absent when too little to fit). */
  predicted?: number;
  tolerance?: number;
  fit?: Estimate;
  /**
   * Bound statements: per size, whether the bound held at every step of every seed, the worst ratio
   * measured/bound over resolved steps (bound above the rounding floor), and how many steps were checked and unresolved.
   */
  bySize?: { size: number; holds: boolean; worstRatio: number; checked: number; unresolved: number; firstViolation?: { seed: number; step: number; measured: number; bound: number } }[];
}

export interface LawResult {
  law: string;
  title: string;
  seed: number;
  /** Sizes, seeds and hyperparameters this run used, by name. */
  settings: Record<string, number | string>;
  /** The setup in Markdown with $…$. */
  setup: string;
  statements: StatementResult[];
  figures: Figure[];
  /** Per size: the measurements behind the statements (means over seeds). */
  table: Table;
  findings: string[];
  data: Record<string, unknown>;
  seconds: number;
}

export interface LawOptions {
  /** The sizes the law varies (widths, grid sizes, …); default: the law's. */
  sizes?: number[];
  /** How many seeds (independent initialisations) per size; default: the law's. */
  seeds?: number;
  /** Seed of the data and of the seeds' streams; default 0. */
  seed?: number;
  onProgress?(text: string): void;
}

export interface Law {
  id: string;
  title: string;
  summary: string;
  /** The option that sets the sizes on the command line (`widths`, `grids`, …) and its allowed range. */
  sizes: { option: string; min: number; max: number; defaults: number[] };
  seeds: { min: number; max: number; default: number };
  /** The other defaults in words (for --help and docs). */
  describe: string;
  tensorflow: boolean;
  /**
   * Whether the default report (no targets) runs it: false for checks whose defaults take more
   * than about ten seconds, which would lengthen every default report; name the id to include one.
   */
  inDefaultReport: boolean;
  run(opts: LawOptions): Promise<LawResult>;
}
