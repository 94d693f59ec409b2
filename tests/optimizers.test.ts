/**
 * Every update rule against a float64 loop of the same recurrence, on small
 * least-squares problems f(x) = (1/2n)‖Cx − y‖² (quadratic and finite-sum, so
 * every optimiser, minibatch SGD and exact line search included, can run on
 * them); then the run driver: batched = alone, groups, memory, early stop.
 */
import * as tf from '@tensorflow/tfjs';
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchedLoss, Family, Instance, MinibatchLoss } from '../src/classes/types.ts';
import { initEngine } from '../src/engine/backend.ts';
import { axpy, dot, eigenvalues, gram, mat, matTVec, matVec, norm, scale, solveSPD, sub, vec, type Mat, type Vec } from '../src/numeric/linalg.ts';
import { makeRng, type Rng } from '../src/numeric/rng.ts';
import { hessianVectorProduct, hessianVectorProductByDifference } from '../src/optimizers/gd-exact-line-search.ts';
import { OPTIMIZERS, optimizerById, resolveHyper } from '../src/optimizers/index.ts';
import { nextLambda } from '../src/optimizers/nesterov.ts';
import { project } from '../src/optimizers/projected-gd.ts';
import { softThreshold } from '../src/optimizers/proximal-gd.ts';
import { drawMinibatch, minibatchRng } from '../src/optimizers/sgd.ts';
import type { Hyper, RuleContext } from '../src/optimizers/types.ts';
import { runBatch, type RunSpec } from '../src/runs/run.ts';

const FC_SEED = Number(process.env.FC_SEED ?? 424242);
const f32 = Math.fround;

// ---------------------------------------------------------------------------
// A least-squares family, inline (the real families live in src/classes/families).

type LsqParams = { n: number; d: number; C: number[]; y: number[]; x0: number[] };

interface Lsq extends Instance {
  C: Mat;
  y: Vec;
  n: number;
  /** Hessian CᵀC/n. */
  H: Mat;
  mu: number;
  L: number;
}

function lsqInstance(p: LsqParams): Lsq {
  const C = mat(p.n, p.d, p.C), y = vec(p.y);
  const H = gram(C);
  H.data.forEach((v, i) => (H.data[i] = v / p.n));
  const ev = eigenvalues(H);
  const value = (x: ArrayLike<number>) => {
    const r = sub(matVec(C, x), y);
    return dot(r, r) / (2 * p.n);
  };
  const grad = (x: ArrayLike<number>) => scale(matTVec(C, sub(matVec(C, x), y)), 1 / p.n);
  const xstar = ev[0] > 1e-12 ? solveSPD(H, scale(matTVec(C, y), 1 / p.n)) : null;
  return {
    family: 'test-lsq',
    params: p,
    dim: p.d,
    cert: { convex: true, quadratic: true, L: ev[ev.length - 1], mu: ev[0] > 1e-12 ? ev[0] : undefined, fstar: xstar ? value(xstar) : 0 },
    x0: vec(p.x0),
    value,
    grad,
    hess: () => Float64Array.from(H.data),
    nearestMinimiser: () => xstar,
    C, y, n: p.n, H, mu: ev[0], L: ev[ev.length - 1],
  };
}

/** n samples in dimension d, Gaussian data, starting point at distance ~3. */
function randomLsq(seed: number, d: number, n = 2 * d + 2): Lsq {
  const rng = makeRng(seed);
  const g = () => rng.normal();
  return lsqInstance({
    n, d,
    C: Array.from({ length: n * d }, g),
    y: Array.from({ length: n }, g),
    x0: Array.from({ length: d }, () => 3 * g()),
  });
}

/** f(x) = (L/2)x² as least squares: one sample, C = √L, y = 0. */
const halfLxSquared = (L: number, x0: number): Lsq => lsqInstance({ n: 1, d: 1, C: [Math.sqrt(L)], y: [0], x0: [x0] });

function lsqData(insts: readonly Instance[]): { C: tf.Tensor3D; y: tf.Tensor2D; n: number; d: number } {
  const ls = insts as readonly Lsq[];
  const n = ls[0].n, d = ls[0].dim;
  if (ls.some((l) => l.n !== n)) throw new Error('test-lsq: one batch needs one sample count');
  const C = new Float32Array(ls.length * n * d), y = new Float32Array(ls.length * n);
  ls.forEach((l, i) => { C.set(l.C.data, i * n * d); y.set(l.y, i * n); });
  return { C: tf.tensor3d(C, [ls.length, n, d]), y: tf.tensor2d(y, [ls.length, n]), n, d };
}

