/**
 * Lazy training of wide networks, as three statements checked on the same
 * runs of the Du–Zhai–Póczos–Singh network (twoLayer.ts) at several widths m:
 *   1. ‖W(T) − W(0)‖_F / ‖W(0)‖_F ∝ m^(−1/2)   (Jacot et al. 2018; Lee et al. 2019; Chizat et al. 2019);
 *   2. ‖H(T) − H(0)‖_F / ‖H(0)‖_F = O(m^(−1/2)) for the empirical NTK H (same sources; Du et al. bound
 *      ‖H(t) − H(0)‖ by O(1/√m)). An upper bound only: with ReLU and a fixed ±1 output layer a neuron's
 *      activation turns on or off with equal chance (the sign of a_r decides), so the kernel's change is
 *      mean-zero at first order and its Frobenius norm can decay faster (our runs measure about −0.6);
 *   3. ‖y − u(k)‖² ≤ exp(−ηλ0 k) ‖y − u(0)‖² at every step k (Du et al. 2019, the gradient-flow rate at time ηk),
 *      with λ0 the smallest eigenvalue of H∞, claimed here from m ≥ 1024 on. Du et al.'s width
 *      requirement exists to make ‖H(0) − H∞‖₂ ≤ λ0/4; that ratio is measured and shown per width.
 * Every width trains for the same T steps with the same η = 1/λmax(H∞), T
 * chosen so the bound falls by e⁶ (well above float32's resolution).
 */
import { eigenvalues, mat, type Mat } from '../../numeric/linalg.ts';
import { makeRng } from '../../numeric/rng.ts';
import type { SeriesPoint } from '../../experiments/series.ts';
import { boundStatement, checkBoundAtSize, type BoundTrace } from '../bound.ts';
import { exponentFigure } from '../figures.ts';
import { fitExponent, replicateSeed, type FitOutcome } from '../fit.ts';
import type { Claim, LawOptions, LawResult } from '../types.ts';
import { exponentStatement } from '../verdict.ts';
import { LAZY_DEFAULTS } from './defaults.ts';
import { empiricalNtk, limitingGram, sphereData, trainWide, type WideRun } from './twoLayer.ts';

const SOURCE_LAZY = 'Jacot, Gabriel, Hongler 2018; Lee et al. 2019; Chizat, Oyallon, Bach 2019';
const SOURCE_DU = 'Du, Zhai, Póczos, Singh 2019 (ICLR), gradient-flow rate exp(−λ0 t) at t = ηk';

export const WEIGHT_CHANGE: Claim = { id: 'weight-change', relation: 'equal', quantity: 'relative change of W against the width m', predicted: -0.5, tolerance: 0.1, source: SOURCE_LAZY };
export const KERNEL_CHANGE: Claim = { id: 'ntk-change', relation: 'at-most', quantity: 'relative change of the empirical NTK against the width m', predicted: -0.5, tolerance: 0.1, source: SOURCE_LAZY };

/** The rate in the Du bound, as a multiple of ηλ0 (1: the paper's; tests plant a faster one). */
export interface LazyOptions extends LawOptions { rateFactor?: number; claims?: { weight?: Claim; kernel?: Claim } }

/** ‖A − B‖₂ for symmetric A, B (the largest |eigenvalue| of the difference). */
const spectralGap = (A: Mat, B: Mat): number => {
  const e = eigenvalues(mat(A.rows, A.cols, A.data.map((v, i) => v - B.data[i])));
  return Math.max(-e[0], e[e.length - 1]);
};

const frobenius = (a: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * a[i]; return Math.sqrt(s); };
const relativeChange = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (b[i] - a[i]) ** 2;
  return Math.sqrt(s) / frobenius(a);
};

export async function lazyTrainingCheck(opts: LazyOptions = {}): Promise<LawResult> {
  return lazyTrainingVerdict(await lazyTrainingRuns(opts), opts);
}

/** What the runs measured, before any claim is judged: one training serves any number of claim sets. */
export type LazyRuns = Awaited<ReturnType<typeof lazyTrainingRuns>>;

