/**
 * [quadratic] f(x) = ½ (x − x*)ᵀ A (x − x*) + f*, A = Q diag(λ) Qᵀ.
 *
 * The spectrum is a parameter, so the constants are exact by construction:
 * L = max λ, μ = PL constant = min λ (> 0), f* and x* as given. Q is a
 * Haar-random orthogonal matrix from `rotationSeed` (null: Q = I, A diagonal).
 *
 * The float64 oracle evaluates ½ Σ λ_k ((Qᵀ(x − x*))_k)² + f*, which is never
 * below f* in floating point; the gradient is Q diag(λ) Qᵀ (x − x*).
 * The TensorFlow.js loss is the same centred form, ½‖S (x − x*)‖² + f* with
 * S = diag(√λ) Qᵀ stacked as [B, d, d] (batched tf.matMul): SᵀS = A, and unlike
 * ½xᵀAx − bᵀx + c it keeps its precision near the optimum (float32 relative
 * error ~√κ·eps instead of κ·eps, and never below f*).
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family, Instance } from '../types.ts';
import { fromSpectrum, identity, randomOrthogonal, type Mat, type Vec } from '../../numeric/linalg.ts';
import { makeRng } from '../../numeric/rng.ts';
import { checkBatch, finiteArray, finiteNumber, logUniform, makeBatchedLoss, seedArb, sphere, stack } from './common.ts';

/**
 * Params of [quadratic]:
 * { dim; eigenvalues: number[] (length dim, all > 0; conventionally ascending, so
 *   eigenvalues[0] = μ and eigenvalues[dim−1] = L); rotationSeed: number | null
 *   (Q = randomOrthogonal(dim, makeRng(seed)), null = diagonal A); xstar: number[];
 *   x0: number[]; fstar: number }.
 */
export type QuadraticParams = {
  dim: number;
  eigenvalues: number[];
  rotationSeed: number | null;
  xstar: number[];
  x0: number[];
  fstar: number;
};

export type SpectrumStyle = 'uniform' | 'clustered' | 'log' | 'two-point';
export const SPECTRUM_STYLES: readonly SpectrumStyle[] = ['uniform', 'clustered', 'log', 'two-point'];

/**
 * A spectrum of length dim with λ_1 = mu and λ_dim = L exactly (dim = 1: [mu]),
 * sorted ascending. Interior values: uniform in [mu, L]; clustered within 5% of
 * either end; log-spaced (geometric); or only the two extremes.
 */
export function spectrum(dim: number, mu: number, L: number, style: SpectrumStyle, seed: number): number[] {
  if (!(mu > 0 && L >= mu)) throw new Error(`spectrum: need 0 < mu ≤ L, got mu = ${mu}, L = ${L}`);
  if (dim === 1) return [mu];
  const rng = makeRng(seed);
  const inner: number[] = [];
  for (let i = 1; i < dim - 1; i++) {
    const t = i / (dim - 1);
    switch (style) {
      case 'uniform': inner.push(rng.uniform(mu, L)); break;
      case 'clustered': {
        const w = 0.05 * (L - mu);
        inner.push(rng.next() < 0.5 ? mu + w * rng.next() : L - w * rng.next());
        break;
      }
      case 'log': inner.push(mu * (L / mu) ** t); break;
      case 'two-point': inner.push(rng.next() < 0.5 ? mu : L); break;
    }
  }
  inner.sort((a, b) => a - b);
  return [mu, ...inner.map((v) => Math.min(L, Math.max(mu, v))), L];
}

/** Params of the quadratic with the given spectrum; x* = 0, f* = 0, x0 = e_1 unless given. */
export function quadraticFromSpectrum(
  eigenvalues: readonly number[],
  opts: { rotationSeed?: number | null; xstar?: number[]; x0?: number[]; fstar?: number } = {},
): QuadraticParams {
  const dim = eigenvalues.length;
  return {
    dim,
    eigenvalues: [...eigenvalues],
    rotationSeed: opts.rotationSeed ?? null,
    xstar: opts.xstar ?? new Array(dim).fill(0),
    x0: opts.x0 ?? Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0)),
    fstar: opts.fstar ?? 0,
  };
}

interface QuadData { dim: number; q: Mat; lambdas: Float64Array; xstar: Vec; x0: Vec; fstar: number }

/** Checked params → the numbers the oracle and the tf loss need (a pure function of params). */
function parse(params: QuadraticParams): QuadData {
  const dim = finiteNumber('quadratic: dim', params.dim, 1);
  if (!Number.isInteger(dim)) throw new Error(`quadratic: dim must be an integer, got ${dim}`);
  const lam = finiteArray('quadratic: eigenvalues', params.eigenvalues, dim);
  if (lam.some((v) => !(v > 0))) throw new Error('quadratic: every eigenvalue must be > 0 (strongly convex family)');
  const xstar = Float64Array.from(finiteArray('quadratic: xstar', params.xstar, dim));
  const x0 = Float64Array.from(finiteArray('quadratic: x0', params.x0, dim));
  const fstar = finiteNumber('quadratic: fstar', params.fstar);
  const seed = params.rotationSeed;
  if (seed !== null && !(Number.isInteger(seed) && seed >= 0)) throw new Error('quadratic: rotationSeed must be a non-negative integer or null');
  const q = seed === null ? identity(dim) : randomOrthogonal(dim, makeRng(seed));
  return { dim, q, lambdas: Float64Array.from(lam), xstar, x0, fstar };
}

