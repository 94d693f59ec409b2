/**
 * The variance-limited scaling regime (Bahri, Dyer, Kaplan, Lee and Sharma
 * 2021): at a fixed model, as the dataset grows, the test loss approaches its
 * infinite-data value as L(D) − L(∞) ∝ D^(−1). Teacher–student: data on the
 * unit sphere S² ⊂ R³ (a manifold of intrinsic dimension 2), a random tanh
 * teacher, and a student that is a two-layer ReLU network whose first layer is
 * frozen at random (P features, followed by a fixed whitening so that
 * gradient descent converges in a few dozen steps; the function class is the
 * same) and whose last layer is trained by full-batch gradient descent with
 * TensorFlow.js to convergence (the gradient from the training set's moments
 * AᵀA/D and Aᵀy/D, computed once per set: the same steps at P² cost, not 2DP). The population is a fixed sample of N points
 * and training sets are drawn from it with replacement, so the infinite-data
 * optimum θ* and the excess loss are exact: with features whitened over the
 * population, L(θ) − L(∞) = ‖θ − θ*‖².
 */
import { tf } from '../../engine/backend.ts';
import { mat, symEig } from '../../numeric/linalg.ts';
import { makeRng } from '../../numeric/rng.ts';
import { fitExponent, replicateSeed } from '../fit.ts';
import { exponentFigure } from '../figures.ts';
import type { Claim, LawOptions, LawResult } from '../types.ts';
import { exponentStatement } from '../verdict.ts';
import { SCALING_DEFAULTS } from './defaults.ts';

const SOURCE = 'Bahri, Dyer, Kaplan, Lee, Sharma 2021, Explaining neural scaling laws (variance-limited regime in the dataset size)';

export const VARIANCE_LIMITED: Claim = { id: 'variance-limited-exponent', relation: 'equal', quantity: 'excess test loss L(D) − L(∞) against the dataset size D at fixed model', predicted: -1, tolerance: 0.15, source: SOURCE };

export interface ScalingOptions extends LawOptions { claim?: Claim }

/** Points uniform on the unit sphere of R^(k+1): a manifold of intrinsic dimension k. */
function sphere(N: number, k: number, rng: ReturnType<typeof makeRng>): Float64Array {
  const X = new Float64Array(N * (k + 1));
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j <= k; j++) { const v = rng.normal(); X[i * (k + 1) + j] = v; s += v * v; }
    const r = Math.sqrt(s);
    for (let j = 0; j <= k; j++) X[i * (k + 1) + j] /= r;
  }
  return X;
}