/** Trains every width (the claims and the rate play no part here). */
export async function lazyTrainingRuns(opts: LawOptions = {}) {
  const t0 = performance.now();
  const widths = opts.sizes ?? LAZY_DEFAULTS.widths;
  const seedCount = opts.seeds ?? LAZY_DEFAULTS.seeds;
  const seed = opts.seed ?? 0;
  const { n, d, decay } = LAZY_DEFAULTS;
  const data = sphereData(n, d, makeRng(seed));
  const Hinf = limitingGram(data.X);
  const spectrum = eigenvalues(Hinf);
  const lambda0 = spectrum[0], lambdaMax = spectrum[n - 1];
  const eta = 1 / lambdaMax;
  const steps = Math.ceil(decay / (eta * lambda0));
  // The same initialisations at every width (their first rows): the slope over widths is a per-seed quantity.
  const seeds = Array.from({ length: seedCount }, (_, r) => replicateSeed(seed, r));

  const runs: WideRun[] = [];
  for (const m of widths) {
    opts.onProgress?.(`width ${m}`);
    runs.push(trainWide(data, { width: m, seeds, steps, eta }));
    await new Promise((r) => setImmediate(r)); // let the progress line draw
  }
  const ntkChange = (run: WideRun, s: number): number => relativeChange(empiricalNtk(data.X, run.W0[s], run.width).data, empiricalNtk(data.X, run.WT[s], run.width).data);
  const perWidth = runs.map((run) => ({
    width: run.width,
    weight: run.seeds.map((_, s) => relativeChange(run.W0[s], run.WT[s])),
    kernel: run.seeds.map((_, s) => ntkChange(run, s)),
    finalResidual: run.seeds.map((_, s) => run.residuals[s][steps] / run.residuals[s][0]),
    initialGap: run.seeds.map((_, s) => spectralGap(empiricalNtk(data.X, run.W0[s], run.width), Hinf) / lambda0),
  }));
  return { widths, seedCount, seed, seeds, lambda0, lambdaMax, eta, steps, runs, perWidth, seconds: (performance.now() - t0) / 1000 };
}