/** S = diag(√λ) Qᵀ, row-major (S[k][i] = √λ_k Q[i][k]), so that SᵀS = Q diag(λ) Qᵀ and ½xᵀAx = ½‖Sx‖². */
export function squareRootFactor(lambdas: ArrayLike<number>, q: Mat): number[] {
  const d = lambdas.length;
  const s: number[] = new Array(d * d);
  for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) s[k * d + i] = Math.sqrt(lambdas[k]) * q.data[i * d + k];
  return s;
}

export const quadratic: Family<QuadraticParams> = {
  id: 'quadratic',
  title: 'Quadratic with a chosen spectrum',
  description:
    'f(x) = ½(x − x*)ᵀQ diag(λ)Qᵀ(x − x*) + f* with the spectrum λ a parameter: L = max λ, μ = PL constant = min λ exactly, x* and f* given.',
  classes: ['convex', 'quadratic', 'L-smooth', 'mu-strongly-convex', 'mu-PL', 'bounded-below'],

  arbitrary(ctx) {
    const dim = ctx.dim;
    return fc
      .record({
        mu: logUniform(0.01, 1, [0.1]),
        kappa: logUniform(1, 1000, [2, 10, 100]),
        style: fc.constantFrom(...SPECTRUM_STYLES),
        spectrumSeed: seedArb(),
        rotationSeed: fc.option(seedArb(), { nil: null, freq: 3 }),
        pointSeed: seedArb(),
        xstarScale: fc.oneof(fc.constant(0), logUniform(0.1, 10)),
        x0Dist: logUniform(0.01, 10, [1]),
        fstar: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }), weight: 1 }),
      })
      .map((r) => {
        const rng = makeRng(r.pointSeed);
        const xstar = sphere(rng, dim, r.xstarScale);
        const dir = sphere(rng, dim, r.x0Dist);
        return {
          dim,
          eigenvalues: spectrum(dim, r.mu, r.mu * r.kappa, r.style, r.spectrumSeed),
          rotationSeed: r.rotationSeed,
          xstar,
          x0: xstar.map((v, i) => v + dir[i]),
          fstar: r.fstar === 0 ? 0 : r.fstar, // no −0 in JSON
        };
      });
  },

  instantiate(params) {
    const { dim, q, lambdas, xstar, x0, fstar } = parse(params);
    const L = Math.max(...lambdas), mu = Math.min(...lambdas);
    let A: Mat | undefined;
    const hessian = () => (A ??= fromSpectrum(q, lambdas));

    // z = Qᵀ(x − x*) ; f = ½ Σ λ z² + f* ; ∇f = Q (λ ⊙ z)
    const coords = (x: ArrayLike<number>): Float64Array => {
      const z = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        const di = x[i] - xstar[i];
        for (let k = 0; k < dim; k++) z[k] += q.data[i * dim + k] * di;
      }
      return z;
    };
    const inst: Instance = {
      family: 'quadratic',
      params,
      dim,
      cert: { convex: true, quadratic: true, L, mu, pl: mu, fstar },
      x0,
      value(x) {
        const z = coords(x);
        let s = 0;
        for (let k = 0; k < dim; k++) s += lambdas[k] * z[k] * z[k];
        return 0.5 * s + fstar;
      },
      grad(x) {
        const z = coords(x);
        const g = new Float64Array(dim);
        for (let i = 0; i < dim; i++) {
          let s = 0;
          for (let k = 0; k < dim; k++) s += q.data[i * dim + k] * lambdas[k] * z[k];
          g[i] = s;
        }
        return g;
      },
      hess: () => Float64Array.from(hessian().data),
      nearestMinimiser: () => Float64Array.from(xstar),
      data: { eigenvalues: [...lambdas], xstar: [...xstar], fstar },
    };
    return inst;
  },

  tfLoss(instances) {
    const d = checkBatch('quadratic', instances);
    const B = instances.length;
    const S: number[][] = [], xs: Vec[] = [], fs: number[] = [];
    // A batch of many seeds repeats instances: parse each once (a rotation costs O(d³)).
    const parsed = new Map<Instance, QuadData>();
    for (const inst of instances) {
      if (!parsed.has(inst)) parsed.set(inst, parse(inst.params as QuadraticParams));
      const qd = parsed.get(inst)!;
      S.push(squareRootFactor(qd.lambdas, qd.q));
      xs.push(qd.xstar);
      fs.push(qd.fstar);
    }
    const St = tf.tensor3d(stack(S), [B, d, d]);
    const xstarT = tf.tensor2d(stack(xs), [B, d]);
    const fstarT = tf.tensor1d(Float32Array.from(fs));
    return makeBatchedLoss([St, xstarT, fstarT], (x) => {
      const z = tf.sub(x, xstarT).expandDims(2); // [B, d, 1]
      const sz = tf.matMul(St, z).squeeze([2]); // [B, d]
      return tf.add(tf.mul(0.5, tf.sum(tf.square(sz), 1)), fstarT) as tf.Tensor1D;
    });
  },
};
