/**
 * The resolution-limited scaling regime in the model size (Bahri, Dyer,
 * Kaplan, Lee and Sharma 2021; Sharma and Kaplan 2022): with ample data, a
 * model that effectively divides a data manifold of intrinsic dimension d into
 * P pieces and is linear on each (a ReLU network) reaches a loss
 * L(P) ∝ P^(−4/d): each piece has size P^(−1/d), a linear fit on it errs by the
 * square of that, and the squared error by its fourth power. Teacher–student:
 * inputs uniform on a d-cube embedded by a random isometry in R^D, a random
 * tanh teacher on R^D, and a two-layer ReLU student whose P hidden units are
 * random hyperplanes through the data (features computed in TensorFlow.js)
 * and whose last layer is fitted by least squares (float64) on a training set
 * of at least 32 P points: the resolution limit, not the data, sets its loss.
 */
import { tf } from '../../engine/backend.ts';
import { tidyValues } from '../../engine/tfjs.ts';
import { mat, randomOrthogonal, solveSPD } from '../../numeric/linalg.ts';
import { makeRng, type Rng } from '../../numeric/rng.ts';
import { exponentFigure } from '../figures.ts';
import { fitExponent, replicateSeed } from '../fit.ts';
import type { Claim, LawOptions, LawResult } from '../types.ts';
import { exponentStatement } from '../verdict.ts';
import { numericColumns } from '../../experiments/types.ts';
import { RESOLUTION_DEFAULTS } from './defaults.ts';

const SOURCE = 'Bahri, Dyer, Kaplan, Lee, Sharma 2021, Explaining neural scaling laws (resolution-limited regime, α ≈ 4/d for piecewise-linear models); Sharma and Kaplan 2022';

/** The claim at intrinsic dimension d: exponent −4/d within ±0.5 (the papers' "≈"). */
export const resolutionClaim = (d: number): Claim => ({ id: 'resolution-limited-exponent', relation: 'equal', quantity: 'test loss against the number of ReLU units P, data plentiful', predicted: -4 / d, tolerance: 0.5, source: SOURCE });

export interface ResolutionOptions extends LawOptions { claim?: Claim; dimension?: number; train?: number; test?: number }

/** The test loss of a student of P random ReLU features, last layer fitted by least squares on the training set. */
function studentLoss(Xtr: tf.Tensor2D, ytr: Float64Array, Xte: tf.Tensor2D, yte: Float64Array, P: number, D: number, rng: Rng, anchors: Float32Array): number {
  // Unit w_p ~ uniform direction, each hyperplane through a random training point (so it cuts the manifold).
  const W = new Float32Array(D * P), b = new Float32Array(P);
  for (let p = 0; p < P; p++) {
    let s = 0;
    const w = Array.from({ length: D }, () => { const v = rng.normal(); s += v * v; return v; });
    const a = rng.int(anchors.length / D);
    let dot = 0;
    for (let t = 0; t < D; t++) { W[t * P + p] = w[t] / Math.sqrt(s); dot += (w[t] / Math.sqrt(s)) * anchors[a * D + t]; }
    b[p] = -dot;
  }
  const features = (X: tf.Tensor2D) => tidyValues(() => tf.relu(tf.add(tf.matMul(X, tf.tensor2d(W, [D, P])), tf.tensor1d(b))));
  const Ftr = features(Xtr), Fte = features(Xte);
  const n = ytr.length, Q = P + 1; // features and a constant
  const A = mat(Q, Q), g = new Float64Array(Q);
  const row = new Float64Array(Q);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < P; p++) row[p] = Ftr[i * P + p];
    row[P] = 1;
    for (let a = 0; a < Q; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      g[a] += ra * ytr[i];
      for (let c = 0; c <= a; c++) A.data[a * Q + c] += ra * row[c];
    }
  }
  let trace = 0;
  for (let a = 0; a < Q; a++) { trace += A.data[a * Q + a]; for (let c = a + 1; c < Q; c++) A.data[a * Q + c] = A.data[c * Q + a]; }
  for (let a = 0; a < Q; a++) A.data[a * Q + a] += 1e-12 * trace; // a hair of ridge: ReLU features can be nearly collinear
  const theta = solveSPD(A, g);
  let loss = 0;
  for (let i = 0; i < yte.length; i++) {
    let f = theta[P];
    for (let p = 0; p < P; p++) f += theta[p] * Fte[i * P + p];
    loss += (f - yte[i]) ** 2 / yte.length;
  }
  return loss;
}

