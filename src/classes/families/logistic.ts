/**
 * [logistic-l2] L2-regularised logistic regression with labels s_i ∈ {−1, +1}:
 *   f(w) = (1/n) Σ_i softplus(−s_i x_iᵀw) + (λ/2)‖w‖²,   softplus(z) = log(1 + e^z).
 * (Equivalently, cross-entropy with y_i = (1 + s_i)/2 ∈ {0, 1}; data carry both.)
 *
 * Constants: the Hessian is (1/n) Xᵀ D X + λI with D = diag(σ(u_i)σ(−u_i)) ⪯ I/4,
 * so L = λ_max(XᵀX)/(4n) + λ (attained at w = 0, where every σ′ = 1/4), μ = PL = λ.
 * λ_max(XᵀX) from Jacobi with the backward-error pad (an upper bound).
 * w* and f* by damped Newton in float64 (Armijo backtracking while the Newton
 * decrement is above the roundoff of f, then full steps while ‖∇f‖ decreases),
 * stopped when ‖∇f‖ ≤ 4 eps (mean‖x_i‖ + (mean‖x_i‖² + λ)‖w‖), the roundoff of its
 * terms (~1e-15 relative); then f(w*) − inf f ≤ ‖∇f(w*)‖²/(2λ), negligible.
 * Softplus and σ are evaluated stably in float64 and with tf.softplus in float32.
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family, Instance, NoiseCertificate } from '../types.ts';
import { gram, matTVec, matVec, norm, solveSPD, type Mat, type Vec } from '../../numeric/linalg.ts';
import { makeRng } from '../../numeric/rng.ts';
import {
  accurateSum, certifiedSpectrum, checkBatch, EPS64, finiteArray, finiteNumber, logUniform, makeBatchedLoss,
  gatherRows, makeMinibatchLoss, matFromRows, rowOffsets, rowsOf, seedArb, sigmoid, softplus, sphere, stackPadded, stackSamples,
} from './common.ts';

/**
 * Params of [logistic-l2]: { X: number[][] (n×d); s: number[] (labels, each −1 or +1);
 * lambda: number (> 0); x0: number[] (length d) }.
 */
export type LogisticParams = { X: number[][]; s: number[]; lambda: number; x0: number[] };

export interface LogisticGen {
  seed: number;
  n: number;
  dim: number;
  lambda: number;
  /** probability of flipping a teacher label (0: separable data, the regulariser alone bounds w*). */
  flip: number;
  /** scale of the teacher w_true, i.e. how confident the labels are. */
  teacherScale: number;
  /** distance of x0 from the origin. */
  x0Dist: number;
}

/** Random params: Gaussian X, labels from a teacher with flips (deterministic in `gen`). */
export function logisticData(gen: LogisticGen): LogisticParams {
  const rng = makeRng(gen.seed);
  const { n, dim: d } = gen;
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const wTrue = sphere(rng, d, gen.teacherScale);
  const s = X.map((x) => {
    const u = x.reduce((a, v, j) => a + v * wTrue[j], 0);
    const lab = u >= 0 ? 1 : -1;
    return rng.next() < gen.flip ? -lab : lab;
  });
  return { X, s, lambda: gen.lambda, x0: sphere(rng, d, gen.x0Dist) };
}

interface LogData { X: Mat; s: Vec; lambda: number; x0: Vec; n: number; d: number }

function parse(params: LogisticParams): LogData {
  const X = matFromRows('logistic-l2: X', params.X);
  const s = Float64Array.from(finiteArray('logistic-l2: s', params.s, X.rows));
  if (s.some((v) => v !== 1 && v !== -1)) throw new Error('logistic-l2: labels s must be −1 or +1');
  const lambda = finiteNumber('logistic-l2: lambda', params.lambda, 0, Infinity, true);
  const x0 = Float64Array.from(finiteArray('logistic-l2: x0', params.x0, X.cols));
  return { X, s, lambda, x0, n: X.rows, d: X.cols };
}

