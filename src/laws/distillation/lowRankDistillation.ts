/**
 * Distillation combined with low rank, a question our users ask: to get a
 * rank-r model, is it better to distil a full-rank teacher into a rank-r
 * student than to truncate the teacher's SVD (Eckart–Young, lowRank.ts) or to
 * train the rank-r student on the labels directly? Linear regression, so
 * everything has a closed form to check the training against:
 *   - truth W° (k × d), inputs x ~ N(0, Σ) with Σ anisotropic and rotated,
 *     labels y = W°x + ε on n training points;
 *   - teacher W_T: the least-squares fit on them (full rank);
 *   - truncation: the teacher's rank-r truncated SVD;
 *   - distilled: a factorised student U V (k × r, r × d) trained by Adam in
 *     TensorFlow.js on the teacher's outputs W_T x_i at the training inputs;
 *   - labels: the same student, same start, same steps, on the labels y_i.
 * Measured: the population error tr((W − W°) Σ (W − W°)ᵀ). What the algebra
 * says in advance: on the teacher's own training inputs, ‖XWᵀ − Y‖² =
 * ‖XWᵀ − XW_Tᵀ‖² + ‖XW_Tᵀ − Y‖² (the teacher's residual is orthogonal to the
 * column space of X), so distilling and training on labels have the same
 * minimisers: distillation can only win through what the teacher adds (more
 * inputs, a better model); and truncation ignores the input covariance, which
 * the distilled student weighs, so with anisotropic inputs it should lose.
 */
import { tf } from '../../engine/backend.ts';
import { tidyValues } from '../../engine/tfjs.ts';
import { lowRankApproximation, matrixWithSingularValues } from '../../compression/lowRank.ts';
import { numericColumns } from '../../experiments/types.ts';
import { mat, matMul, randomOrthogonal, solveSPD, transpose, type Mat } from '../../numeric/linalg.ts';
import { makeRng } from '../../numeric/rng.ts';
import { meanEstimate, replicateSeed } from '../fit.ts';
import type { Claim, LawOptions, LawResult } from '../types.ts';
import { exponentStatement } from '../verdict.ts';
import { LOW_RANK_DISTILLATION_DEFAULTS } from './defaults.ts';

const SOURCE = 'our question (distillation, Hinton, Vinyals, Dean 2015, combined with low rank); the predictions follow from least squares (see the setup)';

export const BEATS_TRUNCATION: Claim = { id: 'distilled-beats-truncation', relation: 'at-least', quantity: 'mean over ranks of log(error of the truncated teacher / error of the distilled student)', predicted: 0, tolerance: 0, source: SOURCE };
export const SAME_AS_LABELS: Claim = { id: 'distilled-equals-labels', relation: 'equal', quantity: 'mean over ranks of log(error of the label-trained student / error of the distilled student)', predicted: 0, tolerance: Math.log(1.02), source: SOURCE };

export interface LowRankDistillationOptions extends LawOptions { claims?: { truncation?: Claim; labels?: Claim }; steps?: number }

/** tr((W − W°) Σ (W − W°)ᵀ). */
function populationError(W: Mat, truth: Mat, Sigma: Mat): number {
  const E = mat(W.rows, W.cols, W.data.map((v, i) => v - truth.data[i]));
  const ES = matMul(E, Sigma);
  let s = 0;
  for (let i = 0; i < E.data.length; i++) s += ES.data[i] * E.data[i];
  return s;
}

export async function lowRankDistillationCheck(opts: LowRankDistillationOptions = {}): Promise<LawResult> {
  return lowRankDistillationVerdict(await lowRankDistillationRuns(opts), opts);
}

/** The population errors of every model at every rank and seed, before any claim is judged. */
export type DistillationRuns = Awaited<ReturnType<typeof lowRankDistillationRuns>>;

