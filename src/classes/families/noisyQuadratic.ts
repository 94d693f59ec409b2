/**
 * [noisy-quadratic] F(x) = (1/n) Σ_i f_i(x), f_i(x) = ½ (x − c_i)ᵀ A (x − c_i),
 * A = Q diag(λ) Qᵀ ≻ 0, with the shifts in ± pairs (c_{k+n/2} = −c_k).
 *
 * The textbook model of SGD's gradient noise: ∇f_i(x) − ∇F(x) = −A c_i does
 * not depend on x, so every stochastic constant is exact. Because the shifts
 * come in ± pairs their mean is exactly 0 in any precision (float32 included),
 * so x* = 0 and the sample gradient is unbiased in the run itself, not only on
 * paper. F is the quadratic ½xᵀAx + f*, f* = (1/2n) Σ c_iᵀAc_i, so L = max λ,
 * μ = PL = min λ; per sample (BCN 2018 Assumption 4.3 with one sample):
 *   V[∇f_i(x)] = (1/n) Σ ‖A c_i‖² = M exactly, M_V = 0;
 *   σ* = E‖∇f_i(x*)‖² = M (Gower et al. 2019); every f_i is convex and
 *   L-smooth (L_max = L); E‖∇f_i(x)‖² = ‖Ax‖² + M.
 * With c = ±1, A = 1 it is f_{1,2} = ½(x ∓ 1)², where constant-step SGD
 * settles at E x² = γ/(2 − γ) instead of 0 (docs/theorems.md, sgd-interpolation).
 * With zero shifts every f_i is F: M = σ* = 0 exactly, the interpolation
 * case (the arbitrary draws it about one time in four). Such a witness is
 * deterministic (SGD is gradient descent on it); a family whose samples
 * differ yet share x* would be a stronger one.
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family, Instance } from '../types.ts';
import { dot, identity, randomOrthogonal, type Mat } from '../../numeric/linalg.ts';
import { makeRng } from '../../numeric/rng.ts';
import {
  checkBatch, finiteArray, finiteNumber, gatherRows, logUniform, makeMinibatchLoss, rowOffsets, seedArb, sphere, stack,
} from './common.ts';
import { quadratic, spectrum, SPECTRUM_STYLES, squareRootFactor, type QuadraticParams } from './quadratic.ts';

/**
 * Params of [noisy-quadratic]:
 * { dim; eigenvalues: number[] (length dim, all > 0); rotationSeed: number | null;
 *   shifts: number[][] (k rows of length dim: the samples are c_1..c_k and −c_1..−c_k, n = 2k);
 *   x0: number[] }.
 */
export type NoisyQuadraticParams = {
  dim: number;
  eigenvalues: number[];
  rotationSeed: number | null;
  shifts: number[][];
  x0: number[];
};

interface NoisyData { dim: number; q: Mat; lambdas: Float64Array; shifts: Float64Array[]; x0: number[] }

function parse(params: NoisyQuadraticParams): NoisyData {
  const id = 'noisy-quadratic';
  const dim = finiteNumber(`${id}: dim`, params.dim, 1);
  if (!Number.isInteger(dim)) throw new Error(`${id}: dim must be an integer, got ${dim}`);
  const lam = finiteArray(`${id}: eigenvalues`, params.eigenvalues, dim);
  if (lam.some((v) => !(v > 0))) throw new Error(`${id}: every eigenvalue must be > 0`);
  if (!Array.isArray(params.shifts) || params.shifts.length === 0) throw new Error(`${id}: shifts must be a non-empty array of rows`);
  const shifts = params.shifts.map((c, i) => Float64Array.from(finiteArray(`${id}: shifts[${i}]`, c, dim)));
  const x0 = finiteArray(`${id}: x0`, params.x0, dim);
  const seed = params.rotationSeed;
  if (seed !== null && !(Number.isInteger(seed) && seed >= 0)) throw new Error(`${id}: rotationSeed must be a non-negative integer or null`);
  const q = seed === null ? identity(dim) : randomOrthogonal(dim, makeRng(seed));
  return { dim, q, lambdas: Float64Array.from(lam), shifts, x0 };
}

/** F itself, as params of the quadratic family. */
const fullQuadratic = (p: NoisyQuadraticParams, fstar: number): QuadraticParams => ({
  dim: p.dim, eigenvalues: p.eigenvalues, rotationSeed: p.rotationSeed, xstar: new Array(p.dim).fill(0), x0: p.x0, fstar,
});

/** The ± paired samples c_1..c_k, −c_1..−c_k, in that order (sample j of the minibatch loss). */
const samplesOf = (shifts: readonly ArrayLike<number>[]): number[][] => [
  ...shifts.map((c) => Array.from(c)),
  ...shifts.map((c) => Array.from(c, (v) => -v)),
];

