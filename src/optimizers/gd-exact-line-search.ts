/**
 * Gradient descent with exact line search on a quadratic: x_{k+1} = x_k − γ_k g_k,
 * g_k = ∇f(x_k), γ_k = g_kᵀg_k / g_kᵀ∇²f g_k, the minimiser of f along −g_k
 * (de Klerk–Glineur–Taylor 2017, §1; Nocedal–Wright 2006 eq. 3.26).
 * ∇²f g is a Hessian-vector product by double backprop, ∇_x⟨∇f(x), v⟩ at v = g.
 */
import { tf } from '../engine/tfjs.ts';
import type { BatchedLoss } from '../classes/types.ts';
import { batchedGradient, checkRows } from './common.ts';
import type { OptimizerSpec, UpdateRule } from './types.ts';

/**
 * ∇²f_i(x_i) v_i for every row, by differentiating ⟨∇f(x), v⟩ (v held fixed).
 * Works for losses built from ops whose gradients are differentiable (matMul,
 * mul, sum, sub: checked on the wasm and cpu backends with tfjs 4.22).
 */
export function hessianVectorProduct(loss: BatchedLoss, x: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor2D {
  return tf.grad((z) => tf.sum(tf.mul(batchedGradient(loss, z as tf.Tensor2D), v)))(x) as tf.Tensor2D;
}

/**
 * The same product by a difference of gradients, (∇f(x + s v) − ∇f(x))/s,
 * for losses whose gradient tfjs cannot differentiate again. For a quadratic
 * the gradient is affine, so any s is exact in real arithmetic and the only
 * error is float32 cancellation: each gradient carries an absolute error of a
 * few ulps of its magnitude, so s is taken large, with s‖v‖ = max(‖x‖, 1), making
 * s·∇²f v as large as the gradients themselves (relative error ≈ κ·ε₃₂ rather
 * than ε₃₂/(s‖v‖)). Not used by the optimiser; kept as the checked fallback.
 */
export function hessianVectorProductByDifference(loss: BatchedLoss, x: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const vNorm = tf.norm(v, 'euclidean', 1, true);
    const scale = tf.maximum(tf.norm(x, 'euclidean', 1, true), 1);
    // Rows with v = 0 get s = 1 (their product is 0 whatever s is).
    const s = tf.where(tf.greater(vNorm, 0), tf.div(scale, vNorm), tf.onesLike(vNorm));
    const diff = tf.sub(batchedGradient(loss, tf.add(x, tf.mul(s, v))), batchedGradient(loss, x));
    return tf.div(diff, s) as tf.Tensor2D;
  });
}

/**
 * γ = gᵀg / gᵀHg per row as a [B, 1] column; 0 where g = 0 (x is already the
 * minimiser), NaN where g ≠ 0 but gᵀHg ≤ 0 (f is unbounded below along −g).
 */
export function exactStep(g: tf.Tensor2D, hg: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const gg = tf.sum(tf.mul(g, g), 1, true);
    const ghg = tf.sum(tf.mul(g, hg), 1, true);
    // On a PSD quadratic gᵀHg ≤ 0 with g ≠ 0 happens only when float32 underflows
    // (g ~ 1e-20 squares to subnormals): no exact step is computable, so none is taken.
    const ratio = tf.where(tf.greater(ghg, 0), tf.div(gg, ghg), tf.zerosLike(gg));
    return tf.where(tf.equal(gg, 0), tf.zerosLike(gg), ratio) as tf.Tensor2D;
  });
}

export const gdExactLineSearch: OptimizerSpec = {
  id: 'gd-exact-line-search',
  title: 'Gradient descent with exact line search (quadratics)',
  description:
    'x_{k+1} = x_k − γ_k∇f(x_k), γ_k = gᵀg/gᵀ∇²f g, exact on quadratics (de Klerk–Glineur–Taylor 2017); Hessian-vector product by double backprop.',
  implementation: 'own',
  hyper: [],
  uniform: [],
  rule: (hyper, ctx): UpdateRule<null> => {
    checkRows(hyper, ctx.B, 'gd-exact-line-search');
    const bad = ctx.instances.findIndex((inst) => !inst.cert.quadratic);
    if (bad >= 0)
      throw new Error(
        `optimizer 'gd-exact-line-search' needs quadratic instances (the step gᵀg/gᵀHg is the exact minimiser only then); row ${bad} of family '${ctx.family.id}' is not certified quadratic`,
      );
    return {
      init: () => null,
      update: (loss, x) => ({
        x: tf.tidy(() => {
          const g = batchedGradient(loss, x);
          return tf.sub(x, tf.mul(exactStep(g, hessianVectorProduct(loss, x, g)), g));
        }),
        state: null,
      }),
      dispose: () => {},
    };
  },
};