function oracle(D: LogData) {
  const { X, s, lambda, n, d } = D;
  const margins = (w: ArrayLike<number>): Vec => {
    const u = matVec(X, w);
    for (let i = 0; i < n; i++) u[i] *= -s[i]; // z_i = −s_i x_iᵀw
    return u;
  };
  const value = (w: ArrayLike<number>): number => {
    const z = margins(w);
    let w2 = 0;
    for (let j = 0; j < d; j++) w2 += w[j] * w[j];
    return accurateSum(z.map(softplus)) / n + 0.5 * lambda * w2;
  };
  const grad = (w: ArrayLike<number>): Vec => {
    const z = margins(w);
    // ∂/∂w softplus(−s xᵀw) = −s σ(z) x
    const c = z.map((zi, i) => (-s[i] * sigmoid(zi)) / n);
    const g = matTVec(X, c);
    for (let j = 0; j < d; j++) g[j] += lambda * w[j];
    return g;
  };
  const hess = (w: ArrayLike<number>): Float64Array => {
    const z = margins(w);
    const H = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const sg = sigmoid(z[i]);
      const wi = (sg * (1 - sg)) / n;
      for (let a = 0; a < d; a++) {
        const xa = X.data[i * d + a] * wi;
        for (let b = a; b < d; b++) H[a * d + b] += xa * X.data[i * d + b];
      }
    }
    for (let a = 0; a < d; a++) {
      H[a * d + a] += lambda;
      for (let b = 0; b < a; b++) H[a * d + b] = H[b * d + a]; // exactly symmetric
    }
    return H;
  };
  return { value, grad, hess };
}

/**
 * The per-sample gradients g_i(w) = −s_i σ(−s_i x_iᵀw) x_i + λw. Their noise
 * g_i − ∇f is the data term minus its mean, whose variance is at most its
 * second moment, and σ ∈ (0, 1): so V[g_i(w)] ≤ (1/n)Σ‖x_i‖² = M for every w,
 * with MV = 0. Each f_i is convex and (‖x_i‖²/4 + λ)-smooth.
 */
function sampleGradients(D: LogData) {
  const { X, s, lambda, n, d } = D;
  const secondMoment = (w: ArrayLike<number>): number => {
    const u = matVec(X, w);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = -s[i] * sigmoid(-s[i] * u[i]);
      let g2 = 0;
      for (let j = 0; j < d; j++) g2 += (c * X.data[i * d + j] + lambda * w[j]) ** 2;
      total += g2;
    }
    return total / n;
  };
  const rowNorms2 = Array.from({ length: n }, (_, i) => norm(X.data.subarray(i * d, (i + 1) * d)) ** 2);
  return {
    secondMoment,
    certificate: (wstar: ArrayLike<number>): NoiseCertificate => ({
      M: rowNorms2.reduce((a, b) => a + b, 0) / n,
      MV: 0,
      sigmaStar: secondMoment(wstar),
      Lmax: Math.max(...rowNorms2) / 4 + lambda,
      convexSamples: true,
    }),
  };
}

/** mean ‖x_i‖ and mean ‖x_i‖² (the latter bounds λ_max(XᵀX)/n). */
export function rowScales(D: { X: Mat; n: number; d: number }): { rowNorm: number; rowNorm2: number } {
  let rowNorm = 0, rowNorm2 = 0;
  for (let i = 0; i < D.n; i++) {
    const r = norm(D.X.data.subarray(i * D.d, (i + 1) * D.d));
    rowNorm += r;
    rowNorm2 += r * r;
  }
  return { rowNorm: rowNorm / D.n, rowNorm2: rowNorm2 / D.n };
}

/** Minimise by damped Newton in float64; returns w* with ‖∇f(w*)‖ at roundoff level. */
export function newtonSolve(D: LogData): { w: Vec; gradNorm: number; iterations: number } {
  const o = oracle(D);
  const d = D.d;
  let w: Vec = new Float64Array(d);
  let f = o.value(w), g = o.grad(w), gn = norm(g);
  // roundoff level of ∇f: eps × (mean ‖x_i‖ + (mean ‖x_i‖² + λ)‖w‖), the size of its terms
  // (σ(z_i) x_i, and the error of z_i = x_iᵀw propagated through σ′ x_i)
  const { rowNorm, rowNorm2 } = rowScales(D);
  let it = 0, stalls = 0;
  for (; it < 200; it++) {
    const floor = 4 * EPS64 * (rowNorm + (rowNorm2 + D.lambda) * norm(w));
    if (gn <= floor) break;
    const H: Mat = { rows: d, cols: d, data: o.hess(w) };
    const step = solveSPD(H, g);
    const dec = g.reduce((a, v, j) => a + v * step[j], 0); // Newton decrement², > 0
    let t = 1, accepted = false;
    // Armijo backtracking only while the predicted decrease is above the roundoff of f;
    // below it f cannot judge a step, and the Newton step is taken whole if ‖∇f‖ shrinks.
    if (dec > 1e3 * EPS64 * Math.max(1, Math.abs(f)))
      for (let ls = 0; ls < 40; ls++) {
        const wn = w.map((v, j) => v - t * step[j]);
        const fn = o.value(wn);
        if (fn <= f - 1e-4 * t * dec) {
          w = wn; f = fn; accepted = true;
          break;
        }
        t /= 2;
      }
    if (!accepted) {
      // f no longer resolves the decrease: take the full step while the gradient still shrinks
      const wn = w.map((v, j) => v - step[j]);
      const gnNew = norm(o.grad(wn));
      if (gnNew < gn) { w = wn; f = o.value(wn); } else if (++stalls >= 3) break;
    }
    g = o.grad(w);
    gn = norm(g);
  }
  return { w, gradNorm: gn, iterations: it };
}