export async function resolutionLimitedCheck(opts: ResolutionOptions = {}): Promise<LawResult> {
  const t0 = performance.now();
  const Dfl = RESOLUTION_DEFAULTS;
  const sizes = opts.sizes ?? Dfl.features;
  const S = opts.seeds ?? Dfl.seeds;
  const seed = opts.seed ?? 0;
  const d = opts.dimension ?? Dfl.manifoldDimension, D = Dfl.ambientDimension, H = Dfl.teacherWidth;
  const nTrain = opts.train ?? Dfl.train, nTest = opts.test ?? Dfl.test;
  const loss: number[][] = sizes.map(() => []); // [size][seed]
  let variance = 0;
  for (let s = 0; s < S; s++) {
    opts.onProgress?.(`seed ${s + 1} of ${S}`);
    const rng = makeRng(replicateSeed(seed, s));
    // The manifold: z uniform on [−1, 1]^d, x = E z with E (D × d) orthonormal columns.
    const Q = randomOrthogonal(D, rng);
    const embed = (n: number) => {
      const X = new Float32Array(n * D);
      for (let i = 0; i < n; i++) {
        const z = Array.from({ length: d }, () => rng.uniform(-1, 1));
        for (let t = 0; t < D; t++) { let v = 0; for (let k = 0; k < d; k++) v += Q.data[t * D + k] * z[k]; X[i * D + t] = v; }
      }
      return X;
    };
    // Teacher f*(x) = H^(−1/2) Σ_j a_j tanh(v_j·x + c_j), v_j ~ N(0, 2I).
    const V = Float64Array.from({ length: H * D }, () => Math.SQRT2 * rng.normal()), c = Float64Array.from({ length: H }, () => rng.normal()), a = Float64Array.from({ length: H }, () => rng.normal());
    const teacher = (X: Float32Array, n: number) => Float64Array.from({ length: n }, (_, i) => {
      let f = 0;
      for (let j = 0; j < H; j++) { let z = c[j]; for (let t = 0; t < D; t++) z += V[j * D + t] * X[i * D + t]; f += a[j] * Math.tanh(z); }
      return f / Math.sqrt(H);
    });
    const Xtr = embed(nTrain), Xte = embed(nTest);
    const ytr = teacher(Xtr, nTrain), yte = teacher(Xte, nTest);
    const mean = yte.reduce((x, v) => x + v, 0) / nTest;
    variance += yte.reduce((x, v) => x + (v - mean) ** 2, 0) / nTest / S;
    const tr = tf.tensor2d(Xtr, [nTrain, D]), te = tf.tensor2d(Xte, [nTest, D]);
    sizes.forEach((P, k) => loss[k].push(studentLoss(tr, ytr, te, yte, P, D, rng, Xtr)));
    tf.dispose([tr, te]);
    await new Promise((r) => setImmediate(r));
  }
  const claim = opts.claim ?? resolutionClaim(d);
  const fit = fitExponent(sizes, Array.from({ length: S }, (_, s) => loss.map((row) => row[s])));
  const geo = (xs: number[]) => Math.exp(xs.reduce((x, v) => x + Math.log(v), 0) / xs.length);
  const dataLimited = sizes.filter((P) => nTrain < 32 * P);
  return {
    law: 'scaling-resolution',
    title: `Resolution-limited scaling: the loss of a ReLU student falls as P^(−4/d) (d = ${d})`,
    seed,
    settings: { 'ReLU units P': sizes.join(', '), seeds: S, 'intrinsic dimension d': d, 'ambient dimension': D, 'teacher width': H, 'training points': nTrain, 'test points': nTest },
    setup: `Inputs $x = E z$ with $z$ uniform on $[-1, 1]^{${d}}$ and $E$ a random ${D} × ${d} matrix with orthonormal columns: a flat manifold of intrinsic dimension $d = ${d}$ in $\\mathbb{R}^{${D}}$. Teacher $f^*(x) = \\frac{1}{\\sqrt{${H}}} \\sum_j a_j \\tanh(v_j^\\top x + c_j)$, $v_j \\sim N(0, 2I)$, $a_j, c_j \\sim N(0, 1)$, new for every seed. Student: a two-layer ReLU network $\\sum_p \\theta_p \\max(0, w_p^\\top x + \\beta_p) + \\theta_0$ with $P$ hidden units, $w_p$ uniform on the unit sphere and $\\beta_p$ chosen so that the hyperplane passes through a random training point (every unit cuts the manifold); the features are computed with TensorFlow.js (float32) and the last layer is the least-squares fit (float64 normal equations) on ${nTrain} training points, at least 32 per unit, so the loss is set by the resolution $P$ and not by the data (Bahri et al.'s resolution-limited regime in the model size). Measured: the mean squared error on ${nTest} fresh test points. The exponent is fitted per seed (teacher, data and units new for every seed; the units of different $P$ drawn independently) and its interval is a Student $t$ interval over the ${S} seeds.`,
    statements: [exponentStatement(claim, `$L(P) \\propto P^{-4/d}$ = $P^{${claim.predicted.toFixed(2)}}$ for a piecewise-linear (ReLU) student on a manifold of intrinsic dimension $d = ${d}$ (within ±${claim.tolerance})`, fit)],
    figures: [exponentFigure({ id: 'resolution-limited', title: 'Test loss against the number of ReLU units', xLabel: 'ReLU units P', yLabel: 'test loss (MSE)', sizes, values: loss, claim, outcome: fit })],
    table: {
      columns: numericColumns({ P: 'P', loss: 'test loss (geometric mean)', relative: 'test loss / Var f*', worst: 'test loss, worst seed' }),
      rows: sizes.map((P, k) => ({ P, loss: geo(loss[k]), relative: geo(loss[k]) / variance, worst: Math.max(...loss[k]) })),
      caption: `Var f* = ${variance.toPrecision(3)}, the teacher's variance over the test points (mean over seeds). Geometric means over ${S} seeds.`,
    },
    findings: [
      'fit' in fit ? `Fitted exponent ${fit.fit.mean.toFixed(2)} [${fit.fit.lo.toFixed(2)}, ${fit.fit.hi.toFixed(2)}]; predicted −4/d = ${(-4 / d).toFixed(2)}.` : `No fit: ${fit.reason}.`,
      ...(dataLimited.length ? [`P = ${dataLimited.join(', ')}: fewer than 32 training points per unit, so the data may limit the loss too.`] : []),
    ],
    data: { sizes, loss, dimension: d, variance, fit },
    seconds: (performance.now() - t0) / 1000,
  };
}