/** (1/2k) Σ_j (c_jᵀx − y_j)² per row, c_j the rows of C: [B, k, d], y: [B, k]. */
const meanSquares = (C: tf.Tensor3D, y: tf.Tensor2D, x: tf.Tensor2D, k: number): tf.Tensor1D =>
  tf.tidy(() => tf.mul(tf.sum(tf.square(tf.sub(tf.squeeze(tf.matMul(C, tf.expandDims(x, 2)), [2]), y)), 1), 0.5 / k)) as tf.Tensor1D;

const lsqFamily: Family<LsqParams> = {
  id: 'test-lsq',
  title: 'least squares (test fixture)',
  description: '(1/2n)‖Cx − y‖², Gaussian data; L and μ from the eigenvalues of CᵀC/n.',
  classes: ['convex', 'L-smooth', 'quadratic', 'bounded-below'],
  arbitrary: ({ dim }) => fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((s) => randomLsq(s, dim).params as LsqParams),
  instantiate: lsqInstance,
  tfLoss(insts) {
    const { C, y, n } = lsqData(insts);
    const loss = ((x: tf.Tensor2D) => meanSquares(C, y, x, n)) as BatchedLoss;
    loss.dispose = () => tf.dispose([C, y]);
    return loss;
  },
  tfMinibatchLoss(insts) {
    const { C, y, n, d } = lsqData(insts);
    const B = insts.length;
    const Cflat = tf.reshape(C, [B * n, d]), yflat = tf.reshape(y, [B * n]);
    const loss = ((x: tf.Tensor2D, batch: tf.Tensor2D) =>
      tf.tidy(() => {
        const m = batch.shape[1];
        const flat = tf.reshape(tf.add(batch, tf.mul(tf.range(0, B, 1, 'int32').reshape([B, 1]), tf.scalar(n, 'int32'))), [B * m]);
        const Cb = tf.reshape(tf.gather(Cflat, flat), [B, m, d]) as tf.Tensor3D;
        const yb = tf.reshape(tf.gather(yflat, flat), [B, m]) as tf.Tensor2D;
        return meanSquares(Cb, yb, x, m);
      })) as MinibatchLoss;
    loss.dispose = () => tf.dispose([C, y, Cflat, yflat]);
    return loss;
  },
  samples: (inst) => (inst as Lsq).n,
};

// ---------------------------------------------------------------------------
// Float64 reference loops: the recurrences as the theorems state them.

type Grad = (x: Vec) => Vec;
type Traj = Vec[];

function gdRef(grad: Grad, lr: number, x0: Vec, T: number): Traj {
  const xs = [x0];
  for (let t = 0; t < T; t++) xs.push(axpy(xs[t], -lr, grad(xs[t])));
  return xs;
}

/** x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}), x_{−1} given (x_0 by default). */
function heavyBallRef(grad: Grad, a: number, b: number, x0: Vec, T: number, xm1: Vec = x0): Traj {
  const xs = [x0];
  let prev = xm1;
  for (let t = 0; t < T; t++) {
    const x = xs[t];
    xs.push(axpy(axpy(x, -a, grad(x)), b, sub(x, prev)));
    prev = x;
  }
  return xs;
}

/** Beck–Teboulle FISTA without prox, λ computed here from its definition. */
function fistaRef(grad: Grad, lr: number, x0: Vec, T: number): Traj {
  const xs = [x0];
  let y = x0, lambda = 1;
  for (let t = 1; t <= T; t++) {
    const x = axpy(y, -lr, grad(y));
    const next = (1 + Math.sqrt(1 + 4 * lambda ** 2)) / 2;
    y = axpy(x, (lambda - 1) / next, sub(x, xs[t - 1]));
    lambda = next;
    xs.push(x);
  }
  return xs;
}

function nesterovConstantRef(grad: Grad, lr: number, beta: number, x0: Vec, T: number): Traj {
  const xs = [x0];
  let y = x0;
  for (let t = 1; t <= T; t++) {
    const x = axpy(y, -lr, grad(y));
    y = axpy(x, beta, sub(x, xs[t - 1]));
    xs.push(x);
  }
  return xs;
}

