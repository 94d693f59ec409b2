/**
 * Quantised training compared: each method (full-precision SGD, BinaryConnect,
 * STE, ProxQuant, ASkewSGD, AdaSTE; real optimisers from the registry, run by
 * runBatch) trains S independent problems (one per seed: data and start) as
 * the S rows of one run, from each problem's starting point; row s draws its
 * minibatches from row s of minibatchRng(seed, ·), so every method sees the
 * same minibatch stream on the same problem. Every `every` steps each row's
 * iterate w is measured in float64:
 * - the training loss of the real weights f(w), and after quantisation f(q(w))
 *   with q(w) = sign(w), sign(0) = +1, on every coordinate;
 * - test accuracy of q(w) (and of w), predicting sign(score) with sign(0) = +1;
 * - the mean distance of the weights to {±1}, mean_j min|w_j ∓ 1| (ProxQuant's
 *   regulariser over d): 0 exactly when w is already binary.
 * The series are means over the S problems; the final values are kept per
 * problem (the claims' draws) and as means. The pages built from it share the
 * figures and the comparison table here.
 */
import type { Family, Instance } from '../classes/types.ts';
import { runBatch } from '../runs/run.ts';
import type { SeriesPoint } from './series.ts';
import { numericColumns, type Figure, type Table } from './types.ts';

/** A labelled point set: rows X (n × p) with labels s ∈ {−1, +1}. */
export interface LabelledData { X: readonly (readonly number[])[]; s: readonly number[] }

export interface QuantisedProblem {
  family: Family;
  /** The training problem (its value is the training loss). */
  instance: Instance;
  train: LabelledData;
  test: LabelledData;
  /** The model's score of input x under parameters θ (its sign is the prediction). */
  score(theta: ArrayLike<number>, x: readonly number[]): number;
  /** The training loss at every sign vector by code (bit j set: θ_j = −1), bit for bit instance.value's: a faster route for bestBinary. */
  signLosses?(): Float64Array;
}

export interface Method {
  /** Short id (a key of the JSON). */
  id: string;
  label: string;
  /** An id in OPTIMIZERS. */
  optimizer: string;
  hyper: Record<string, number>;
  /** The method's own start from the problem's x0 (AdaSTE's latent θ0 = 10·sign x0); default x0. */
  start?(x0: ArrayLike<number>): number[];
}

/** The quantities recorded over steps (one figure each), in page order. */
export const METRICS = [
  { id: 'loss', label: 'training loss, real weights', short: 'loss (real)', log: true },
  { id: 'quantised_loss', label: 'training loss after sign()', short: 'loss (sign)', log: true },
  { id: 'quantised_accuracy', label: 'test accuracy after sign()', short: 'test acc (sign)', log: false },
  { id: 'accuracy', label: 'test accuracy, real weights', short: 'test acc (real)', log: false },
  { id: 'distance', label: 'mean distance of the weights to {±1}', short: 'mean dist ±1', log: true },
] as const;
export type MetricId = (typeof METRICS)[number]['id'];

export type FinalId = MetricId | 'max_distance' | 'train_accuracy' | 'quantised_train_accuracy' | 'sign_changes';

export interface MethodRun extends Method {
  /** The steps at which the series were measured (0, every, 2·every, …, steps). */
  steps: number[];
  /** Means over the problems. */
  series: Record<MetricId, number[]>;
  /** At the last step, the mean over the problems: the metrics, the max distance, training accuracies, and how many signs differ from sign(x0). */
  final: Record<FinalId, number>;
  /** The same per problem (seed): perSeed[s]. */
  perSeed: Record<FinalId, number>[];
  /** The final weights, per problem. */
  weights: number[][];
  /** The last step each problem reached (a row with a non-finite iterate ends the run there). */
  lastStep: number;
  seconds: number;
}

/** sign with sign(0) = +1 (tf.sign(0) = 0 would not be binary). */
export const binarise = (w: ArrayLike<number>): number[] => Array.from(w, (v) => (v >= 0 ? 1 : -1));

