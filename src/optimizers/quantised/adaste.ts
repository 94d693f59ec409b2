/**
 * AdaSTE (Le, Høier, Lin, Zach, "AdaSTE: an adaptive straight-through
 * estimator to train binary neural networks", CVPR 2022), as the optimiser the
 * ASkewSGD paper compares with (its released code, which imports AdaSTE's):
 * the iterate is a latent θ; the network runs at
 *   w(θ) = hardtanh((θ + β(1 + α)·sign θ) / (1 + β)),
 * which is sign θ exactly when αβ ≥ 1 (the setting of both comparisons), and
 * the gradient ĝ = ∇f(w(θ)) is rescaled per coordinate before a momentum step:
 *   αβ ≥ 1:  s = min(1/|θ|, ½) where θ and ĝ share a sign (|θ| > 1e-3, |ĝ| > 1e-3),
 *            s = 0 where they have opposite signs, s = 1 elsewhere;
 *   αβ < 1:  s = 1/(1 + β) by default; 0 where the signs are opposite;
 *            min((1 + 2β + αβ)/((1 + β)|θ|), ½) where they agree and |θ| > 1 − αβ;
 *            min((2β(1 + α) − θ)/((1 + β)|θ|), ½) where they agree and 1e-6 < |θ| < 1 − αβ
 *            (θ, not |θ|, as the released code writes it);
 *   m_k = μ m_{k−1} + (1 − μ)(N·s ⊙ ĝ + ρθ),   θ ← θ − γ m_k / (1 − μ^k)   (k from 1),
 * with N the gradient multiplier (the released code's train_set_size, which
 * undoes its loss's division by the training-set size) and ρ the weight of the
 * pull toward 0 (reweight, 1 there). ĝ is the full gradient, or a minibatch
 * gradient when batchSize is given. The released code starts θ at ±10 with
 * random signs; the experiments start it at 10·sign(x0).
 */
import { tf } from '../../engine/tfjs.ts';
import { batchedGradient, checked, column } from '../common.ts';
import { OPTIONAL_BATCH_SIZE, type Sampler } from '../sampling.ts';
import type { OptimizerSpec, UpdateRule } from '../types.ts';
import { frameInputs } from './frame.ts';
import { clamp, type PerRow } from './quantisers.ts';

/** |ĝ| below this counts as no sign (the released code's 1e-3). */
const GRAD_FLOOR = 1e-3;

/** w(θ) = hardtanh((θ + β(1 + α)·sign θ)/(1 + β)); sign is tf.sign (0 at 0), as torch.sign. */
export function adasteForward<T extends tf.Tensor>(theta: T, alpha: PerRow, beta: PerRow): T {
  return tf.tidy(() => {
    const pushed = tf.add(theta, tf.mul(tf.mul(beta, tf.add(1, alpha)), tf.sign(theta)));
    return clamp(tf.div(pushed, tf.add(1, beta)), -1, 1);
  }) as T;
}

/**
 * The per-coordinate gradient scale s(θ, ĝ) of the module comment. `ab` is
 * αβ per row (a [B, 1] column); the branch is chosen per row.
 */
export function adasteScale<T extends tf.Tensor>(theta: T, g: T, alpha: PerRow, beta: PerRow): T {
  return tf.tidy(() => {
    const ab = tf.mul(alpha, beta);
    const absT = tf.abs(theta);
    const pos = tf.greater(g, GRAD_FLOOR), neg = tf.less(g, -GRAD_FLOOR);
    const half = (v: tf.Tensor) => clamp(v, 0, 0.5);
    // αβ ≥ 1.
    const bigPos = tf.greater(theta, GRAD_FLOOR), bigNeg = tf.less(theta, -GRAD_FLOOR);
    const agreeBig = tf.logicalOr(tf.logicalAnd(bigPos, pos), tf.logicalAnd(bigNeg, neg));
    const opposeBig = tf.logicalOr(tf.logicalAnd(bigPos, neg), tf.logicalAnd(bigNeg, pos));
    const wide = tf.where(opposeBig, tf.zerosLike(theta), tf.where(agreeBig, half(tf.div(1, absT)), tf.onesLike(theta)));
    // αβ < 1.
    const edge = tf.sub(1, ab);
    const outPos = tf.greater(theta, tf.maximum(1e-6, edge)), outNeg = tf.less(theta, tf.minimum(-1e-6, tf.neg(edge)));
    const midPos = tf.logicalAnd(tf.greater(theta, 1e-6), tf.less(theta, edge));
    const midNeg = tf.logicalAnd(tf.greater(theta, tf.neg(edge)), tf.less(theta, -1e-6));
    const opposeOut = tf.logicalOr(tf.logicalAnd(outPos, neg), tf.logicalAnd(outNeg, pos));
    const agreeOut = tf.logicalOr(tf.logicalAnd(outNeg, neg), tf.logicalAnd(outPos, pos));
    const agreeMid = tf.logicalOr(tf.logicalAnd(midNeg, neg), tf.logicalAnd(midPos, pos));
    const onePlusB = tf.add(1, beta);
    const outside = half(tf.div(tf.div(tf.add(tf.add(1, tf.mul(2, beta)), ab), onePlusB), absT));
    const middle = half(tf.div(tf.div(tf.sub(tf.mul(tf.mul(2, beta), tf.add(1, alpha)), theta), onePlusB), absT));
    // The released code assigns in this order: 0 for opposite signs, then the outer, then the middle formula.
    let narrow = tf.mul(tf.onesLike(theta), tf.div(1, onePlusB));
    narrow = tf.where(opposeOut, tf.zerosLike(theta), narrow);
    narrow = tf.where(agreeOut, outside, narrow);
    narrow = tf.where(agreeMid, middle, narrow);
    return tf.where(tf.greaterEqual(tf.mul(ab, tf.onesLike(theta)), 1), wide, narrow);
  }) as T;
}

