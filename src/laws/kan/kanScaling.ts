/**
 * KAN grid scaling (Liu et al. 2024, KAN: Kolmogorov–Arnold Networks, §2.3
 * Theorem 2.1 and §2.4's grid extension): when a function has a smooth
 * Kolmogorov–Arnold representation, a KAN of that shape whose edges are
 * splines of degree k on G intervals approximates it with error O(G^(−(k+1))),
 * independent of the input dimension; for cubic splines the test RMSE falls as
 * G^(−4). Checked on f(x, y) = exp(sin πx + y²) = Φ(φ₁(x) + φ₂(y)) with a
 * [2, 1, 1] KAN trained in TensorFlow.js (models.ts, training.ts) through the
 * grids by grid extension, beside a one-hidden-layer MLP with as many
 * parameters at each grid.
 */
import { numericColumns } from '../../experiments/types.ts';
import { makeRng } from '../../numeric/rng.ts';
import type { SeriesPoint } from '../../experiments/series.ts';
import { exponentFigure } from '../figures.ts';
import { fitExponent, replicateSeed } from '../fit.ts';
import type { Claim, LawOptions, LawResult } from '../types.ts';
import { exponentStatement } from '../verdict.ts';
import { KAN_DEFAULTS } from './defaults.ts';
import type { PlaneData } from './models.ts';
import { DEGREE } from './spline.ts';
import { mlpWidthFor, trainKan, trainMlp, WARMUP_GRID, type SizeResult } from './training.ts';

const SOURCE = 'Liu, Wang, Vaidya, Ruehle, Halverson, Soljačić, Hou, Tegmark 2024, KAN: Kolmogorov–Arnold Networks (Theorem 2.1; §2.4, grid extension on exp(sin πx + y²))';

export const KAN_EXPONENT: Claim = { id: 'kan-grid-exponent', relation: 'equal', quantity: 'root median squared test error of a [2, 1, 1] KAN against the grid size G', predicted: -(DEGREE + 1), tolerance: 0.5, source: SOURCE };

/** The target and its Kolmogorov–Arnold form. */
export const target = (x: number, y: number): number => Math.exp(Math.sin(Math.PI * x) + y * y);

export interface KanOptions extends LawOptions { claim?: Claim; iterations?: number; mlpIterations?: number; starts?: number; train?: number; test?: number }

/** S data sets of n points uniform on [−1, 1]², one stream per seed. */
function planeData(n: number, rngs: readonly ReturnType<typeof makeRng>[]): PlaneData {
  const S = rngs.length, X = new Float32Array(S * n * 2), y = new Float32Array(S * n);
  rngs.forEach((r, s) => {
    for (let i = 0; i < n; i++) {
      const a = r.uniform(-1, 1), b = r.uniform(-1, 1);
      X[2 * (s * n + i)] = a; X[2 * (s * n + i) + 1] = b;
      y[s * n + i] = target(Math.fround(a), Math.fround(b));
    }
  });
  return { S, n, X, y };
}

const geo = (xs: readonly number[]) => Math.exp(xs.reduce((a, v) => a + Math.log(v), 0) / xs.length);