/** Fraction of points whose label is sign(score), sign(0) = +1. */
export function accuracy(problem: QuantisedProblem, theta: ArrayLike<number>, data: LabelledData): number {
  let right = 0;
  data.X.forEach((x, i) => {
    if ((problem.score(theta, x) >= 0 ? 1 : -1) === data.s[i]) right++;
  });
  return right / data.X.length;
}

/** Mean and max over coordinates of min(|w_j − 1|, |w_j + 1|). */
export function distanceToBinary(w: ArrayLike<number>): { mean: number; max: number } {
  let sum = 0, max = 0;
  for (let j = 0; j < w.length; j++) {
    const dj = Math.abs(Math.abs(w[j]) - 1);
    sum += dj;
    max = Math.max(max, dj);
  }
  return { mean: sum / w.length, max };
}

export interface CompareOptions {
  steps: number;
  /** Measure every this many steps (and at the last). */
  every: number;
  seed: number;
  onProgress?(text: string): void;
}

/** Runs every method on the problems (methods one after another, problems as rows); see the module comment. */
export async function compareMethods(problems: readonly QuantisedProblem[], methods: readonly Method[], opts: CompareOptions): Promise<MethodRun[]> {
  if (problems.length === 0) throw new Error('compareMethods: no problems');
  const S = problems.length;
  const runs: MethodRun[] = [];
  for (const [k, m] of methods.entries()) {
    const started = performance.now();
    const steps: number[] = [];
    const rows = problems.map(() => Object.fromEntries(METRICS.map((q) => [q.id, [] as number[]])) as Record<MetricId, number[]>);
    const last: Float32Array[] = problems.map((p) => Float32Array.from(m.start ? m.start(p.instance.x0) : p.instance.x0));
    let shown = 0, lastStep = 0;
    await runBatch({
      family: problems[0].family,
      instances: problems.map((p) => p.instance),
      x0: last.map((x) => Float64Array.from(x)),
      optimizer: m.optimizer,
      hyper: Object.fromEntries(Object.entries(m.hyper).map(([name, v]) => [name, problems.map(() => v)])),
      steps: opts.steps,
      seed: opts.seed,
      onStep(t, x, d, group) {
        group.forEach((s, r) => { last[s] = x.slice(r * d, (r + 1) * d); });
        lastStep = t;
        if (t % opts.every !== 0 && t !== opts.steps) return;
        steps.push(t);
        group.forEach((s, r) => measure(problems[s], x.subarray(r * d, (r + 1) * d), rows[s]));
        if (opts.onProgress && performance.now() - shown > 200) {
          shown = performance.now();
          opts.onProgress(`${m.label} (${k + 1}/${methods.length}): step ${t}/${opts.steps}`);
        }
      },
    });
    // A run that diverged ends early (runBatch stops at a non-finite iterate): its last record says so.
    const perSeed = problems.map((p, s) => {
      const f = Object.fromEntries(METRICS.map((q) => [q.id, rows[s][q.id][rows[s][q.id].length - 1]])) as MethodRun['final'];
      f.max_distance = distanceToBinary(last[s]).max;
      f.train_accuracy = accuracy(p, last[s], p.train);
      f.quantised_train_accuracy = accuracy(p, binarise(last[s]), p.train);
      const q0 = binarise(m.start ? m.start(p.instance.x0) : p.instance.x0);
      f.sign_changes = binarise(last[s]).filter((v, j) => v !== q0[j]).length;
      return f;
    });
    const series = Object.fromEntries(METRICS.map((q) => [q.id, steps.map((_, i) => meanOf(rows.map((r) => r[q.id][i])))])) as Record<MetricId, number[]>;
    const final = Object.fromEntries(Object.keys(perSeed[0]).map((id) => [id, meanOf(perSeed.map((f) => f[id as FinalId]))])) as MethodRun['final'];
    runs.push({ ...m, steps, series, final, perSeed, weights: last.map((w) => Array.from(w)), lastStep, seconds: (performance.now() - started) / 1000 });
    if (S > 1 && opts.onProgress) opts.onProgress(`${m.label}: done (${S} seeds)`);
  }
  return runs;
}