export const noisyQuadratic: Family<NoisyQuadraticParams> = {
  id: 'noisy-quadratic',
  title: 'Quadratic with additive gradient noise (finite sum of shifted quadratics)',
  description:
    'F = (1/n) Σ ½(x − c_i)ᵀA(x − c_i) with ± paired shifts: L = max λ(A), μ = min λ(A), x* = 0, and the gradient noise −Ac_i is independent of x, so its variance M = (1/n)Σ‖Ac_i‖² and σ* = M are exact.',
  classes: ['convex', 'quadratic', 'L-smooth', 'mu-strongly-convex', 'mu-PL', 'bounded-below'],
  byName: true,

  arbitrary(ctx) {
    const dim = ctx.dim;
    return fc
      .record({
        mu: logUniform(0.1, 1, [1]),
        // A small condition number: schedules such as KNS's α_0 = 1/(2μ) expand
        // the stiff directions for about κ steps, and a large κ only makes the bound vacuous.
        kappa: logUniform(1, 10, [1, 4]),
        style: fc.constantFrom(...SPECTRUM_STYLES),
        spectrumSeed: seedArb(),
        rotationSeed: fc.option(seedArb(), { nil: null, freq: 3 }),
        pairs: fc.constantFrom(1, 2, 4, 8),
        noise: logUniform(0.03, 3, [1]),
        pointSeed: seedArb(),
        x0Dist: logUniform(0.5, 10, [3]),
        // Last, so that the other fields draw as before: about one in four is interpolating.
        interpolating: fc.constantFrom(false, false, false, true),
      })
      .map((r) => {
        const rng = makeRng(r.pointSeed);
        const shifts = Array.from({ length: r.pairs }, () => sphere(rng, dim, r.noise * (0.5 + rng.next())));
        return {
          dim,
          eigenvalues: spectrum(dim, r.mu, r.mu * r.kappa, r.style, r.spectrumSeed),
          rotationSeed: r.rotationSeed,
          // Zero shifts: every f_i is F, so σ* = M = 0 (interpolation) and SGD is gradient descent.
          shifts: r.interpolating ? [new Array<number>(dim).fill(0)] : shifts,
          x0: sphere(rng, dim, r.x0Dist),
        };
      });
  },

  instantiate(params) {
    const D = parse(params);
    const samples = samplesOf(D.shifts);
    const n = samples.length;
    // ∇F(x) = Ax for every f*: the quadratic family's oracle applies A (f* is not known yet).
    const applyA = quadratic.instantiate(fullQuadratic(params, 0)).grad;
    // Half the pairs suffice: c and −c give the same ‖Ac‖² and cᵀAc.
    let M = 0, fstar = 0;
    for (const c of D.shifts) {
      const Ac = applyA(c);
      M += (2 * dot(Ac, Ac)) / n;
      fstar += c.reduce((s, v, i) => s + v * Ac[i], 0) / n; // ½ · 2 · cᵀAc / n
    }
    // F is the quadratic with x* = 0 and this f*: its oracle is the quadratic family's.
    const F = quadratic.instantiate(fullQuadratic(params, fstar));
    const L = Math.max(...D.lambdas), mu = Math.min(...D.lambdas);
    const inst: Instance = {
      ...F,
      family: 'noisy-quadratic',
      params,
      cert: { ...F.cert, noise: { M, MV: 0, sigmaStar: M, Lmax: L, convexSamples: true } },
      sampleGrad2: (x) => {
        const g = F.grad(x);
        return dot(g, g) + M;
      },
      data: { ...F.data, M, n, samples, mu, L },
    };
    return inst;
  },

  tfLoss(instances) {
    checkBatch('noisy-quadratic', instances);
    // A batch of many seeds repeats each instance: build each quadratic once.
    const built = new Map<Instance, Instance>();
    return quadratic.tfLoss(instances.map((inst) => {
      if (!built.has(inst)) built.set(inst, quadratic.instantiate(fullQuadratic(inst.params as NoisyQuadraticParams, inst.cert.fstar)));
      return built.get(inst)!;
    }));
  },

  tfMinibatchLoss(instances) {
    const d = checkBatch('noisy-quadratic', instances);
    const B = instances.length;
    const parsed = new Map<Instance, NoisyData>();
    const Ds = instances.map((inst) => {
      if (!parsed.has(inst)) parsed.set(inst, parse(inst.params as NoisyQuadraticParams));
      return parsed.get(inst)!;
    });
    const nmax = Math.max(...Ds.map((D) => 2 * D.shifts.length));
    // S = diag(√λ) Qᵀ per instance, so f_j(x) = ½‖S(x − c_j)‖².
    const S = tf.tensor3d(stack(Ds.map((D) => squareRootFactor(D.lambdas, D.q))), [B, d, d]);
    const C = tf.tensor3d(stack(Ds.map((D) => {
      const rows = new Float64Array(nmax * d);
      samplesOf(D.shifts).forEach((c, j) => rows.set(c, j * d));
      return rows;
    })), [B, nmax, d]);
    const off = rowOffsets(B, nmax);
    return makeMinibatchLoss([S, C, off], (x, batch) => {
      const Cb = gatherRows(C, batch, off) as tf.Tensor3D; // [B, m, d]
      const diff = tf.sub(x.expandDims(1), Cb); // [B, m, d]
      const sd = tf.matMul(diff, S, false, true); // rows (S(x − c_j))ᵀ
      return tf.mul(0.5, tf.mean(tf.sum(tf.square(sd), 2), 1)) as tf.Tensor1D;
    });
  },

  samples: (inst) => 2 * (inst.params as NoisyQuadraticParams).shifts.length,
};
