/**
 * The quantised update rules (binaryconnect, ste, proxquant, askewsgd) step by
 * step against float64 hand computations (tests/fixtures/quantised.ts) on
 * least-squares instances of src/classes, with per-row hyperparameters: every
 * update t is recomputed from the recorded iterate x_t, with the random streams
 * (minibatch, binarisation) replayed in step. Then memory, grouping, bad
 * input, and the toy facts of the papers on 1-D losses written here.
 * Tolerance of a step: 1e-5 × (1 + |x_t| + |γ·ĝ|) per coordinate (float32
 * gradients of O(1) data against float64 ones).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { leastSquares, leastSquaresData, type LeastSquaresParams } from '../src/classes/families/leastSquares.ts';
import type { BatchedLoss, Family, Instance } from '../src/classes/types.ts';
import { initEngine } from '../src/engine/backend.ts';
import type { Vec } from '../src/numeric/linalg.ts';
import { makeRng } from '../src/numeric/rng.ts';
import { optimizerById, resolveHyper } from '../src/optimizers/index.ts';
import { askewStepSize } from '../src/optimizers/quantised/askewsgd.ts';
import { binarisationRng, rowUniforms } from '../src/optimizers/quantised/quantisers.ts';
import { ESTIMATORS } from '../src/optimizers/quantised/ste.ts';
import { drawMinibatch, minibatchRng } from '../src/optimizers/sampling.ts';
import type { Hyper } from '../src/optimizers/types.ts';
import { runBatch } from '../src/runs/run.ts';
import { askewDirectionRef, clampTo, hardSigmoidRef, proxRef, sgnPlus, steClosedForm, type AskewBranch } from './fixtures/quantised.ts';

const f32 = Math.fround;

beforeAll(async () => {
  await initEngine();
});

// ---------------------------------------------------------------------------
// Instances and the driver.

const D = 4;
const SEED = 11;
const insts: Instance[] = [6, 7, 9].map((n, i) =>
  leastSquares.instantiate(leastSquaresData({ seed: 100 + i, n, dim: D, noise: 0.1, wScale: 0.7, x0Dist: 1 })),
);
/** Starting points in [−1.5, 1.5]: some beyond ±1, and an exact zero in every row. */
const starts: number[][] = insts.map((_, r) => {
  const rng = makeRng(200 + r);
  const row = Array.from({ length: D }, () => f32(rng.uniform(-1.5, 1.5)));
  row[r % D] = 0;
  return row;
});

interface Drive {
  id: string;
  hyper: Record<string, number[]>;
  family?: Family;
  instances?: readonly Instance[];
  loss?: BatchedLoss;
  x0?: number[][];
  steps: number;
  rows?: number[];
  seed?: number;
}

/**
 * The rule alone (hyperparameters resolved as runBatch does): x_0..x_T, each
 * row-major [B·d]. Checks the ownership contract on the way: no tensor count
 * growth from one update to the next, none left after dispose.
 */
function drive(spec: Drive): Float32Array[] {
  const family = spec.family ?? (leastSquares as Family);
  const instances = spec.instances ?? insts;
  const x0 = spec.x0 ?? starts;
  const B = x0.length, d = x0[0].length;
  const opt = optimizerById(spec.id);
  const hyper: Hyper = Object.fromEntries(Object.entries(resolveHyper(opt, spec.hyper, B)).map(([k, v]) => [k, Float32Array.from(v)]));
  const before = tf.memory().numTensors;
  const loss = spec.loss ?? family.tfLoss(instances);
  const rule = opt.rule(hyper, { B, d, family, instances, rows: spec.rows ?? x0.map((_, i) => i), seed: spec.seed ?? SEED });
  let x = tf.tensor2d(x0.flat(), [B, d]);
  let state = rule.init(x);
  const xs = [x.dataSync() as Float32Array];
  let live = -1;
  for (let t = 0; t < spec.steps; t++) {
    const next = rule.update(loss, x, state, t);
    x.dispose();
    x = next.x;
    state = next.state;
    xs.push((x.dataSync() as Float32Array).slice());
    if (t === 0) live = tf.memory().numTensors;
    else expect(tf.memory().numTensors, `${spec.id}: tensors after update ${t}`).toBe(live);
  }
  rule.dispose(state);
  x.dispose();
  if (!spec.loss) loss.dispose();
  expect(tf.memory().numTensors, `${spec.id}: tensors after dispose`).toBe(before);
  return xs;
}