function adamRef(grad: Grad, lr: number, b1: number, b2: number, eps: number, x0: Vec, T: number): Traj {
  const xs = [x0];
  let m = new Float64Array(x0.length), v = new Float64Array(x0.length);
  for (let t = 1; t <= T; t++) {
    const g = grad(xs[t - 1]), x = Float64Array.from(xs[t - 1]);
    m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]);
    v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i] ** 2);
    for (let i = 0; i < x.length; i++) x[i] -= (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
    xs.push(x);
  }
  return xs;
}

function mappedGdRef(grad: Grad, lr: number, x0: Vec, T: number, map: (z: Vec) => Vec): Traj {
  const xs = [x0];
  for (let t = 0; t < T; t++) xs.push(map(axpy(xs[t], -lr, grad(xs[t]))));
  return xs;
}
const ballProjection = (r: number) => (z: Vec): Vec => (norm(z) <= r ? z : scale(z, r / norm(z)));
const boxProjection = (lo: number, hi: number) => (z: Vec): Vec => z.map((v) => Math.min(Math.max(v, lo), hi));
const softThresholdRef = (tau: number) => (z: Vec): Vec => z.map((v) => Math.sign(v) * Math.max(Math.abs(v) - tau, 0));

function exactLineSearchRef(inst: Lsq, x0: Vec, T: number): Traj {
  const xs = [x0];
  for (let t = 0; t < T; t++) {
    const g = inst.grad(xs[t]);
    xs.push(axpy(xs[t], -dot(g, g) / dot(g, matVec(inst.H, g)), g));
  }
  return xs;
}

/** SGD with the same index stream as the tf rule: row `row`'s minibatchRng, m draws per step. */
function sgdRef(inst: Lsq, lr: number, m: number, rng: Rng, x0: Vec, T: number): Traj {
  const xs = [x0];
  for (let t = 0; t < T; t++) {
    const x = xs[t], g = new Float64Array(x.length);
    const idx = drawMinibatch([rng], [inst.n], m);
    for (const j of idx) {
      const c = inst.C.data.subarray(j * inst.dim, (j + 1) * inst.dim);
      const r = dot(c, x) - inst.y[j];
      for (let k = 0; k < g.length; k++) g[k] += (r * c[k]) / m;
    }
    xs.push(axpy(x, -lr, g));
  }
  return xs;
}

// ---------------------------------------------------------------------------
// Running and comparing.

/** Iterates per instance and step, as runBatch hands them over; plus the onStep calls. */
async function collect(spec: Omit<RunSpec, 'onStep'>, stopAt?: number) {
  const traj: Float32Array[][] = spec.instances.map(() => []);
  const calls: { t: number; rows: number[] }[] = [];
  await runBatch({
    ...spec,
    onStep(t, x, d, rows) {
      calls.push({ t, rows: [...rows] });
      rows.forEach((i, k) => traj[i].push(x.slice(k * d, (k + 1) * d)));
      return t === stopAt ? 'stop' : undefined;
    },
  });
  return { traj, calls };
}

/** The rule alone, without the driver: T updates from x0 on the rows of ctx. */
function runRule(id: string, hyper: Record<string, number[]>, insts: Lsq[], x0s: ArrayLike<number>[], T: number, rows?: number[], seed = 0): Float32Array[][] {
  const B = insts.length, d = insts[0].dim;
  const spec = optimizerById(id);
  const h: Hyper = Object.fromEntries(Object.entries(resolveHyper(spec, hyper, B)).map(([k, v]) => [k, Float32Array.from(v)]));
  const ctx: RuleContext = { B, d, family: lsqFamily as Family, instances: insts, rows: rows ?? insts.map((_, i) => i), seed };
  const rule = spec.rule(h, ctx);
  const loss = lsqFamily.tfLoss(insts);
  const start = new Float32Array(B * d);
  x0s.forEach((p, i) => start.set(p, i * d));
  let x = tf.tensor2d(start, [B, d]);
  let state = rule.init(x);
  const out: Float32Array[][] = insts.map(() => []);
  const record = () => {
    const data = x.dataSync() as Float32Array;
    out.forEach((o, i) => o.push(data.slice(i * d, (i + 1) * d)));
  };
  record();
  for (let t = 0; t < T; t++) {
    const next = rule.update(loss, x, state, t);
    x.dispose();
    x = next.x;
    state = next.state;
    record();
  }
  rule.dispose(state);
  x.dispose();
  loss.dispose();
  return out;
}