/** One measurement of every metric at the iterate x of one problem. */
function measure(problem: QuantisedProblem, x: Float32Array, into: Record<MetricId, number[]>): void {
  const q = binarise(x);
  into.loss.push(problem.instance.value(x));
  into.quantised_loss.push(problem.instance.value(q));
  into.quantised_accuracy.push(accuracy(problem, q, problem.test));
  into.accuracy.push(accuracy(problem, x, problem.test));
  into.distance.push(distanceToBinary(x).mean);
}

const meanOf = (xs: readonly number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length;

/** The best sign vector by exhaustive search over {±1}^d (d ≤ 16): its training loss and accuracies. */
export function bestBinary(problem: QuantisedProblem): { weights: number[]; loss: number; accuracy: number; train_accuracy: number } {
  const d = problem.instance.dim;
  if (d > 16) throw new Error(`bestBinary: 2^${d} sign vectors are too many to enumerate`);
  const signs = (code: number) => Array.from({ length: d }, (_, j) => ((code >> j) & 1 ? -1 : 1));
  const losses = problem.signLosses?.();
  let best = { weights: [] as number[], loss: Infinity };
  for (let code = 0; code < 2 ** d; code++) {
    const loss = losses ? losses[code] : problem.instance.value(signs(code));
    if (loss < best.loss) best = { weights: signs(code), loss };
  }
  return { ...best, accuracy: accuracy(problem, best.weights, problem.test), train_accuracy: accuracy(problem, best.weights, problem.train) };
}

/** A horizontal reference on the figure of one metric. */
export interface Reference { metric: MetricId; label: string; value: number }

/** One figure per metric, one line per method, the references dashed. */
export function metricFigures(runs: readonly MethodRun[], references: readonly Reference[]): Figure[] {
  const order = runs.map((r) => r.label);
  return METRICS.map((q) => {
    const points: SeriesPoint[] = runs.flatMap((r) => r.series[q.id].map((y, i) => ({ x: r.steps[i], y, series: r.label })));
    const refs = references.filter((r) => r.metric === q.id).map((r) => ({ label: r.label, y: r.value }));
    // On a log axis exact zeros (weights exactly in {±1}) cannot be drawn: the caption says so.
    const zeros = q.log ? runs.filter((r) => r.series[q.id].some((y) => y <= 0)).map((r) => r.label) : [];
    return {
      id: q.id, title: q.label, points, plot: { xLabel: 'step', yLabel: q.short, log: q.log, references: refs, order },
      ...(zeros.length ? { caption: `Log scale; exact zeros are not drawn (${zeros.join(', ')}: the line stops where the value reaches 0).` } : {}),
    };
  });
}

/** The comparison table: a row per method, the final values. */
export function comparisonTable(runs: readonly MethodRun[]): Table {
  return {
    columns: [
      { id: 'method', label: 'method' },
      ...numericColumns({
        loss: 'loss (real)', quantised_loss: 'loss (sign)', quantised_train_accuracy: 'train acc (sign)', quantised_accuracy: 'test acc (sign)',
        accuracy: 'test acc (real)', distance: 'mean dist ±1', max_distance: 'max dist ±1', sign_changes: 'signs ≠ x0',
      }),
    ],
    rows: runs.map((r) => ({ method: r.label, ...r.final })),
    caption: `Values at the last step, means over ${runs[0].perSeed.length} seed${runs[0].perSeed.length > 1 ? 's' : ''}. loss: training loss of the real weights w, or of sign(w); acc: accuracy of sign(w) or of w; `
      + 'dist ±1: mean and max over coordinates of min(|w_j − 1|, |w_j + 1|); signs ≠ x0: coordinates whose sign differs from the start\'s. '
      + 'AdaSTE\'s iterate is its latent θ (started at ±10): its "real" columns are θ\'s, its sign columns its binary network.',
  };
}

/** The JSON of the runs: every method with its hyperparameters, series and final values. */
export function runsData(runs: readonly MethodRun[]): Record<string, unknown>[] {
  return runs.map((r) => ({
    id: r.id, label: r.label, optimizer: r.optimizer, hyper: r.hyper,
    steps: r.steps, series: r.series, final: r.final, per_seed: r.perSeed, weights: r.weights, last_step: r.lastStep, seconds: r.seconds,
  }));
}