const rowOf = (x: Float32Array, r: number, d = D): Vec => Float64Array.from(x.subarray(r * d, (r + 1) * d));

/**
 * ĝ of row r in float64: ∇f (m undefined) or the minibatch gradient
 * (1/m) Σ_j x_j(x_jᵀw − y_j), indices drawn from the row's own stream, one draw per call.
 */
function gradOracle(inst: Instance, r: number, m: number | undefined): (w: Vec) => Vec {
  if (m === undefined) return (w) => inst.grad(w);
  const { X, y } = inst.params as LeastSquaresParams;
  const rng = minibatchRng(SEED, r);
  return (w) => {
    const g = new Float64Array(w.length);
    for (const j of drawMinibatch([rng], [X.length], m)) {
      const res = X[j].reduce((s, v, k) => s + v * w[k], 0) - y[j];
      X[j].forEach((v, k) => (g[k] += (res * v) / m));
    }
    return g;
  };
}

/** One float64 step of row r from x_t: the next iterate and the magnitude of γ·ĝ (for the tolerance). */
type RefStep = (x: Vec, t: number) => { x: Vec; move: number };

/** Compares every update of a run with the row references. */
function expectSteps(xs: Float32Array[], refs: RefStep[], label: string, d = D) {
  for (let t = 0; t + 1 < xs.length; t++)
    refs.forEach((ref, r) => {
      const from = rowOf(xs[t], r, d);
      const want = ref(from, t);
      const got = rowOf(xs[t + 1], r, d);
      want.x.forEach((v, k) => {
        const tol = 1e-5 * (1 + Math.abs(from[k]) + want.move);
        if (!(Math.abs(got[k] - v) <= tol)) expect.fail(`${label} row ${r} step ${t} coord ${k}: got ${got[k]}, want ${v}`);
      });
    });
}

const maxAbs = (v: ArrayLike<number>) => Math.max(0, ...Array.from(v, Math.abs));
const perRow = (values: number[]) => values.map(f32);

// ---------------------------------------------------------------------------