/** Float32 tolerance: |x − ref| ≤ tol·max(1, ‖ref‖∞) at every step. */
function expectTrajectory(actual: Float32Array[], ref: Traj, tol = 2e-5, label = '') {
  expect(actual.length, `${label}: number of steps`).toBe(ref.length);
  ref.forEach((r, t) => {
    const scaleT = Math.max(1, ...Array.from(r, Math.abs));
    const err = Math.max(...Array.from(r, (v, k) => Math.abs(actual[t][k] - v)));
    if (!(err <= tol * scaleT)) expect.fail(`${label} step ${t}: error ${err} > ${tol} × ${scaleT} (got ${Array.from(actual[t])}, want ${Array.from(r)})`);
  });
}

const x0f32 = (p: ArrayLike<number>): Vec => Float64Array.from(p, f32);

beforeAll(async () => {
  await initEngine();
});

// Three instances of different conditioning; every row gets its own step size.
const insts = [randomLsq(1, 4), randomLsq(2, 4), randomLsq(3, 4)];
const T = 40;

describe('update rules against float64 loops (per-row hyperparameters, rows never mix)', () => {
  it('gd (tf.train.sgd at rate 1 on Σ γ_i f_i) is x − γ_i ∇f_i(x)', async () => {
    const lr = insts.map((l, i) => [1, 0.5, 1.9][i] / l.L);
    const { traj } = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'gd', hyper: { lr }, steps: T });
    insts.forEach((l, i) => expectTrajectory(traj[i], gdRef(l.grad, f32(lr[i]), x0f32(l.x0), T), 4e-6, `gd row ${i}`));
  });

  it("heavy-ball (tf.train.momentum) is Polyak's recurrence with x_{-1} = x_0", async () => {
    // Polyak's tuning on each instance: α = 4/(√L + √μ)², β = ρ², ρ = (√κ − 1)/(√κ + 1); β uniform here (one group).
    const beta = 0.5;
    const lr = insts.map((l) => 4 / (Math.sqrt(l.L) + Math.sqrt(l.mu)) ** 2);
    const { traj, calls } = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'heavy-ball', hyper: { lr, momentum: [beta, beta, beta] }, steps: T });
    expect(calls.every((c) => c.rows.length === 3)).toBe(true);
    insts.forEach((l, i) => {
      const x0 = x0f32(l.x0);
      expectTrajectory(traj[i], heavyBallRef(l.grad, f32(lr[i]), f32(beta), x0, T), 4e-6, `heavy-ball row ${i}`);
      // The mapping is what decides step 1: starting with x_{-1} = 0 instead is visibly different.
      const other = heavyBallRef(l.grad, f32(lr[i]), f32(beta), x0, 1, new Float64Array(x0.length));
      expect(Math.max(...Array.from(traj[i][1], (v, k) => Math.abs(v - other[1][k])))).toBeGreaterThan(1e-3);
    });
  });

  it('heavy-ball with momentum differing across rows runs in groups, each still exact', async () => {
    const lr = insts.map((l) => 1 / l.L);
    const momentum = [0.3, 0.8, 0.3];
    const { traj, calls } = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'heavy-ball', hyper: { lr, momentum }, steps: 10 });
    expect(calls.filter((c) => c.t === 0).map((c) => c.rows)).toEqual([[0, 2], [1]]);
    insts.forEach((l, i) => expectTrajectory(traj[i], heavyBallRef(l.grad, f32(lr[i]), f32(momentum[i]), x0f32(l.x0), 10), 4e-6, `row ${i}`));
  });

  it('nesterov without momentum is FISTA (λ_1 = 1, y_1 = x_0); the iterate after t updates is x_t', async () => {
    const lr = insts.map((l, i) => [1, 0.7, 0.4][i] / l.L);
    const { traj } = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'nesterov', hyper: { lr }, steps: T });
    insts.forEach((l, i) => {
      const ref = fistaRef(l.grad, f32(lr[i]), x0f32(l.x0), T);
      expectTrajectory(traj[i], ref, 4e-6, `fista row ${i}`);
      // x_1 is a plain gradient step from x_0 (y_1 = x_0).
      expectTrajectory(traj[i].slice(0, 2), gdRef(l.grad, f32(lr[i]), x0f32(l.x0), 1), 2e-6, `fista x_1 row ${i}`);
    });
  });

  it("FISTA's λ sequence: λ_{t+1}² − λ_{t+1} = λ_t², λ_t ≥ (t+1)/2", () => {
    let lambda = 1;
    for (let t = 1; t <= 1000; t++) {
      expect(lambda).toBeGreaterThanOrEqual((t + 1) / 2);
      const next = nextLambda(lambda);
      expect(next * next - next).toBeCloseTo(lambda * lambda, 6);
      lambda = next;
    }
  });

  it('nesterov with a per-row momentum β is the constant-momentum scheme', async () => {
    const lr = insts.map((l) => 1 / l.L);
    const momentum = insts.map((l) => (Math.sqrt(l.L) - Math.sqrt(l.mu)) / (Math.sqrt(l.L) + Math.sqrt(l.mu)));
    const { traj } = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'nesterov', hyper: { lr, momentum }, steps: T });
    expect(new Set(momentum).size).toBe(3);
    insts.forEach((l, i) => expectTrajectory(traj[i], nesterovConstantRef(l.grad, f32(lr[i]), f32(momentum[i]), x0f32(l.x0), T), 4e-6, `row ${i}`));
  });

  it('adam (tf.train.adam) is Kingma–Ba with bias correction and ε outside the root', async () => {
    const [lr, b1, b2, eps] = [0.05, 0.9, 0.99, 1e-7];
    const { traj } = await collect({
      family: lsqFamily as Family, instances: insts, optimizer: 'adam',
      hyper: { lr: [lr, lr, lr], beta1: [b1, b1, b1], beta2: [b2, b2, b2], epsilon: [eps, eps, eps] }, steps: T,
    });
    insts.forEach((l, i) => expectTrajectory(traj[i], adamRef(l.grad, f32(lr), f32(b1), f32(b2), f32(eps), x0f32(l.x0), T), 4e-6, `adam row ${i}`));
  });

  it('sgd draws m indices with replacement per row from minibatchRng(seed, row)', async () => {
    const lr = insts.map((l, i) => [0.5, 0.2, 0.8][i] / l.L);
    const seed = 7, m = 3;
    const { traj } = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'sgd', hyper: { lr, batchSize: [m, m, m] }, steps: T, seed });
    insts.forEach((l, i) => expectTrajectory(traj[i], sgdRef(l, f32(lr[i]), m, minibatchRng(seed, i), x0f32(l.x0), T), 4e-6, `sgd row ${i}`));
  });

  it('projected-gd onto per-row balls and boxes', async () => {
    const lr = insts.map((l) => 1 / l.L);
    const radius = [0.5, 1, 100];
    const ball = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'projected-gd', hyper: { lr, radius }, steps: T });
    insts.forEach((l, i) =>
      expectTrajectory(ball.traj[i], mappedGdRef(l.grad, f32(lr[i]), x0f32(l.x0), T, ballProjection(radius[i])), 4e-6, `ball row ${i}`));
    const lo = [-0.1, -1, 0], hi = [0.1, 0.5, 2];
    const box = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'projected-gd', hyper: { lr, lo, hi }, steps: T });
    insts.forEach((l, i) =>
      expectTrajectory(box.traj[i], mappedGdRef(l.grad, f32(lr[i]), x0f32(l.x0), T, boxProjection(lo[i], hi[i])), 4e-6, `box row ${i}`));
  });

  it('proximal-gd soft-thresholds at γ_i ℓ₁_i', async () => {
    const lr = insts.map((l, i) => [1, 0.5, 0.9][i] / l.L);
    const l1 = [0.05, 0.3, 0];
    const { traj } = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'proximal-gd', hyper: { lr, l1 }, steps: T });
    insts.forEach((l, i) =>
      expectTrajectory(traj[i], mappedGdRef(l.grad, f32(lr[i]), x0f32(l.x0), T, softThresholdRef(f32(f32(lr[i]) * f32(l1[i])))), 4e-6, `row ${i}`));
    // A large ℓ₁ weight zeroes coordinates: the closed form is doing the work.
    expect(traj[1][T].some((v) => v === 0)).toBe(true);
  });

  it('gd-exact-line-search takes γ = gᵀg/gᵀHg (double backprop for Hg)', async () => {
    const steps = 8; // the rate is fast; later steps are at float32 resolution
    const { traj } = await collect({ family: lsqFamily as Family, instances: insts, optimizer: 'gd-exact-line-search', hyper: {}, steps });
    insts.forEach((l, i) => expectTrajectory(traj[i], exactLineSearchRef(l, x0f32(l.x0), steps), 4e-6, `row ${i}`));
  });

  it('rows never mix: a NaN row leaves every other row exact, for every optimiser', () => {
    const bad = [...insts.slice(0, 2), insts[0]];
    const x0s = [bad[0].x0, Float64Array.from(bad[1].x0, () => NaN), bad[2].x0];
    for (const opt of OPTIMIZERS) {
      const hyper = hyperFor(opt.id, bad);
      const row0 = Object.fromEntries(Object.entries(hyper).map(([k, v]) => [k, [v[0]]]));
      const clean = runRule(opt.id, row0, [bad[0]], [bad[0].x0], 5);
      const withNaN = runRule(opt.id, hyper, bad, x0s, 5, undefined);
      expect(withNaN[1][5].every(Number.isNaN), opt.id).toBe(true);
      // Row 0 alone (same row index 0, so SGD samples the same) equals row 0 next to a NaN row.
      expectTrajectory(withNaN[0], clean[0].map((a) => Float64Array.from(a)), 1e-6, `${opt.id} row 0`);
      expect(withNaN[2][5].every(Number.isFinite), opt.id).toBe(true);
    }
  });
});

