/**
 * An experiment: a named run with defaults that produces what a page and a
 * summary need (setup prose, figures, one comparison table) and the data behind
 * them (for --json), and, where a paper claims something the run can test, the
 * claims with their verdicts over seeds (claims.ts).
 */
import type { SeriesPlotOptions, SeriesPoint } from './series.ts';
import type { ClaimsCheck } from './claims.ts';

export interface ExperimentOptions {
  /** Optimiser updates per run (gpfq, low-rank: the size of the problem, see their defaults); default: the experiment's. */
  steps?: number;
  /** Seed of every random choice (data, starting point, minibatches); default 0. */
  seed?: number;
  /** Independent repetitions the claims are judged over (experiments with `defaults.seeds`). */
  seeds?: number;
  /** Called now and then with one line of progress (the CLI shows it on a terminal). */
  onProgress?(text: string): void;
}

/** One plot: a quantity against steps (or a size), one series per method. */
export interface Figure {
  /** Short id, unique on the page (a metric id for the training experiments). */
  id: string;
  title: string;
  points: SeriesPoint[];
  plot: SeriesPlotOptions;
  caption?: string;
}

export interface TableColumn {
  id: string;
  label: string;
  /** Right-aligned, formatted with formatNumber. */
  numeric?: boolean;
}

/** Numeric columns from id → label, in order. */
export const numericColumns = (labels: Record<string, string>): TableColumn[] =>
  Object.entries(labels).map(([id, label]) => ({ id, label, numeric: true }));

/** The comparison table: a row per method (or per size), numbers only from the run. */
export interface Table {
  columns: TableColumn[];
  rows: Record<string, string | number | null>[];
  /** What the columns mean (shown under the table). */
  caption?: string;
}

export interface ExperimentResult {
  experiment: string;
  title: string;
  seed: number;
  /** The sizes and hyperparameters this run used, by name (shown on the page and in --json). */
  settings: Record<string, number | string>;
  /** The setup in Markdown with $…$ / $$…$$ (rendered by the report's Markdown and KaTeX). */
  setup: string;
  figures: Figure[];
  table: Table;
  /** Findings stated from this run's numbers (plain text: the command prints them too), shown under the table. */
  findings: string[];
  /** Everything measured, for --json (plain numbers, arrays and strings). */
  data: Record<string, unknown>;
  /** The papers' claims judged on this run (absent: the experiment only measures). */
  claims?: ClaimsCheck;
  /** The paper's claims beside our measurement, in Markdown (the page's closing note). */
  closing?: string;
  seconds: number;
}

export interface Experiment {
  id: string;
  title: string;
  /** One line for `boundlab experiment --help`. */
  summary: string;
  /**
   * The defaults as `--help` lists them: `steps` (optimiser updates per method,
   * or what `describe` says it sizes), the least steps the experiment accepts,
   * and the other settings in words.
   */
  defaults: {
    steps: number;
    minSteps: number;
    maxSteps: number;
    describe: string;
    /** Repetitions over which claims are judged: the default and the accepted range. */
    seeds?: { default: number; min: number; max: number };
  };
  /** Whether it runs TensorFlow.js (the page then records the backend). */
  tensorflow: boolean;
  run(opts: ExperimentOptions): Promise<ExperimentResult>;
}