export async function varianceLimitedCheck(opts: ScalingOptions = {}): Promise<LawResult> {
  const t0 = performance.now();
  const Dfl = SCALING_DEFAULTS;
  const sizes = opts.sizes ?? Dfl.samples;
  const S = opts.seeds ?? Dfl.seeds;
  const seed = opts.seed ?? 0;
  const { features: P, teacherWidth: H, manifoldDimension: k, population: N } = Dfl;
  const dim = k + 1;
  const rng = makeRng(seed);
  // Teacher f*(x) = H^(−1/2) Σ_j b_j tanh(v_j·x + c_j); student features relu(w_p·x + β_p).
  const V = Float64Array.from({ length: H * dim }, () => 2 * rng.normal()), c = Float64Array.from({ length: H }, () => rng.normal()), b = Float64Array.from({ length: H }, () => rng.normal());
  const Wf = Float64Array.from({ length: P * dim }, () => rng.normal());
  // Each feature is active on a cap of the sphere: β_p = ‖w_p‖·U(−0.8, 0.8) (a β below −‖w_p‖ would switch it off everywhere).
  const beta = Float64Array.from({ length: P }, (_, p) => Math.hypot(...Wf.subarray(p * dim, (p + 1) * dim)) * rng.uniform(-0.8, 0.8));
  const X = sphere(N, k, rng);
  const y = new Float64Array(N), Phi = new Float64Array(N * P);
  for (let i = 0; i < N; i++) {
    let f = 0;
    for (let j = 0; j < H; j++) { let z = c[j]; for (let t = 0; t < dim; t++) z += V[j * dim + t] * X[i * dim + t]; f += b[j] * Math.tanh(z); }
    y[i] = f / Math.sqrt(H);
    for (let p = 0; p < P; p++) { let z = beta[p]; for (let t = 0; t < dim; t++) z += Wf[p * dim + t] * X[i * dim + t]; Phi[i * P + p] = Math.max(0, z); }
  }
  // Whitening over the population: Σ = Φᵀ Φ / N = Q Λ Qᵀ, features Σ^(−1/2) φ.
  const Sigma = mat(P, P);
  for (let i = 0; i < N; i++) for (let p = 0; p < P; p++) for (let q = 0; q <= p; q++) Sigma.data[p * P + q] += (Phi[i * P + p] * Phi[i * P + q]) / N;
  for (let p = 0; p < P; p++) for (let q = p + 1; q < P; q++) Sigma.data[p * P + q] = Sigma.data[q * P + p]; // symmetric: the same sums
  const { values, vectors } = symEig(Sigma);
  if (!(values[0] > 1e-12 * values[P - 1])) throw new Error(`scaling: the student's features are degenerate on the population (λmin/λmax = ${values[0] / values[P - 1]})`);
  const white = mat(P, P);
  for (let p = 0; p < P; p++) for (let q = 0; q < P; q++) {
    let s = 0;
    for (let r = 0; r < P; r++) s += (vectors.data[p * P + r] * vectors.data[q * P + r]) / Math.sqrt(values[r]);
    white.data[p * P + q] = s;
  }
  const F = new Float64Array(N * P);
  for (let i = 0; i < N; i++) for (let p = 0; p < P; p++) { let s = 0; for (let q = 0; q < P; q++) s += white.data[p * P + q] * Phi[i * P + q]; F[i * P + p] = s; }
  // θ* = argmin (1/N) Σ (θ·F_i − y_i)² = (1/N) Σ F_i y_i (whitened), L(∞) its loss.
  const thetaStar = new Float64Array(P);
  for (let i = 0; i < N; i++) for (let p = 0; p < P; p++) thetaStar[p] += (F[i * P + p] * y[i]) / N;
  let lossInf = 0;
  for (let i = 0; i < N; i++) { let u = 0; for (let p = 0; p < P; p++) u += thetaStar[p] * F[i * P + p]; lossInf += (u - y[i]) ** 2 / N; }

  const excess: number[][] = []; // [size][seed]
  const stepsUsed: number[] = [];
  for (const D of sizes) {
    opts.onProgress?.(`D = ${D}`);
    const draws = Array.from({ length: S }, (_, s) => { const r = makeRng(replicateSeed(seed, s, D)); return Int32Array.from({ length: D }, () => r.int(N)); });
    // Per seed the training set's moments G = AᵀA/D and g = Aᵀt/D (float64, A the whitened feature rows, t
    // the targets): the gradient of ½ (1/D) ‖Aθ − t‖² is Gθ − g, so a step costs P² per seed, not 2DP.
    // G's extreme eigenvalues fix the step 1/λmax and the steps to converge (contraction 1 − λmin/λmax).
    const Gs = new Float32Array(S * P * P), gs = new Float32Array(S * P);
    const spectra = draws.map((idx, s) => {
      const C = mat(P, P), g = new Float64Array(P);
      for (const i of idx) {
        const row = F.subarray(i * P, (i + 1) * P);
        for (let p = 0; p < P; p++) {
          const fp = row[p];
          g[p] += (fp * y[i]) / D;
          for (let q = 0; q <= p; q++) C.data[p * P + q] += (fp * row[q]) / D; // the lower triangle, mirrored below
        }
      }
      for (let p = 0; p < P; p++) for (let q = p + 1; q < P; q++) C.data[p * P + q] = C.data[q * P + p];
      Gs.set(C.data, s * P * P);
      gs.set(g, s * P);
      const e = symEig(C).values;
      return { lo: e[0], hi: e[P - 1] };
    });
    const steps = Math.ceil(Math.log(1e8) / Math.min(...spectra.map((e) => e.lo / e.hi)));
    stepsUsed.push(steps);
    const theta = tf.tidy(() => {
      const G = tf.tensor3d(Gs, [S, P, P]), g = tf.tensor3d(gs, [S, P, 1]);
      const eta = tf.tensor3d(Float32Array.from(spectra.map((e) => 1 / e.hi)), [S, 1, 1]);
      let th = tf.zeros([S, P, 1]) as tf.Tensor3D;
      for (let it = 0; it < steps; it++) {
        const next = tf.sub(th, tf.mul(eta, tf.sub(tf.matMul(G, th), g))) as tf.Tensor3D;
        th.dispose();
        th = tf.keep(next);
      }
      return th;
    });
    const th = theta.dataSync();
    theta.dispose();
    excess.push(Array.from({ length: S }, (_, s) => { let e = 0; for (let p = 0; p < P; p++) e += (th[s * P + p] - thetaStar[p]) ** 2; return e; }));
    await new Promise((r) => setImmediate(r));
  }

  const claim = opts.claim ?? VARIANCE_LIMITED;
  const fit = fitExponent(sizes, Array.from({ length: S }, (_, s) => excess.map((row) => row[s])));
  const geo = (xs: number[]) => Math.exp(xs.reduce((a, v) => a + Math.log(v), 0) / xs.length);
  return {
    law: 'scaling',
    title: 'Variance-limited scaling: the excess loss of a fixed model falls as 1/D',
    seed,
    settings: { 'dataset sizes D': sizes.join(', '), seeds: S, 'student features P': P, 'teacher width': H, 'manifold dimension': k, population: String(N), 'L(∞)': lossInf },
    setup: `Inputs uniform on the unit sphere $S^{${k}} \\subset \\mathbb{R}^{${dim}}$ (intrinsic dimension ${k}); teacher $f^*(x) = \\frac{1}{\\sqrt{${H}}} \\sum_j b_j \\tanh(v_j^\\top x + c_j)$ with $v_j \\sim N(0, 4I)$, $b_j, c_j \\sim N(0, 1)$. Student: a two-layer ReLU network with a frozen random first layer, $P = ${P}$ features $\\max(0, w_p^\\top x + \\beta_p)$ ($w_p \\sim N(0, I)$, $\\beta_p = \\|w_p\\| \\cdot U(-0.8, 0.8)$, so each is active on a cap of the sphere), whitened by the fixed map $\\Sigma^{-1/2}$ ($\\Sigma$ their second moment over the population), and a trained last layer $\\theta$. The population is a fixed sample of $N = ${N}$ points; each seed draws a training set of $D$ points from it with replacement, and full-batch gradient descent (TensorFlow.js, float32, step $1/\\lambda_{\\max}$ of the training set's feature covariance; the gradient $G\\theta - g$ from the set's moments $G = A^\\top A / D$, $g = A^\\top y / D$, computed once in float64) runs from $\\theta = 0$ until its contraction has shrunk the distance to the training optimum by $10^{8}$. Because the features are white over the population, the excess loss is exactly $L(\\theta_D) - L(\\infty) = \\|\\theta_D - \\theta^*\\|^2$ with $\\theta^*$ the population optimum. The exponent is fitted per seed (its own training sets at every $D$) and its interval is a Student $t$ interval over the ${S} seeds.`,
    statements: [exponentStatement(claim, `$L(D) - L(\\infty) \\propto D^{${claim.predicted}}$ at fixed model (within ±${claim.tolerance})`, fit)],
    figures: [exponentFigure({ id: 'variance-limited', title: 'Excess test loss against the dataset size', xLabel: 'dataset size D', yLabel: 'L(D) − L(∞)', sizes, values: excess, claim, outcome: fit })],
    table: {
      columns: [
        { id: 'D', label: 'D', numeric: true },
        { id: 'excess', label: 'excess loss (geometric mean)', numeric: true },
        { id: 'relative', label: 'excess / L(∞)', numeric: true },
        { id: 'steps', label: 'gradient steps', numeric: true },
      ],
      rows: sizes.map((D, i) => ({ D, excess: geo(excess[i]), relative: geo(excess[i]) / lossInf, steps: stepsUsed[i] })),
      caption: `L(∞) = ${lossInf.toPrecision(4)}, the population loss of the best last layer. Geometric means over ${S} seeds.`,
    },
    findings: ['fit' in fit ? `Fitted exponent ${fit.fit.mean.toFixed(3)} [${fit.fit.lo.toFixed(3)}, ${fit.fit.hi.toFixed(3)}]; for comparison, Bahri et al.'s resolution-limited exponent for piecewise-linear students on a ${k}-dimensional manifold is about −4/${k} = ${(-4 / k).toFixed(2)}.` : `No fit: ${fit.reason}.`],
    data: { sizes, excess, lossInf, stepsUsed, fit },
    seconds: (performance.now() - t0) / 1000,
  };
}