describe('closed forms', () => {
  it('ball projection: inside stays, outside lands on the sphere along z', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        (rows, r) => {
          const z = rows.map((row) => Float64Array.from(row, f32));
          const got = tf.tidy(() => {
            const radius = tf.fill([rows.length, 1], r) as tf.Tensor2D;
            return project(tf.tensor2d(rows.flat(), [rows.length, 3]), { kind: 'ball', radius }).arraySync();
          });
          z.forEach((zi, i) => {
            const want = ballProjection(f32(r))(zi);
            want.forEach((w, k) => expect(Math.abs(got[i][k] - w)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w))));
          });
        },
      ),
      { seed: FC_SEED, numRuns: 50 },
    );
  });

  it('box projection is the coordinate-wise clamp', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.double({ min: -3, max: 0, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (row, lo, hi) => {
        const got = tf.tidy(() => project(tf.tensor2d([row], [1, 4]), { kind: 'box', lo: tf.tensor2d([[lo]]), hi: tf.tensor2d([[hi]]) }).arraySync()[0]);
        const want = boxProjection(f32(lo), f32(hi))(Float64Array.from(row, f32));
        want.forEach((w, k) => expect(got[k]).toBe(f32(w)));
      }),
      { seed: FC_SEED, numRuns: 50 },
    );
  });

  it('soft threshold is sign(z)·max(|z| − τ, 0), exactly 0 inside [−τ, τ]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.double({ min: 0, max: 5, noNaN: true }), (row, tau) => {
        const got = tf.tidy(() => softThreshold(tf.tensor2d([row], [1, row.length]), tf.scalar(tau)).arraySync()[0]);
        const want = softThresholdRef(f32(tau))(Float64Array.from(row, f32));
        want.forEach((w, k) => {
          if (w === 0) expect(got[k] === 0, `${got[k]} is not 0`).toBe(true); // ±0: sign(z)·0
          else expect(Math.abs(got[k] - w)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w)));
        });
      }),
      { seed: FC_SEED, numRuns: 50 },
    );
  });

  it('Hessian-vector products: double backprop and the gradient difference both give (CᵀC/n)v', () => {
    const loss = lsqFamily.tfLoss(insts);
    const rng = makeRng(11);
    const xs = insts.map((l) => Float64Array.from({ length: l.dim }, () => 3 * rng.normal()));
    const vs = insts.map((l) => Float64Array.from({ length: l.dim }, () => rng.normal()));
    const [auto, diff] = tf.tidy(() => {
      const x = tf.tensor2d(xs.map((a) => Array.from(a)));
      const v = tf.tensor2d(vs.map((a) => Array.from(a)));
      return [hessianVectorProduct(loss, x, v).arraySync(), hessianVectorProductByDifference(loss, x, v).arraySync()];
    });
    loss.dispose();
    insts.forEach((l, i) => {
      const want = matVec(l.H, Float64Array.from(vs[i], f32));
      const sc = Math.max(...Array.from(want, Math.abs));
      want.forEach((w, k) => {
        expect(Math.abs(auto[i][k] - w)).toBeLessThanOrEqual(1e-5 * sc);
        expect(Math.abs(diff[i][k] - w)).toBeLessThanOrEqual(1e-4 * sc);
      });
    });
  });
});