describe('each update equals the float64 rule (per-row hyperparameters)', () => {
  const lr = [0.05, 0.2, 0.11];
  const T = 6;

  it('binaryconnect: w ← clip(w − γ ĝ(w_b), −H, H); deterministic and stochastic, full and minibatch', () => {
    const H = [1, 0.5, 2];
    for (const [stochastic, batchSize] of [[0, undefined], [1, undefined], [0, 3], [1, 2]] as const) {
      const hyper: Record<string, number[]> = { lr, H, stochastic: [stochastic, stochastic, stochastic] };
      if (batchSize) hyper.batchSize = [batchSize, batchSize, batchSize];
      const xs = drive({ id: 'binaryconnect', hyper, steps: T });
      let clipped = 0;
      const refs = insts.map((inst, r): RefStep => {
        const [g, h, grad, rng] = [f32(lr[r]), f32(H[r]), gradOracle(inst, r, batchSize), binarisationRng(SEED, r)];
        return (w) => {
          const u = stochastic ? rowUniforms([rng], D) : null;
          const wb = w.map((v, k) => (u ? (u[k] < hardSigmoidRef(v / h) ? h : -h) : h * sgnPlus(v)));
          const step = grad(wb).map((v) => g * v);
          const next = w.map((v, k) => clampTo(v - step[k], -h, h));
          clipped += next.filter((v) => Math.abs(v) === h).length;
          return { x: next, move: maxAbs(step) };
        };
      });
      expectSteps(xs, refs, `binaryconnect stochastic=${stochastic} batchSize=${batchSize}`);
      expect(clipped, 'the clip was active somewhere').toBeGreaterThan(0);
    }
  });

  it('ste: w ← w − γ ∇f(sign⁺ w) ⊙ q′(w) for every estimator, β per row; full and minibatch', () => {
    const beta = [5, 2, 7];
    for (const [e, estimator] of ESTIMATORS.entries())
      for (const batchSize of [undefined, 2]) {
        const hyper: Record<string, number[]> = { lr, beta, estimator: [e, e, e] };
        if (batchSize) hyper.batchSize = [batchSize, batchSize, batchSize];
        const xs = drive({ id: 'ste', hyper, steps: T });
        const refs = insts.map((inst, r): RefStep => {
          const grad = gradOracle(inst, r, batchSize);
          return (w) => {
            const step = grad(w.map(sgnPlus)).map((v, k) => f32(lr[r]) * v * steClosedForm[estimator](w[k], f32(beta[r])));
            return { x: w.map((v, k) => v - step[k]), move: maxAbs(step) };
          };
        });
        expectSteps(xs, refs, `ste ${estimator} batchSize=${batchSize}`);
      }
  });

  it('proxquant: θ ← clip(prox_{γ λ_t R}(θ − γ ĝ(θ)), −1, 1), λ_t = lambdaRate·t; full and minibatch', () => {
    const lambdaRate = [0.5, 0, 2];
    for (const batchSize of [undefined, 3]) {
      const hyper: Record<string, number[]> = { lr, lambdaRate };
      if (batchSize) hyper.batchSize = [batchSize, batchSize, batchSize];
      const xs = drive({ id: 'proxquant', hyper, steps: 12 });
      const refs = insts.map((inst, r): RefStep => {
        const grad = gradOracle(inst, r, batchSize);
        const lrRate = f32(f32(lr[r]) * f32(lambdaRate[r]));
        return (theta, t) => {
          const step = grad(theta).map((v) => f32(lr[r]) * v);
          return { x: theta.map((v, k) => clampTo(proxRef(v - step[k], lrRate * t), -1, 1)), move: maxAbs(step) };
        };
      });
      expectSteps(xs, refs, `proxquant batchSize=${batchSize}`);
      // The prox did its work: row 2 (the fastest-growing λ) is binary at the end, row 1 (λ = 0) is not.
      expect(Array.from(rowOf(xs[12], 2)).every((v) => Math.abs(v) === 1)).toBe(true);
      expect(Array.from(rowOf(xs[12], 1)).some((v) => Math.abs(v) < 1)).toBe(true);
    }
  });

  it('askewsgd: w ← Π_[−1,1](w + γ_k s), ε_k = ε_0·decay^max(0, k − hold), both schedules; full and minibatch; every branch is hit', () => {
    const hyper0 = { lr, alpha: [1, 0.3, 2], eps0: [0.5, 0.05, 0.2], epsDecay: [0.9, 1, 0.7], schedule: [0, 1, 1], epsHold: [0, 0, 4] };
    const branches = new Set<AskewBranch>();
    for (const batchSize of [undefined, 2]) {
      const hyper: Record<string, number[]> = { ...hyper0 };
      if (batchSize) hyper.batchSize = [batchSize, batchSize, batchSize];
      const xs = drive({ id: 'askewsgd', hyper, steps: 10 });
      const refs = insts.map((inst, r): RefStep => {
        const grad = gradOracle(inst, r, batchSize);
        return (w, k) => {
          const eps = f32(hyper0.eps0[r]) * f32(hyper0.epsDecay[r]) ** Math.max(0, k - hyper0.epsHold[r]);
          const gamma = askewStepSize(f32(lr[r]), hyper0.schedule[r] ? 'decreasing' : 'constant', k);
          const g = grad(w);
          const dirs = w.map((v, j) => {
            const { s, branch } = askewDirectionRef(v, g[j], eps, f32(hyper0.alpha[r]));
            branches.add(branch);
            return s;
          });
          return { x: w.map((v, j) => clampTo(v + gamma * dirs[j], -1, 1)), move: maxAbs(dirs.map((s) => gamma * s)) };
        };
      });
      expectSteps(xs, refs, `askewsgd batchSize=${batchSize}`);
    }
    expect([...branches].sort()).toEqual(['K', 'descent beats K', 'inside', 'zero']);
  });

  it('adaste: θ ← θ − γ m_k/(1 − μ^k), m_k = μ m_{k−1} + (1 − μ)(N s ⊙ ∇f(w(θ)) + ρθ), both branches of αβ; full and minibatch', () => {
    // Rows 0 and 2: αβ = 1 (w = sign θ, the released code's setting); row 1: αβ = 0.2 (the other branch).
    const hyper0 = { lr: [0.05, 0.02, 0.1], alpha: [0.01, 0.02, 0.01], beta: [100, 10, 100], momentum: [0.9, 0.5, 0], multiplier: [1, 3, 2], reweight: [1, 0.5, 0] };
    const scales = new Set<string>();
    const scaleRef = (th: number, g: number, a: number, b: number): number => {
      // αβ as float32 computes it: f32(0.01)·f32(100) rounds to exactly 1, as 0.01·100 does in float64.
      const ab = f32(a * b), pos = g > 1e-3, neg = g < -1e-3;
      if (ab >= 1) {
        const agree = (th > 1e-3 && pos) || (th < -1e-3 && neg), oppose = (th > 1e-3 && neg) || (th < -1e-3 && pos);
        scales.add(oppose ? 'wide 0' : agree ? 'wide 1/|θ|' : 'wide 1');
        return oppose ? 0 : agree ? Math.min(Math.max(1 / Math.abs(th), 0), 0.5) : 1;
      }
      const edge = 1 - ab;
      const outPos = th > Math.max(1e-6, edge), outNeg = th < Math.min(-1e-6, -edge);
      const midPos = th > 1e-6 && th < edge, midNeg = th > -edge && th < -1e-6;
      const clampHalf = (v: number) => Math.min(Math.max(v, 0), 0.5);
      if ((midNeg && neg) || (midPos && pos)) { scales.add('narrow middle'); return clampHalf((2 * b * (1 + a) - th) / (1 + b) / Math.abs(th)); }
      if ((outNeg && neg) || (outPos && pos)) { scales.add('narrow outside'); return clampHalf((1 + 2 * b + ab) / (1 + b) / Math.abs(th)); }
      if ((outPos && neg) || (outNeg && pos)) { scales.add('narrow 0'); return 0; }
      scales.add('narrow 1/(1+β)');
      return 1 / (1 + b);
    };
    for (const batchSize of [undefined, 2]) {
      const hyper: Record<string, number[]> = { ...hyper0 };
      if (batchSize) hyper.batchSize = [batchSize, batchSize, batchSize];
      const xs = drive({ id: 'adaste', hyper, steps: 10 });
      const refs = insts.map((inst, r): RefStep => {
        const grad = gradOracle(inst, r, batchSize);
        const [lr, a, b, mu, N, rho] = ['lr', 'alpha', 'beta', 'momentum', 'multiplier', 'reweight'].map((k) => f32(hyper0[k as keyof typeof hyper0][r]));
        let m = new Float64Array(D);
        return (th, k) => {
          const w = th.map((v) => clampTo((v + b * (1 + a) * Math.sign(v)) / (1 + b), -1, 1));
          const g = grad(w);
          m = m.map((mj, j) => mu * mj + (1 - mu) * (N * scaleRef(th[j], g[j], a, b) * g[j] + rho * th[j]));
          const step = m.map((mj) => (lr * mj) / (1 - mu ** (k + 1)));
          return { x: th.map((v, j) => v - step[j]), move: maxAbs(step) };
        };
      });
      expectSteps(xs, refs, `adaste batchSize=${batchSize}`);
    }
    // Every case of the scale is exercised somewhere.
    expect([...scales].sort()).toEqual(['narrow 0', 'narrow 1/(1+β)', 'narrow middle', 'narrow outside', 'wide 0', 'wide 1', 'wide 1/|θ|'].sort());
  });

  it('the decreasing schedule is γ/√(k + 1)', () => {
    expect([0, 3, 99].map((k) => askewStepSize(0.5, 'decreasing', k))).toEqual([0.5, 0.25, 0.05]);
    expect(askewStepSize(0.5, 'constant', 99)).toBe(0.5);
  });
});

