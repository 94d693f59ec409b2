/**
 * [huber] The 1-D Huber function, gradient descent's worst case among convex
 * L-smooth functions (Drori–Teboulle 2014, Thm 3.1):
 *   f(x) = (L/2) x²            for |x| ≤ τ,
 *   f(x) = Lτ|x| − Lτ²/2       for |x| ≥ τ.
 * Convex, C¹ with f′ = L·clip(x, −τ, τ), hence L-smooth (exactly: f″ = L on
 * |x| < τ) and G = Lτ-Lipschitz; x* = 0, f* = 0; not strongly convex and not
 * PL (f′ is bounded while f grows linearly).
 *
 * huberWorstCase(L, R, N, h): with τ = R/(2Nh + 1) and x0 = R, GD with step h/L
 * moves by hτ per step while |x| ≥ τ, so x_N = R − Nhτ = (Nh + 1)τ ≥ τ and
 * f(x_N) = Lτ²(Nh + ½) = L R²/(4Nh + 2): the bound of `gd-convex-tight` with equality.
 */
import { tf } from '../../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family } from '../types.ts';
import { checkBatch, finiteArray, finiteNumber, logUniform, makeBatchedLoss } from './common.ts';

/** Params of [huber]: { L: number (> 0); tau: number (> 0); x0: number[] (length 1) }. */
export type HuberParams = { L: number; tau: number; x0: number[] };

/** The tight instance of `gd-convex-tight`: τ = R/(2Nh + 1), x0 = R. */
export function huberWorstCase(L: number, R: number, N: number, h: number): HuberParams {
  if (!(L > 0 && R > 0 && N >= 1 && h > 0)) throw new Error(`huberWorstCase: need L, R, h > 0 and N ≥ 1, got L=${L}, R=${R}, N=${N}, h=${h}`);
  return { L, tau: R / (2 * N * h + 1), x0: [R] };
}

function parse(p: HuberParams) {
  const L = finiteNumber('huber: L', p.L, 0, Infinity, true);
  const tau = finiteNumber('huber: tau', p.tau, 0, Infinity, true);
  const x0 = finiteArray('huber: x0', p.x0, 1);
  return { L, tau, x0 };
}

export function huberValue(L: number, tau: number, x: number): number {
  const a = Math.abs(x);
  return a <= tau ? 0.5 * L * x * x : L * tau * (a - 0.5 * tau);
}
export function huberGrad(L: number, tau: number, x: number): number {
  return L * Math.min(tau, Math.max(-tau, x));
}

export const huber: Family<HuberParams> = {
  id: 'huber',
  title: 'Huber function (worst case of gradient descent)',
  description:
    '1-D Huber f(x) = (L/2)x² for |x| ≤ τ, Lτ|x| − Lτ²/2 beyond: convex, L-smooth, Lτ-Lipschitz, f* = 0 at x* = 0, neither strongly convex nor PL; with τ = R/(2Nh+1), x0 = R it attains the Drori–Teboulle bound.',
  classes: ['convex', 'L-smooth', 'G-Lipschitz', 'bounded-below'],
  dims: [1],

  arbitrary() {
    const generic = fc.record({
      L: logUniform(0.1, 100, [1]),
      tau: logUniform(1e-3, 5, [1]),
      x0: fc.double({ min: -20, max: 20, noNaN: true }).map((v) => [v === 0 ? 0 : v]),
    });
    const worst = fc
      .record({
        L: logUniform(0.1, 100, [1]),
        R: logUniform(0.1, 10, [1]),
        N: fc.integer({ min: 1, max: 200 }),
        h: fc.oneof(fc.constant(1), fc.double({ min: 0.01, max: 1, noNaN: true })),
      })
      .map((r) => huberWorstCase(r.L, r.R, r.N, r.h));
    return fc.oneof(generic, worst);
  },

  instantiate(params) {
    const { L, tau, x0 } = parse(params);
    return {
      family: 'huber',
      params,
      dim: 1,
      cert: { convex: true, quadratic: false, L, G: L * tau, fstar: 0 },
      x0: Float64Array.from(x0),
      value: (x) => huberValue(L, tau, x[0]),
      grad: (x) => Float64Array.of(huberGrad(L, tau, x[0])),
      // f″ = L inside, 0 outside; at |x| = τ f is not twice differentiable (the inside value is returned)
      hess: (x) => Float64Array.of(Math.abs(x[0]) <= tau ? L : 0),
      nearestMinimiser: () => Float64Array.of(0),
      data: { L, tau },
    };
  },

  tfLoss(instances) {
    checkBatch('huber', instances);
    const ps = instances.map((i) => parse(i.params as HuberParams));
    const Lt = tf.tensor2d(Float32Array.from(ps, (p) => p.L), [ps.length, 1]);
    const tauT = tf.tensor2d(Float32Array.from(ps, (p) => p.tau), [ps.length, 1]);
    return makeBatchedLoss([Lt, tauT], (x) => {
      // m = clip(x, −τ, τ): f = L(m²/2 + τ·relu(|x| − τ)), f′ = L m; no tf.where (its condition has
      // no gradient), and no τ|x| − τ|m| whose gradients would cancel only up to eps32·Lτ near 0
      const m = tf.minimum(tf.maximum(x, tf.neg(tauT)), tauT);
      const lin = tf.mul(tauT, tf.relu(tf.sub(tf.abs(x), tauT)));
      return tf.mul(Lt, tf.add(tf.mul(0.5, tf.square(m)), lin)).reshape([ps.length]) as tf.Tensor1D;
    });
  },
};