/** Hyperparameters every optimiser accepts on these instances (uniform ones equal across rows). */
function hyperFor(id: string, rows: readonly Lsq[]): Record<string, number[]> {
  const each = (f: (l: Lsq, i: number) => number) => rows.map(f);
  switch (id) {
    case 'gd': return { lr: each((l, i) => (i % 2 ? 0.5 : 1) / l.L) };
    case 'sgd': return { lr: each((l) => 0.3 / l.L), batchSize: each(() => 2) };
    case 'heavy-ball': return { lr: each((l) => 1 / l.L), momentum: each(() => 0.6) };
    case 'nesterov': return { lr: each((l) => 1 / l.L) };
    case 'adam': return { lr: each(() => 0.05) };
    case 'projected-gd': return { lr: each((l) => 1 / l.L), radius: each((_, i) => 1 + i) };
    case 'proximal-gd': return { lr: each((l) => 1 / l.L), l1: each((_, i) => 0.1 * i) };
    case 'gd-exact-line-search': return {};
    // The quantised rules (tests/quantised-*.test.ts), deterministic and full-batch here.
    case 'binaryconnect': return { lr: each((l) => 0.3 / l.L), H: each((_, i) => 1 + i) };
    case 'ste': return { lr: each((l) => 0.3 / l.L), estimator: each(() => 3), beta: each((_, i) => 2 + i) };
    case 'proxquant': return { lr: each((l) => 0.5 / l.L), lambdaRate: each((_, i) => 0.1 * i) };
    case 'askewsgd': return { lr: each((l) => 0.5 / l.L), alpha: each(() => 1), eps0: each((_, i) => 0.1 * (i + 1)), epsDecay: each(() => 0.9) };
    // Rows 0 and 2 with αβ ≥ 1 (w = sign θ), rows 1 and 3 with αβ < 1 (the other branch).
    case 'adaste': return { lr: each((l) => 0.1 / l.L), alpha: each(() => 0.01), beta: each((_, i) => (i % 2 ? 10 : 100)) };
    default: throw new Error(`no test hyperparameters for '${id}'`);
  }
}