export async function kanCheck(opts: KanOptions = {}): Promise<LawResult> {
  const t0 = performance.now();
  const D = KAN_DEFAULTS;
  const grids = [...new Set(opts.sizes ?? D.grids)].sort((a, b) => a - b); // grid extension goes from coarse to fine
  const S = opts.seeds ?? D.seeds;
  const seed = opts.seed ?? 0;
  const iterations = opts.iterations ?? D.iterations, mlpIterations = opts.mlpIterations ?? D.mlpIterations, starts = opts.starts ?? D.starts;
  const nTrain = opts.train ?? D.train, nTest = opts.test ?? D.test;
  const dataRngs = Array.from({ length: S }, (_, s) => makeRng(replicateSeed(seed, s, 0)));
  const train = planeData(nTrain, dataRngs), test = planeData(nTest, dataRngs);
  const initRngs = Array.from({ length: S }, (_, s) => makeRng(replicateSeed(seed, s, 1)));
  opts.onProgress?.(`KAN, G = ${grids.join(', ')}`);
  const kan = trainKan(train, test, grids, iterations, starts, initRngs);
  await new Promise((r) => setImmediate(r));
  opts.onProgress?.('MLP at the same parameter counts');
  const widths = kan.map((r) => mlpWidthFor(r.parameters));
  const mlp = trainMlp(train, test, widths, mlpIterations, initRngs);

  const claim = opts.claim ?? KAN_EXPONENT;
  const values = kan.map((r) => r.testRootMedian); // [grid][seed]
  const fit = fitExponent(grids, Array.from({ length: S }, (_, s) => values.map((row) => row[s])));
  const mlpFit = fitExponent(mlp.map((r) => r.parameters), Array.from({ length: S }, (_, s) => mlp.map((r) => r.testRootMedian[s])));
  const rmseFit = fitExponent(grids, Array.from({ length: S }, (_, s) => kan.map((r) => r.testRmse[s])));
  const series = (rs: readonly SizeResult[], name: string): SeriesPoint[] => rs.map((r) => ({ x: r.parameters, y: geo(r.testRootMedian), series: name }));
  const KAN = 'KAN [2, 1, 1] (cubic splines)', MLP = 'MLP, one tanh layer', REF = 'N^(−4) through the KAN\'s first point';
  const ref: SeriesPoint[] = [kan[0], kan[kan.length - 1]].map((r) => ({ x: r.parameters, y: geo(kan[0].testRootMedian) * (r.parameters / kan[0].parameters) ** -4, series: REF }));
  const last = kan.length - 1;
  const ratio = geo(mlp[last].testRootMedian) / geo(kan[last].testRootMedian);
  return {
    law: 'kan',
    title: 'KAN grid scaling: the test error of a cubic-spline KAN falls as G^(−4)',
    seed,
    settings: { 'grid sizes G': grids.join(', '), seeds: S, 'spline degree k': DEGREE, 'training points': nTrain, 'test points': nTest, 'Levenberg–Marquardt steps per grid': iterations, 'MLP steps per size': mlpIterations, [`random starts at G = ${WARMUP_GRID}`]: starts, 'MLP widths': widths.join(', ') },
    setup: `Target $f(x, y) = \\exp(\\sin(\\pi x) + y^2)$ on $[-1, 1]^2$, which is $\\Phi(\\varphi_1(x) + \\varphi_2(y))$ with $\\Phi = \\exp$, $\\varphi_1 = \\sin(\\pi\\,\\cdot)$, $\\varphi_2 = (\\cdot)^2$: a $[2, 1, 1]$ KAN represents it exactly up to its splines. Each of the three edges is a cubic B-spline $\\sum_j c_j B_j$ on a uniform grid of $G$ intervals ($G + 3$ coefficients, $3(G + 3)$ parameters in all); the inner grids span $[-1, 1]$, the outer one the range of $\\varphi_1 + \\varphi_2$ on the training points (moved there every 10 steps: the grid update). Per seed: ${nTrain} training and ${nTest} test points uniform on the square, and ${starts} random starts (inner coefficients $N(0, 0.3^2)$) trained for ${2 * iterations} steps at a warm-up grid of $G = ${WARMUP_GRID}$, of which the one with the least training loss is kept (the test points are not looked at). Training: ${iterations} Levenberg–Marquardt steps per grid; TensorFlow.js (float32) computes the model, its exact Jacobian and the normal equations, batched over seeds; the damped step is solved in float64. From one grid to the next the splines are carried over by least squares on the training points (grid extension). The MLP $\\sum_j a_j \\tanh(w_j^\\top x + b_j) + c$ has width $w$ with $4w + 1 \\approx 3(G + 3)$ parameters, starts from $w \\sim N(0, I)$, $b \\sim N(0, 1)$, $a \\sim N(0, 1/w)$ and takes ${mlpIterations} steps of the same optimiser at each size, from scratch. The error is measured as Liu et al. plot it for this network: the root of the median squared error on the test points (the test RMSE is shown too). The exponent is fitted per seed and its interval is a Student $t$ interval over the ${S} seeds.`,
    statements: [exponentStatement(claim, `Test error (root median square) $\\propto G^{${claim.predicted}}$ for a KAN of cubic splines ($-(k + 1)$, $k = ${DEGREE}$) on a target with a smooth Kolmogorov–Arnold form (within ±${claim.tolerance})`, fit)],
    figures: [
      exponentFigure({ id: 'kan-grid', title: 'KAN test error against the grid size', xLabel: 'grid size G', yLabel: 'root median squared test error', sizes: grids, values, claim, outcome: fit }),
      {
        id: 'kan-vs-mlp',
        title: 'KAN and MLP with the same number of parameters',
        points: [...series(kan, KAN), ...series(mlp, MLP), ...ref],
        plot: { xLabel: 'parameters N', yLabel: 'root median squared test error (geometric mean over seeds)', log: true, logX: true, dots: true, order: [KAN, MLP, REF], dashed: [REF] },
        caption: `Same data, same optimiser. At ${kan[last].parameters} parameters the MLP's test error is ${ratio.toPrecision(3)} times the KAN's.`,
      },
    ],
    table: {
      columns: numericColumns({
        G: 'G', parameters: 'parameters', kanTrain: 'KAN train RMSE', kanTest: 'KAN test error (root median square)', kanRmse: 'KAN test RMSE',
        kanWorst: 'KAN test RMSE, worst seed', mlpWidth: 'MLP width', mlpParameters: 'MLP parameters', mlpTest: 'MLP test error (root median square)', mlpRmse: 'MLP test RMSE',
      }),
      rows: grids.map((G, i) => ({ G, parameters: kan[i].parameters, kanTrain: geo(kan[i].trainRmse), kanTest: geo(kan[i].testRootMedian), kanRmse: geo(kan[i].testRmse), kanWorst: Math.max(...kan[i].testRmse), mlpWidth: widths[i], mlpParameters: mlp[i].parameters, mlpTest: geo(mlp[i].testRootMedian), mlpRmse: geo(mlp[i].testRmse) })),
      caption: `Geometric means over ${S} seeds unless said. Float32 outputs of values up to e² ≈ 7.4 carry a rounding of about 4e-7, so RMSEs near 1e-6 would measure float32, not the splines; the default grids stop well above it.`,
    },
    findings: [
      'fit' in fit ? `KAN: fitted exponent ${fit.fit.mean.toFixed(2)} [${fit.fit.lo.toFixed(2)}, ${fit.fit.hi.toFixed(2)}] against G (predicted −${DEGREE + 1}).` : `KAN: no fit: ${fit.reason}.`,
      'fit' in rmseFit ? `KAN test RMSE (the mean, not the median): exponent ${rmseFit.fit.mean.toFixed(2)} [${rmseFit.fit.lo.toFixed(2)}, ${rmseFit.fit.hi.toFixed(2)}]; a few test points near the end of the training range of φ₁ + φ₂ can dominate it, as Liu et al.'s own mean curve departs from G^(−4).` : `KAN test RMSE: no fit: ${rmseFit.reason}.`,
      'fit' in mlpFit ? `MLP: test error against its parameter count fits an exponent ${mlpFit.fit.mean.toFixed(2)} [${mlpFit.fit.lo.toFixed(2)}, ${mlpFit.fit.hi.toFixed(2)}] (no claim: shown for comparison).` : `MLP: no fit: ${mlpFit.reason}.`,
      `At the largest size (${kan[last].parameters} parameters) the MLP's test error is ${ratio.toPrecision(3)} times the KAN's.`,
    ],
    data: { grids, kan, mlp, widths, fit, rmseFit, mlpFit },
    seconds: (performance.now() - t0) / 1000,
  };
}