/** The three statements judged on the runs: the papers' claims, or those in `opts` (a planted rate or exponent). */
export function lazyTrainingVerdict(measured: LazyRuns, opts: Pick<LazyOptions, 'rateFactor' | 'claims'> = {}): LawResult {
  const t0 = performance.now();
  const { widths, seedCount, seed, seeds, lambda0, lambdaMax, eta, steps, runs, perWidth } = measured;
  const rateFactor = opts.rateFactor ?? 1;
  const { n, d, decay, fitFrom, holdsFrom } = LAZY_DEFAULTS;

  // The exponent fits use the widths from fitFrom on (below it the network is not lazy: W moves by O(1)).
  const fitted = perWidth.filter((p) => p.width >= fitFrom);
  const fitSizes = fitted.map((p) => p.width);
  const bySeed = (key: 'weight' | 'kernel') => seeds.map((_, s) => fitted.map((p) => p[key][s]));
  const weightClaim = opts.claims?.weight ?? WEIGHT_CHANGE;
  const kernelClaim = opts.claims?.kernel ?? KERNEL_CHANGE;
  const inLazyRange = (o: FitOutcome): FitOutcome => ('reason' in o ? { reason: `widths ≥ ${fitFrom} (the ones fitted): ${o.reason}` } : o);
  const weightFit = inLazyRange(fitExponent(fitSizes, bySeed('weight')));
  const kernelFit = inLazyRange(fitExponent(fitSizes, bySeed('kernel')));

  const rate = rateFactor * eta * lambda0;
  const boundOf = (run: WideRun, s: number) => Float64Array.from(run.residuals[s], (_, k) => Math.exp(-rate * k) * run.residuals[s][0]);
  const bySize = runs.map((run) => checkBoundAtSize(run.width, run.seeds.map((sd, s): BoundTrace => ({ seed: sd, measured: run.residuals[s], bound: boundOf(run, s), floor: run.floors[s] }))));
  const rateTex = rateFactor === 1 ? '\\eta\\lambda_0' : `${rateFactor}\\,\\eta\\lambda_0`;

  const statements = [
    exponentStatement(weightClaim, `$\\|W(T) - W(0)\\|_F / \\|W(0)\\|_F \\propto m^{${weightClaim.predicted}}$ (within ±${weightClaim.tolerance}), widths ≥ ${fitFrom}`, weightFit),
    exponentStatement(kernelClaim, `$\\|H(T) - H(0)\\|_F / \\|H(0)\\|_F = O(m^{${kernelClaim.predicted}})$ for the empirical NTK $H$: fitted exponent at most ${kernelClaim.predicted} + ${kernelClaim.tolerance}, widths ≥ ${fitFrom}`, kernelFit),
    boundStatement({
      id: 'du-linear-convergence',
      claim: `$\\|y - u(k)\\|^2 \\le e^{-${rateTex} k}\\,\\|y - u(0)\\|^2$ at every step $k$, for widths $m \\ge ${holdsFrom}$`,
      source: SOURCE_DU,
      bySize,
      holdsFrom,
      sizeName: 'width',
    }),
  ];

  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const violatedAt = bySize.filter((b) => !b.holds).map((b) => b.size);
  const findings = [
    `λ0 = ${lambda0.toPrecision(4)}, λmax = ${lambdaMax.toPrecision(4)} (H∞ of ${n} points on S^${d - 1}); η = 1/λmax; ${steps} steps (the bound falls by e^${decay}).`,
    violatedAt.length
      ? `The bound is broken at width${violatedAt.length > 1 ? 's' : ''} ${violatedAt.join(', ')} (worst measured/bound ${Math.max(...bySize.filter((b) => !b.holds).map((b) => b.worstRatio)).toPrecision(3)}), and holds at every step of every seed at ${bySize.filter((b) => b.holds).map((b) => b.size).join(', ') || 'no width'}.`
      : `The bound holds at every step of every seed at every width run (${widths.join(', ')}).`,
  ];
  const every = Math.max(1, Math.floor(steps / 150));
  const ratioPoints: SeriesPoint[] = runs.flatMap((run) => {
    const bounds = run.seeds.map((_, s) => boundOf(run, s));
    const points: SeriesPoint[] = [];
    for (let k = 0; k <= steps; k++) {
      if (k % every && k !== steps) continue;
      points.push({ x: k, y: Math.max(...run.seeds.map((_, s) => run.residuals[s][k] / bounds[s][k])), series: `m = ${run.width}` });
    }
    return points;
  });

  return {
    law: 'lazy-training',
    title: 'Wide networks train lazily: weights and NTK move as m^(−1/2), and the Du et al. rate holds',
    seed,
    settings: { widths: widths.join(', '), seeds: seedCount, n, d, eta, steps, lambda0, lambdaMax, 'fit from width': fitFrom, 'bound claimed from width': holdsFrom },
    setup: `A two-layer ReLU network $f(x) = \\frac{1}{\\sqrt m} \\sum_{r=1}^m a_r \\max(0, w_r^\\top x)$ with $w_r \\sim N(0, I_{${d}})$ and $a_r$ uniform on $\\{-1, 1\\}$ and fixed (the setting of Du, Zhai, Póczos and Singh), trained on $W$ alone by full-batch gradient descent on $\\tfrac12 \\sum_i (f(x_i) - y_i)^2$ with TensorFlow.js (float32). The data: $n = ${n}$ points uniform on the unit sphere of $\\mathbb{R}^{${d}}$ with targets $y_i \\sim N(0, 1)$. Every width runs the same $T = ${steps}$ steps of size $\\eta = 1/\\lambda_{\\max}(H^\\infty)$. The empirical NTK is $H(W)_{ij} = x_i^\\top x_j \\frac1m \\sum_r 1\\{w_r^\\top x_i \\ge 0, w_r^\\top x_j \\ge 0\\}$ and its limit $H^\\infty_{ij} = x_i^\\top x_j (\\pi - \\arccos x_i^\\top x_j)/(2\\pi)$, both in float64; $\\lambda_0 = \\lambda_{\\min}(H^\\infty)$. Each seed is one initialisation, the same at every width (its first rows), so the slope over widths is fitted per seed and the exponent's interval is a Student $t$ interval of the ${seedCount} per-seed slopes. The bound is checked at every step on $\\|y - u(k)\\|^2$ evaluated in float64 on the float32 iterate; a step counts as a violation only beyond a worst-case bound on that evaluation's rounding. The float32 trajectory's own departure from exact gradient descent is not modelled.`,
    statements,
    figures: [
      exponentFigure({ id: 'weight-change', title: 'Relative change of the weights against the width', xLabel: 'width m', yLabel: '‖W(T) − W(0)‖ / ‖W(0)‖', sizes: perWidth.map((p) => p.width), values: perWidth.map((p) => p.weight), claim: weightClaim, outcome: weightFit }),
      exponentFigure({ id: 'ntk-change', title: 'Relative change of the empirical NTK against the width', xLabel: 'width m', yLabel: '‖H(T) − H(0)‖ / ‖H(0)‖', sizes: perWidth.map((p) => p.width), values: perWidth.map((p) => p.kernel), claim: kernelClaim, outcome: kernelFit }),
      {
        id: 'du-bound',
        title: 'Measured ‖y − u(k)‖² over the bound, worst seed, per width',
        points: ratioPoints,
        plot: { xLabel: 'step k', yLabel: 'measured / bound', log: true, references: [{ label: 'bound', y: 1 }] },
        caption: 'Above 1 means the bound is broken at that step (the measurement is float64 on the float32 iterate; its rounding is far below the gaps shown).',
      },
    ],
    table: {
      columns: [
        { id: 'width', label: 'width m', numeric: true },
        { id: 'weight', label: 'rel. change W', numeric: true },
        { id: 'kernel', label: 'rel. change NTK', numeric: true },
        { id: 'final', label: 'final/initial residual', numeric: true },
        { id: 'gap', label: 'max ‖H(0) − H∞‖/λ0', numeric: true },
        { id: 'worst', label: 'worst measured/bound', numeric: true },
        { id: 'bound', label: 'Du bound' },
      ],
      rows: perWidth.map((p, i) => ({ width: p.width, weight: mean(p.weight), kernel: mean(p.kernel), final: mean(p.finalResidual), gap: Math.max(...p.initialGap), worst: bySize[i].worstRatio, bound: bySize[i].holds ? 'holds' : 'violated' })),
      caption: `Means over ${seedCount} seeds; the worst ratio is over every seed and every step k ≥ 1. Du et al.'s width requirement is there to make ‖H(0) − H∞‖₂ ≤ λ0/4 (the gap column ≤ 0.25).`,
    },
    findings,
    data: { lambda0, lambdaMax, eta, steps, perWidth, bySize, weightFit, kernelFit },
    seconds: measured.seconds + (performance.now() - t0) / 1000,
  };
}