describe('run driver', () => {
  const batch = [randomLsq(21, 5), randomLsq(22, 5), randomLsq(23, 5), randomLsq(24, 5)];

  it('every registered optimiser has test hyperparameters, ids are unique, uniform ⊆ hyper', () => {
    expect(new Set(OPTIMIZERS.map((o) => o.id)).size).toBe(OPTIMIZERS.length);
    for (const o of OPTIMIZERS) {
      expect(() => hyperFor(o.id, batch)).not.toThrow();
      for (const u of o.uniform) expect(o.hyper.map((h) => h.name)).toContain(u);
    }
  });

  it('batched equals alone, for every optimiser', async () => {
    for (const opt of OPTIMIZERS) {
      const hyper = hyperFor(opt.id, batch);
      const together = await collect({ family: lsqFamily as Family, instances: batch, optimizer: opt.id, hyper, steps: 15, seed: 3 });
      for (let i = 0; i < batch.length; i++) {
        const own = Object.fromEntries(Object.entries(hyper).map(([k, v]) => [k, [v[i]]]));
        // SGD's samples are keyed by the row's place in the run; alone, it keeps its place i.
        const alone = opt.id === 'sgd'
          ? runRule('sgd', own, [batch[i]], [batch[i].x0], 15, [i], 3)[0]
          : (await collect({ family: lsqFamily as Family, instances: [batch[i]], optimizer: opt.id, hyper: own, steps: 15 })).traj[0];
        expectTrajectory(together.traj[i], alone.map((a) => Float64Array.from(a)), 1e-6, `${opt.id} row ${i}`);
      }
    }
  });

  it('frees every tensor it made, for every optimiser (and when onStep throws)', async () => {
    for (const opt of OPTIMIZERS) {
      const before = tf.memory().numTensors;
      await collect({ family: lsqFamily as Family, instances: batch, optimizer: opt.id, hyper: hyperFor(opt.id, batch), steps: 5 });
      expect(tf.memory().numTensors, opt.id).toBe(before);
      await expect(
        runBatch({
          family: lsqFamily as Family, instances: batch, optimizer: opt.id, hyper: hyperFor(opt.id, batch), steps: 5,
          onStep: (t) => { if (t === 2) throw new Error('caller failed'); },
        }),
      ).rejects.toThrow('caller failed');
      expect(tf.memory().numTensors, `${opt.id} after a throw`).toBe(before);
    }
  });

  it('frees everything when split into groups and when stopped early', async () => {
    const before = tf.memory().numTensors;
    const { calls } = await collect(
      { family: lsqFamily as Family, instances: batch, optimizer: 'heavy-ball', hyper: { lr: batch.map((l) => 1 / l.L), momentum: [0.1, 0.2, 0.1, 0.3] }, steps: 6 },
      3,
    );
    expect(tf.memory().numTensors).toBe(before);
    // 'stop' ends the whole run: the first group stops at t = 3 and no other group runs.
    expect(calls.map((c) => c.t)).toEqual([0, 1, 2, 3]);
    expect(calls[0].rows).toEqual([0, 2]);
  });

  it('stops on a non-finite iterate and still reports it: GD with γ = 3/L on (L/2)x²', async () => {
    const L = 4;
    const before = tf.memory().numTensors;
    const seen: { t: number; x: number }[] = [];
    await runBatch({
      family: lsqFamily as Family, instances: [halfLxSquared(L, 1)], optimizer: 'gd', hyper: { lr: [3 / L] }, steps: 10_000,
      onStep: (t, x) => { seen.push({ t, x: x[0] }); },
    });
    expect(tf.memory().numTensors).toBe(before);
    // x_{k+1} = (1 − 3)x_k = (−2)^{k+1}: exact in float32 until it overflows near 2^128.
    seen.slice(0, 100).forEach(({ t, x }) => expect(x).toBe((-2) ** t));
    const last = seen[seen.length - 1];
    expect(Number.isFinite(last.x)).toBe(false);
    expect(seen.slice(0, -1).every((s) => Number.isFinite(s.x))).toBe(true);
    expect(last.t).toBeLessThan(140);
    expect(seen.map((s) => s.t)).toEqual(seen.map((_, i) => i));
  });

  it('rejects bad hyperparameters with a message that names them', async () => {
    const base = { family: lsqFamily as Family, instances: batch, steps: 1, onStep: () => {} };
    await expect(runBatch({ ...base, optimizer: 'gd', hyper: {} })).rejects.toThrow(/needs hyperparameter 'lr'/);
    await expect(runBatch({ ...base, optimizer: 'gd', hyper: { lr: [1, 1, 1, 1], step: [1, 1, 1, 1] } })).rejects.toThrow(/no hyperparameter 'step'/);
    await expect(runBatch({ ...base, optimizer: 'gd', hyper: { lr: [1, 1] } })).rejects.toThrow(/2 values for 4 instances/);
    await expect(runBatch({ ...base, optimizer: 'nope', hyper: {} })).rejects.toThrow(/unknown optimizer 'nope'/);
    await expect(runBatch({ ...base, optimizer: 'projected-gd', hyper: { lr: [1, 1, 1, 1] } })).rejects.toThrow(/radius/);
  });

  it('t = 0 is x0 rounded to float32; an x0 given in the spec overrides instance.x0', async () => {
    const seen: number[][] = [];
    await runBatch({
      family: lsqFamily as Family, instances: [batch[0]], optimizer: 'gd', hyper: { lr: [0] }, steps: 2,
      x0: [[0.1, 0.2, 0.3, 1 / 3, -1e-3]], onStep: (_t, x) => { seen.push(Array.from(x)); },
    });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual([0.1, 0.2, 0.3, 1 / 3, -1e-3].map(f32));
    expect(seen[2]).toEqual(seen[0]); // γ = 0 stays put
  });

  it('a spec the optimiser cannot run fails before onStep is first called', async () => {
    const { tfMinibatchLoss: _m, samples: _s, ...notFiniteSum } = lsqFamily;
    let calls = 0;
    await expect(
      runBatch({
        family: notFiniteSum as Family, instances: batch, optimizer: 'sgd', hyper: { lr: [1, 1, 1, 1] }, steps: 3,
        onStep: () => { calls++; },
      }),
    ).rejects.toThrow(/finite-sum family/);
    expect(calls).toBe(0);
  });

  it('gd-exact-line-search refuses instances not certified quadratic', async () => {
    const notQuadratic = { ...batch[0], cert: { ...batch[0].cert, quadratic: false } };
    await expect(
      runBatch({ family: lsqFamily as Family, instances: [notQuadratic], optimizer: 'gd-exact-line-search', hyper: {}, steps: 1, onStep: () => {} }),
    ).rejects.toThrow(/quadratic/);
  });
});