interface AdasteState {
  cols: Record<'lr' | 'alpha' | 'beta' | 'momentum' | 'multiplier' | 'reweight', tf.Tensor2D>;
  /** μ per row, for the bias correction 1 − μ^k (float64). */
  mu: Float32Array;
  m: tf.Tensor2D;
  sampler: Sampler | null;
}

export const adaste: OptimizerSpec = {
  id: 'adaste',
  title: 'AdaSTE',
  description:
    'latent θ, network at w(θ) = hardtanh((θ + β(1+α)sign θ)/(1+β)); the gradient at w rescaled per coordinate by an adaptive straight-through factor, then a bias-corrected momentum step with a pull ρθ (Le, Høier, Lin, Zach 2022, as in the ASkewSGD paper\'s code).',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row)' },
    { name: 'alpha', meaning: 'α > 0 of w(θ) (per row)', default: 0.01 },
    { name: 'beta', meaning: 'β > 0 of w(θ) (per row); αβ ≥ 1 makes w(θ) = sign θ', default: 100 },
    { name: 'momentum', meaning: 'momentum μ in [0, 1) (per row)', default: 0.9 },
    { name: 'multiplier', meaning: 'N > 0, the gradient multiplier (the training-set size in the released code) (per row)', default: 1 },
    { name: 'reweight', meaning: 'ρ ≥ 0, the weight of the pull toward 0 in the momentum (per row)', default: 1 },
    OPTIONAL_BATCH_SIZE,
  ],
  uniform: ['batchSize'],
  rule: (hyper, ctx) => {
    const id = 'adaste';
    const { lr, minibatch } = frameInputs(hyper, ctx, id);
    const values = {
      lr,
      alpha: checked(hyper, 'alpha', id, '> 0', (v) => v > 0),
      beta: checked(hyper, 'beta', id, '> 0', (v) => v > 0),
      momentum: checked(hyper, 'momentum', id, 'in [0, 1)', (v) => v >= 0 && v < 1),
      multiplier: checked(hyper, 'multiplier', id, '> 0', (v) => v > 0),
      reweight: checked(hyper, 'reweight', id, '≥ 0', (v) => v >= 0),
    };
    const rule: UpdateRule<AdasteState> = {
      init(x) {
        const sampler = minibatch ? minibatch.open() : null;
        const cols = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, column(v)])) as AdasteState['cols'];
        return { cols, mu: values.momentum, m: tf.zerosLike(x), sampler };
      },
      update(loss, theta, state, k) {
        const objective = state.sampler ? state.sampler.objective : loss;
        const c = state.cols;
        // Bias correction 1 − μ^{k+1} per row, in float64.
        const correction = column(Float32Array.from(state.mu, (mu) => 1 - mu ** (k + 1)));
        const [next, m] = tf.tidy(() => {
          const g = batchedGradient(objective, adasteForward(theta, c.alpha, c.beta));
          const ghat = tf.mul(c.multiplier, tf.mul(adasteScale(theta, g, c.alpha, c.beta), g));
          const mNew = tf.add(tf.mul(c.momentum, state.m), tf.mul(tf.sub(1, c.momentum), tf.add(ghat, tf.mul(c.reweight, theta))));
          return [tf.sub(theta, tf.div(tf.mul(c.lr, mNew), correction)), mNew] as tf.Tensor2D[];
        });
        correction.dispose();
        state.m.dispose();
        return { x: next, state: { ...state, m } };
      },
      dispose(state) {
        tf.dispose(Object.values(state.cols));
        state.m.dispose();
        state.sampler?.dispose();
      },
    };
    return rule;
  },
};