describe('streams, memory, input', () => {
  it('stochastic and minibatch rows do not depend on grouping (streams keyed by seed and row position)', () => {
    const hyper = { lr: [0.1, 0.2, 0.3], stochastic: [1, 1, 1], batchSize: [2, 2, 2] };
    const together = drive({ id: 'binaryconnect', hyper, steps: 5 });
    insts.forEach((inst, r) => {
      const alone = drive({
        id: 'binaryconnect', hyper: { lr: [hyper.lr[r]], stochastic: [1], batchSize: [2] },
        instances: [inst], x0: [starts[r]], rows: [r], steps: 5,
      });
      alone.forEach((x, t) => expect(Array.from(x), `row ${r} step ${t}`).toEqual(Array.from(rowOf(together[t], r))));
    });
    // The seed matters (so the equality above is not trivially true).
    const reseeded = drive({ id: 'binaryconnect', hyper, steps: 5, seed: SEED + 1 });
    expect(Array.from(reseeded[5])).not.toEqual(Array.from(together[5]));
  });

  it('no tensor leaks through runBatch for any variant (init, updates, dispose)', async () => {
    const variants: [string, Record<string, number[]>][] = [
      ['binaryconnect', { lr: [0.1, 0.1, 0.1], stochastic: [1, 1, 1], batchSize: [2, 2, 2] }],
      ['ste', { lr: [0.1, 0.1, 0.1], estimator: [3, 3, 3] }],
      ['ste', { lr: [0.1, 0.1, 0.1], estimator: [0, 0, 0], batchSize: [1, 1, 1] }],
      ['proxquant', { lr: [0.1, 0.1, 0.1], lambdaRate: [1, 1, 1] }],
      ['askewsgd', { lr: [0.1, 0.1, 0.1], alpha: [1, 1, 1], eps0: [0.1, 0.1, 0.1], epsDecay: [0.9, 0.9, 0.9], batchSize: [3, 3, 3] }],
    ];
    for (const [optimizer, hyper] of variants) {
      const before = tf.memory().numTensors;
      let steps = 0;
      await runBatch({ family: leastSquares as Family, instances: insts, optimizer, hyper, steps: 4, x0: starts, onStep: () => { steps++; } });
      expect(steps).toBe(5);
      expect(tf.memory().numTensors, optimizer).toBe(before);
    }
  });

  it('bad input names the optimiser and the hyperparameter', async () => {
    const run = (optimizer: string, hyper: Record<string, number[]>, family: Family = leastSquares as Family) =>
      runBatch({ family, instances: insts, optimizer, hyper, steps: 1, onStep: () => {} });
    const three = (v: number) => [v, v, v];
    await expect(run('ste', { lr: three(0.1), estimator: three(4) })).rejects.toThrow(
      "optimizer 'ste': hyperparameter 'estimator' of instance 0 is 4, not an index into its choices (0 identity, 1 clipped, 2 approxsign, 3 swishsign)",
    );
    await expect(run('ste', { lr: three(0.1), estimator: [0, 1.5, 0] })).rejects.toThrow(/'estimator' of instance 1 is 1.5, not an index/);
    await expect(run('ste', { lr: three(0.1) })).rejects.toThrow(/optimizer 'ste' needs hyperparameter 'estimator'/);
    await expect(run('ste', { lr: three(0.1), estimator: three(3), beta: [5, 0, 5] })).rejects.toThrow(/optimizer 'ste': hyperparameter 'beta' must be > 0 \(row 1: 0\)/);
    await expect(run('binaryconnect', { lr: three(0.1), H: [1, 1, -2] })).rejects.toThrow(/optimizer 'binaryconnect': hyperparameter 'H' must be > 0 \(row 2: -2\)/);
    await expect(run('binaryconnect', { lr: three(0.1), H: three(0) })).rejects.toThrow(/'binaryconnect'.*'H' must be > 0/);
    await expect(run('binaryconnect', { H: three(1) })).rejects.toThrow(/optimizer 'binaryconnect' needs hyperparameter 'lr'/);
    await expect(run('binaryconnect', { lr: three(0.1), stochastic: three(2) })).rejects.toThrow(/'stochastic' of instance 0 is 2, not an index into its choices \(0 deterministic, 1 stochastic\)/);
    await expect(run('proxquant', { lr: three(0.1), lambdaRate: [0, -1, 0] })).rejects.toThrow(/optimizer 'proxquant': hyperparameter 'lambdaRate' must be ≥ 0 \(row 1: -1\)/);
    await expect(run('askewsgd', { lr: three(0.1), alpha: three(1), eps0: three(1), epsDecay: three(1.5) })).rejects.toThrow(/optimizer 'askewsgd': hyperparameter 'epsDecay' must be in \(0, 1\]/);
    await expect(run('askewsgd', { lr: three(0.1), alpha: three(1), eps0: three(1) })).rejects.toThrow(/optimizer 'askewsgd' needs hyperparameter 'epsDecay'/);
    const { tfMinibatchLoss: _m, samples: _s, ...notFiniteSum } = leastSquares as Family;
    await expect(run('proxquant', { lr: three(0.1), lambdaRate: three(1), batchSize: three(2) }, notFiniteSum as Family)).rejects.toThrow(/optimizer 'proxquant' needs a finite-sum family/);
    await expect(run('proxquant', { lr: three(0.1), lambdaRate: three(1), batchSize: three(0) })).rejects.toThrow(/optimizer 'proxquant': batchSize must be an integer ≥ 1, got 0/);
    // Called without resolveHyper, the rule still checks its categorical value.
    const rule = () => optimizerById('ste').rule({ lr: Float32Array.of(0.1), estimator: Float32Array.of(9), beta: Float32Array.of(5) },
      { B: 1, d: D, family: leastSquares as Family, instances: [insts[0]], rows: [0], seed: 0 });
    expect(rule).toThrow(/optimizer 'ste': hyperparameter 'estimator' of this batch is 9/);
  });
});