/** Fits the teachers and trains the students (the claims play no part here). */
export async function lowRankDistillationRuns(opts: Omit<LowRankDistillationOptions, 'claims'> = {}) {
  const t0 = performance.now();
  const D = LOW_RANK_DISTILLATION_DEFAULTS;
  const ranks = opts.sizes ?? D.ranks;
  const S = opts.seeds ?? D.seeds;
  const seed = opts.seed ?? 0;
  const steps = opts.steps ?? D.steps;
  const { d, k, n, noise, inputDecay } = D;
  const errors = { teacher: [] as number[], truncated: ranks.map(() => [] as number[]), distilled: ranks.map(() => [] as number[]), labels: ranks.map(() => [] as number[]), optimum: ranks.map(() => [] as number[]) };
  // Per seed: the data, the truth, the teacher and its outputs T at the training inputs.
  const problems = Array.from({ length: S }, (_, s) => {
    const rng = makeRng(replicateSeed(seed, s));
    const R = randomOrthogonal(d, rng);
    const lambda = Float64Array.from({ length: d }, (_, j) => (j + 1) ** -inputDecay);
    const half = mat(d, d, R.data.map((v, i) => v * Math.sqrt(lambda[i % d]))); // R diag(√λ): x = half · g
    const Sigma = matMul(half, transpose(half));
    const truth = matrixWithSingularValues(k, d, Float64Array.from({ length: k }, (_, j) => (j + 1) ** -0.5), rng);
    const X = matMul(mat(n, d, Float64Array.from({ length: n * d }, () => rng.normal())), transpose(half)); // n × d
    const Y = matMul(X, transpose(truth));
    for (let i = 0; i < Y.data.length; i++) Y.data[i] += noise * rng.normal();
    const XtX = matMul(transpose(X), X);
    /** The W (k × d) with X Wᵀ closest to the targets (n × k): least squares, row by row. */
    const fit = (targets: Mat) => {
      const XtT = matMul(transpose(X), targets), W = mat(k, d);
      for (let o = 0; o < k; o++) W.data.set(solveSPD(XtX, Array.from({ length: d }, (_, j) => XtT.data[j * k + o])), o * d);
      return W;
    };
    const teacher = fit(Y);
    errors.teacher.push(populationError(teacher, truth, Sigma));
    return { rng, Sigma, truth, X, Y, teacher, T: matMul(X, transpose(teacher)), fit };
  });
  for (const [ri, r] of ranks.entries()) {
    opts.onProgress?.(`rank ${r}`);
    for (const p of problems) {
      const truncated = lowRankApproximation(p.teacher, r);
      errors.truncated[ri].push(populationError(matMul(truncated.left, truncated.right), p.truth, p.Sigma));
      // The exact optimum of ‖X Wᵀ − T‖² over rank r: X Wᵀ = T_r, the best rank-r approximation of T (in the column space of X).
      const Tr = lowRankApproximation(p.T, r);
      errors.optimum[ri].push(populationError(p.fit(matMul(Tr.left, Tr.right)), p.truth, p.Sigma));
    }
    // Two students per seed, same start, same steps: on T (distilled, row 2s) and on Y (labels, row 2s + 1); every seed one batch.
    const starts = problems.map((p) => ({ U: Array.from({ length: k * r }, () => 0.1 * p.rng.normal()), V: Array.from({ length: r * d }, () => 0.1 * p.rng.normal()) }));
    const Xt = tf.tensor3d(Float32Array.from(problems.flatMap((p) => [...p.X.data, ...p.X.data])), [2 * S, n, d]);
    const targets = tf.tensor3d(Float32Array.from(problems.flatMap((p) => [...p.T.data, ...p.Y.data])), [2 * S, n, k]);
    const U = tf.variable(tf.tensor3d(Float32Array.from(starts.flatMap((st) => [...st.U, ...st.U])), [2 * S, k, r]));
    const V = tf.variable(tf.tensor3d(Float32Array.from(starts.flatMap((st) => [...st.V, ...st.V])), [2 * S, r, d]));
    const opt = tf.train.adam(0.02);
    // The sum over rows: each row's gradient is its own (Adam is coordinatewise, so rows do not mix).
    for (let it = 0; it < steps; it++) opt.minimize(() => tf.div(tf.sum(tf.square(tf.sub(tf.matMul(tf.matMul(Xt, V, false, true), U, false, true), targets))), n) as tf.Scalar);
    const W = tidyValues(() => tf.matMul(U, V));
    opt.dispose();
    tf.dispose([Xt, targets, U, V]);
    problems.forEach((p, s) => {
      const [distilled, labels] = [0, 1].map((b) => mat(k, d, Float64Array.from(W.subarray((2 * s + b) * k * d, (2 * s + b + 1) * k * d))));
      errors.distilled[ri].push(populationError(distilled, p.truth, p.Sigma));
      errors.labels[ri].push(populationError(labels, p.truth, p.Sigma));
    });
    await new Promise((res) => setImmediate(res));
  }
  return { ranks, S, seed, steps, errors, seconds: (performance.now() - t0) / 1000 };
}

