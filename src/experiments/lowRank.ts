/**
 * [low-rank] The truncated SVD of one seeded Gaussian layer W at every rank r
 * against the Eckart–Young–Mirsky values: ‖W − W_r‖_F = √(Σ_{i>r} σ_i²) and
 * ‖W − W_r‖_2 = σ_{r+1}, the least error any rank-r matrix can have. The
 * numbers come from src/compression (lowRankExperiment), measured on the
 * residual itself; this file only sizes, plots and tabulates them.
 */
import { lowRankExperiment, LOW_RANK_DEFAULTS } from '../compression/index.ts';
import { formatNumber } from '../numeric/format.ts';
import type { SeriesPoint } from './series.ts';
import { numericColumns, type Experiment, type ExperimentOptions, type ExperimentResult } from './types.ts';

/** Rows beyond columns: the library's default 32 × 24. */
const EXTRA_ROWS = LOW_RANK_DEFAULTS.rows - LOW_RANK_DEFAULTS.cols;

export const eckartYoungExperiment: Experiment = {
  id: 'low-rank',
  title: 'Low-rank approximation against the Eckart–Young tail',
  summary: 'truncated SVD of a Gaussian layer at every rank: measured error against √(Σ_{i>r} σ_i²) and σ_{r+1}',
  defaults: {
    steps: LOW_RANK_DEFAULTS.cols,
    minSteps: 2,
    maxSteps: 128,
    describe: `--steps is the number of columns n of W ((n + ${EXTRA_ROWS}) × n, entries N(0, 1/n)); every rank 0…n`,
  },
  tensorflow: false,
  run: runLowRank,
};

async function runLowRank(opts: ExperimentOptions): Promise<ExperimentResult> {
  const started = performance.now();
  const seed = opts.seed ?? 0;
  const cols = opts.steps ?? LOW_RANK_DEFAULTS.cols;
  if (!Number.isInteger(cols) || cols < 2) throw new Error(`low-rank: the number of columns must be an integer ≥ 2, got ${cols}`);
  const rows = cols + EXTRA_ROWS;
  opts.onProgress?.(`${rows} × ${cols}`);
  // Seed s of the command is the library's seed s + 1 (s = 0: its default).
  const r = lowRankExperiment({ rows, cols, seed: seed + 1 });
  const norm = r.frobenius[0];
  const series = (name: string, ys: readonly number[]): SeriesPoint[] => ys.map((y, i) => ({ x: r.ranks[i], y, series: name }));
  const names = { fro: '‖W − W_r‖_F measured', tail: '√(Σ_{i>r} σ_i²)', spec: '‖W − W_r‖_2 measured', next: 'σ_{r+1}' };
  const gap = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / norm;
  const k = r.ranks[r.ranks.length - 1];
  const caption = `Log scale; at r = ${k} the Eckart–Young values are 0 and are not drawn (the measured residual there is rounding).`;
  return {
    experiment: eckartYoungExperiment.id,
    title: eckartYoungExperiment.title,
    seed,
    settings: { W: `${rows} × ${cols}`, entries: `N(0, 1/${cols})`, 'library seed': seed + 1, ranks: `0…${k}` },
    setup: `A layer $W \\in \\mathbb R^{${rows} \\times ${cols}}$ with i.i.d. $N(0, 1/${cols})$ entries and its singular value decomposition $W = \\sum_i \\sigma_i u_i v_i^\\top$. For each rank $r$ the truncated SVD $W_r = \\sum_{i \\le r} \\sigma_i u_i v_i^\\top$ is formed and its error measured on the residual. Eckart–Young–Mirsky: every $B$ of rank at most $r$ has
$$\\|W - B\\|_F \\ge \\|W - W_r\\|_F = \\Big(\\sum_{i > r} \\sigma_i^2\\Big)^{1/2}, \\qquad \\|W - B\\|_2 \\ge \\|W - W_r\\|_2 = \\sigma_{r+1}.$$
The SVD comes from a Jacobi eigensolver on $W^\\top W$, accurate to about $n\\varepsilon\\|W\\|^2$ in $\\sigma_i^2$.`,
    figures: [
      { id: 'frobenius', title: 'Frobenius error against rank', points: [...series(names.fro, r.frobenius), ...series(names.tail, r.tailFrobenius)], plot: { xLabel: 'rank r', yLabel: 'Frobenius error', log: true, dashed: [names.tail], dots: true }, caption },
      { id: 'spectral', title: 'spectral error against rank', points: [...series(names.spec, r.spectral), ...series(names.next, r.nextSingularValue)], plot: { xLabel: 'rank r', yLabel: 'spectral error', log: true, dashed: [names.next], dots: true }, caption },
    ],
    table: {
      columns: numericColumns({ rank: 'rank r', frobenius: '‖W − W_r‖_F', tail: '√(Σ_{i>r} σ_i²)', spectral: '‖W − W_r‖_2', next: 'σ_{r+1}' }),
      rows: r.ranks.map((rank, i) => ({ rank, frobenius: r.frobenius[i], tail: r.tailFrobenius[i], spectral: r.spectral[i], next: r.nextSingularValue[i] })),
      caption: 'Measured on the residual W − W_r, next to the Eckart–Young values from the singular values.',
    },
    findings: [
      `Largest gap between the measured error and Eckart–Young over all ranks, relative to ‖W‖_F = ${formatNumber(norm)}: Frobenius ${formatNumber(gap(r.frobenius, r.tailFrobenius))}, spectral ${formatNumber(gap(r.spectral, r.nextSingularValue))}.`,
      `σ_1 = ${formatNumber(r.singularValues[0])}, σ_${k} = ${formatNumber(r.singularValues[k - 1])}; half of ‖W‖_F² is captured at rank ${r.tailFrobenius.findIndex((t) => t * t <= (norm * norm) / 2)}.`,
    ],
    data: { rows, cols, library_seed: seed + 1, singular_values: r.singularValues, ranks: r.ranks, frobenius: r.frobenius, tail_frobenius: r.tailFrobenius, spectral: r.spectral, next_singular_value: r.nextSingularValue },
    seconds: (performance.now() - started) / 1000,
  };
}