// ---------------------------------------------------------------------------
// The papers' toy facts, on 1-D losses (d = 1, one row per function).

/** A batched 1-D loss x ↦ f(x) per row ([B, 1] → [B]); `consts` are freed by dispose. */
function scalarLoss(f: (x: tf.Tensor2D) => tf.Tensor2D, consts: tf.Tensor[]): BatchedLoss {
  const loss = ((x: tf.Tensor2D) => tf.tidy(() => tf.reshape(f(x), [-1]))) as BatchedLoss;
  loss.dispose = () => tf.dispose(consts);
  return loss;
}

/** Runs a rule on a 1-D loss (no family: these rules need one only for minibatches). */
function driveToy(id: string, hyper: Record<string, number[]>, loss: BatchedLoss, x0: number[], steps: number): number[][] {
  const noFamily = { id: 'toy (no family)' } as Family;
  const xs = drive({ id, hyper, family: noFamily, instances: [], loss, x0: x0.map((v) => [v]), steps });
  return xs.map((x) => Array.from(x));
}

describe('the toy facts of the quantised-training papers', () => {
  it('ProxQuant toy: f₁ = |x + 0.5| − 0.5 and f₋₁ = |x − 0.5| − 0.5 from θ₀ = 0.1, η = 0.05, 400 steps: BinaryConnect keeps flipping, ProxQuant (λ_t = 0.01t) ends at each minimiser', () => {
    // Row 0 is f₁, row 1 is f₋₁: f_c(x) = |x + c/2| − 1/2.
    const f = (x: number, c: number) => Math.abs(x + c / 2) - 0.5;
    const fprime = (x: number, c: number) => Math.sign(x + c / 2);
    // Same gradients at ±1, opposite minimisers over {±1}: f₁'s is −1, f₋₁'s is +1.
    for (const s of [1, -1]) expect(fprime(s, 1)).toBe(fprime(s, -1));
    const argminOverSigns = (c: number) => (f(-1, c) < f(1, c) ? -1 : 1);
    const want = [argminOverSigns(1), argminOverSigns(-1)];
    expect(want).toEqual([-1, 1]);

    const half = tf.keep(tf.tensor2d([0.5, -0.5], [2, 1]));
    const loss = scalarLoss((x) => tf.sub(tf.abs(tf.add(x, half)), 0.5), [half]);
    const [eta, T] = [0.05, 400];
    const bc = driveToy('binaryconnect', { lr: [eta, eta] }, loss, [0.1, 0.1], T);
    const pq = driveToy('proxquant', { lr: [eta, eta], lambdaRate: [0.01, 0.01] }, loss, [0.1, 0.1], T);
    loss.dispose();

    /** Changes of the binarised sign sign⁺(x_t) over t = T−100..T. */
    const flips = (xs: number[][], r: number) => xs.slice(T - 100).filter((x, i, a) => i > 0 && sgnPlus(x[r]) !== sgnPlus(a[i - 1][r])).length;
    for (const r of [0, 1]) {
      // Measured: 100 of 100 (x alternates between 0 and −0.05, binarised +1 and −1).
      expect(flips(bc, r), `BinaryConnect row ${r}`).toBeGreaterThanOrEqual(50);
      expect(flips(pq, r), `ProxQuant row ${r}`).toBe(0);
      expect(pq[T][r], `ProxQuant row ${r}`).toBe(want[r]);
    }
  });

  it('ASkewSGD toy: f = ½(w − 0.3)², w₀ = 0.2, γ = 0.05, α = 1, ε_k = 0.998^k: w ends near 0.99 after 4000 steps, the violation and the distance to {±1} shrink', () => {
    const target = tf.keep(tf.tensor2d([[0.3]]));
    const loss = scalarLoss((x) => tf.mul(0.5, tf.square(tf.sub(x, target))), [target]);
    const T = 4000;
    const xs = driveToy('askewsgd', { lr: [0.05], alpha: [1], eps0: [1], epsDecay: [0.998] }, loss, [0.2], T);
    loss.dispose();
    // The same recurrence in float64.
    let w = f32(0.2);
    for (let k = 0; k < T; k++) w = clampTo(w + 0.05 * askewDirectionRef(w, w - 0.3, 0.998 ** k, 1).s, -1, 1);
    const wT = xs[T][0];
    expect(Math.abs(wT - w), `float32 ${wT} vs float64 ${w}`).toBeLessThan(1e-4);
    // Measured: w_4000 = 0.99065 (float32); 0.9284 at k = 2000, 0.9987 at k = 6000.
    expect(wT).toBeGreaterThan(0.985);
    expect(wT).toBeLessThan(0.995);
    const violation = (k: number) => Math.max(0, -(0.998 ** k - (xs[k][0] ** 2 - 1) ** 2));
    const distance = (k: number) => 1 - Math.abs(xs[k][0]);
    const checkpoints = [1000, 2000, 3000, 4000];
    for (let i = 1; i < checkpoints.length; i++) {
      expect(violation(checkpoints[i])).toBeLessThan(violation(checkpoints[i - 1]));
      expect(distance(checkpoints[i])).toBeLessThan(distance(checkpoints[i - 1]));
    }
    expect(violation(T)).toBeLessThan(1e-4);
    // Not projected SGD in disguise: plain gradient descent would sit at 0.3.
    expect(violation(1000)).toBeGreaterThan(0);
  });
});