export const logistic: Family<LogisticParams> = {
  id: 'logistic-l2',
  title: 'L2-regularised logistic regression',
  description:
    'f(w) = (1/n)Σ softplus(−s_i x_iᵀw) + (λ/2)‖w‖², λ > 0: L = λ_max(XᵀX)/(4n) + λ (attained at w = 0), μ = PL = λ; w*, f* by Newton in float64 to roundoff.',
  classes: ['convex', 'L-smooth', 'mu-strongly-convex', 'mu-PL', 'bounded-below'],

  arbitrary(ctx) {
    const dim = ctx.dim;
    return fc
      .record({
        seed: seedArb(),
        n: fc.integer({ min: 2, max: 40 }),
        lambda: logUniform(1e-3, 1, [0.01, 0.1]),
        flip: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
        teacherScale: logUniform(0.1, 10, [1]),
        x0Dist: fc.oneof(fc.constant(0), logUniform(0.01, 10, [1])),
      })
      .map((r) => logisticData({ ...r, dim }));
  },

  instantiate(params) {
    const D = parse(params);
    const o = oracle(D);
    const sp = certifiedSpectrum(gram(D.X));
    const Lbase = (sp.max + sp.pad) / (4 * D.n);
    const { w: wstar } = newtonSolve(D);
    const samples = sampleGradients(D);
    const inst: Instance = {
      family: 'logistic-l2',
      params,
      dim: D.d,
      cert: {
        convex: true,
        quadratic: false,
        L: Lbase + D.lambda,
        mu: D.lambda,
        pl: D.lambda,
        fstar: o.value(wstar),
        regularized: { lambda: D.lambda, Lbase },
        noise: samples.certificate(wstar),
      },
      x0: D.x0,
      value: o.value,
      grad: o.grad,
      hess: o.hess,
      nearestMinimiser: () => Float64Array.from(wstar),
      sampleGrad2: samples.secondMoment,
      data: {
        X: rowsOf(D.X),
        s: Array.from(D.s),
        y: Array.from(D.s, (v) => (1 + v) / 2),
        n: D.n,
        lambda: D.lambda,
        wstar: Array.from(wstar),
      },
    };
    return inst;
  },

  tfLoss(instances) {
    checkBatch('logistic-l2', instances);
    const Ds = instances.map((inst) => parse(inst.params as LogisticParams));
    const { X, weights, nmax } = stackSamples(Ds.map((D) => D.X));
    const S = stackPadded(Ds.map((D) => D.s), nmax);
    const lam = tf.tensor1d(Float32Array.from(Ds, (D) => D.lambda));
    const B = instances.length;
    return makeBatchedLoss([X, weights, S, lam], (x) => {
      const u = tf.matMul(X, x.expandDims(2)).reshape([B, nmax]); // x_iᵀw
      const data = tf.sum(tf.mul(weights, tf.softplus(tf.neg(tf.mul(S, u)))), 1);
      const reg = tf.mul(tf.mul(0.5, lam), tf.sum(tf.square(x), 1));
      return tf.add(data, reg) as tf.Tensor1D;
    });
  },

  tfMinibatchLoss(instances) {
    checkBatch('logistic-l2', instances);
    const Ds = instances.map((inst) => parse(inst.params as LogisticParams));
    const { X, weights, nmax } = stackSamples(Ds.map((D) => D.X));
    weights.dispose(); // the minibatch mean needs no weights
    const S = stackPadded(Ds.map((D) => D.s), nmax);
    const lam = tf.tensor1d(Float32Array.from(Ds, (D) => D.lambda));
    const off = rowOffsets(instances.length, nmax);
    return makeMinibatchLoss([X, S, lam, off], (x, batch) => {
      const Xb = gatherRows(X, batch, off) as tf.Tensor3D; // [B, m, d]
      const Sb = gatherRows(S, batch, off) as tf.Tensor2D; // [B, m]
      const u = tf.matMul(Xb, x.expandDims(2)).squeeze([2]);
      const data = tf.mean(tf.softplus(tf.neg(tf.mul(Sb, u))), 1);
      // the regulariser is added in full to each minibatch loss: f_i = softplus(·) + (λ/2)‖w‖²
      const reg = tf.mul(tf.mul(0.5, lam), tf.sum(tf.square(x), 1));
      return tf.add(data, reg) as tf.Tensor1D;
    });
  },

  samples: (inst) => (inst.params as LogisticParams).X.length,
};