/** The two statements judged on the runs: the claims of this law, or those in `opts` (planted opposites). */
export function lowRankDistillationVerdict(measured: DistillationRuns, opts: Pick<LowRankDistillationOptions, 'claims'> = {}): LawResult {
  const t0 = performance.now();
  const { ranks, S, seed, steps, errors } = measured;
  const { d, k, n, noise, inputDecay } = LOW_RANK_DISTILLATION_DEFAULTS;
  const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
  const logTrunc = Array.from({ length: S }, (_, s) => mean(ranks.map((_, ri) => Math.log(errors.truncated[ri][s] / errors.distilled[ri][s]))));
  const logLabels = Array.from({ length: S }, (_, s) => mean(ranks.map((_, ri) => Math.log(errors.labels[ri][s] / errors.distilled[ri][s]))));
  const cTrunc = opts.claims?.truncation ?? BEATS_TRUNCATION, cLabels = opts.claims?.labels ?? SAME_AS_LABELS;
  const eTrunc = meanEstimate(logTrunc, 'the mean over ranks of log(truncated / distilled)');
  const eLabels = meanEstimate(logLabels, 'the mean over ranks of log(labels / distilled)');
  const geo = (xs: number[]) => Math.exp(xs.reduce((a, v) => a + Math.log(v), 0) / xs.length);
  const series = (name: string, rows: number[][]) => ranks.map((r, i) => ({ x: r, y: geo(rows[i]), series: name }));
  return {
    law: 'distillation-low-rank',
    title: 'Distillation into a low-rank student against truncating the teacher and against training on labels',
    seed,
    settings: { 'student ranks r': ranks.join(', '), seeds: S, 'inputs d': d, 'outputs k': k, 'labelled points n': n, 'label noise σ': noise, 'input covariance eigenvalues': `j^(−${inputDecay})`, 'Adam steps (lr 0.02)': steps },
    setup: `Linear regression with a rank constraint. Truth $W^\\circ$ (${k} × ${d}) with singular values $j^{-1/2}$ and random singular vectors; inputs $x \\sim N(0, \\Sigma)$ with eigenvalues $j^{-${inputDecay}}$ in a random basis (anisotropic); ${n} labelled points $y = W^\\circ x + \\varepsilon$, $\\varepsilon \\sim N(0, ${noise ** 2} I)$. The teacher $W_T$ is the least-squares fit on them (full rank). Three rank-$r$ models: the teacher's truncated SVD (Eckart–Young: best in the weights' Frobenius norm); a factorised student $UV$ trained by Adam in TensorFlow.js (float32, ${steps} steps, learning rate 0.02) on the teacher's outputs at the same ${n} inputs (distillation); and the same student, same start and steps, on the labels. Error: the population error $\\operatorname{tr}((W - W^\\circ)\\Sigma(W - W^\\circ)^\\top)$, exact. Predictions from least squares: since $W_T$ is the least-squares fit on those inputs, $\\|XW^\\top - Y\\|^2 = \\|XW^\\top - XW_T^\\top\\|^2 + \\|XW_T^\\top - Y\\|^2$, so the distilled and the label-trained students minimise the same function up to a constant and should reach the same model; truncation ignores $\\Sigma$, which the distilled student's loss weighs, so it should do worse. Each claim is decided on the per-seed mean over the ranks of a log ratio of errors, with a Student $t$ interval over the ${S} seeds. The exact rank-$r$ optimum of the distillation loss is computed too, to show how close Adam got.`,
    statements: [
      exponentStatement(cTrunc, `The distilled rank-$r$ student has a lower population error than the teacher's rank-$r$ truncated SVD (log ratio ≥ ${cTrunc.predicted}${cTrunc.tolerance ? ` − ${cTrunc.tolerance.toFixed(3)}` : ''})`, eTrunc, 'ratio'),
      exponentStatement(cLabels, `On the teacher's own training inputs, distilling and training on the labels give the same student (log ratio of their errors ${cLabels.predicted} ± log ${Math.exp(cLabels.tolerance).toFixed(2)})`, eLabels, 'ratio'),
    ],
    figures: [{
      id: 'low-rank-distillation',
      title: 'Population error of rank-r models',
      points: [...series('truncated teacher (SVD)', errors.truncated), ...series('distilled student', errors.distilled), ...series('student on labels', errors.labels), ...series('rank-r optimum of the distillation loss', errors.optimum), ...ranks.map((r) => ({ x: r, y: geo(errors.teacher), series: 'full-rank teacher' }))],
      plot: { xLabel: 'rank r', yLabel: 'population error (geometric mean over seeds)', log: true, dots: true, dashed: ['rank-r optimum of the distillation loss', 'full-rank teacher'] },
      caption: 'The distilled and label-trained students lie on top of each other (the algebra says they must); the truncated SVD is worse at every rank because it weighs all input directions equally.',
    }],
    table: {
      columns: numericColumns({ r: 'rank r', truncated: 'truncated teacher', distilled: 'distilled', labels: 'on labels', optimum: 'rank-r optimum', teacher: 'full-rank teacher' }),
      rows: ranks.map((r, i) => ({ r, truncated: geo(errors.truncated[i]), distilled: geo(errors.distilled[i]), labels: geo(errors.labels[i]), optimum: geo(errors.optimum[i]), teacher: geo(errors.teacher) })),
      caption: `Population errors, geometric means over ${S} seeds.`,
    },
    findings: [
      'fit' in eTrunc ? `Truncated over distilled: error ratio ${Math.exp(eTrunc.fit.mean).toFixed(3)} (interval of the log [${eTrunc.fit.lo.toFixed(3)}, ${eTrunc.fit.hi.toFixed(3)}]).` : `Truncation: ${eTrunc.reason}.`,
      'fit' in eLabels ? `Labels over distilled: error ratio ${Math.exp(eLabels.fit.mean).toFixed(4)} (interval of the log [${eLabels.fit.lo.toFixed(4)}, ${eLabels.fit.hi.toFixed(4)}]): with the same inputs distillation adds nothing over the labels; any gain has to come from inputs the teacher labels beyond the labelled set, or from a teacher better than least squares.` : `Labels: ${eLabels.reason}.`,
    ],
    data: { ranks, errors, logTrunc, logLabels },
    seconds: measured.seconds + (performance.now() - t0) / 1000,
  };
}
