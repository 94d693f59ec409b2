/**
 * Nesterov's accelerated gradient. Without `momentum`: FISTA without prox
 * (Beck–Teboulle 2009, eq. 4.1–4.3): x_t = y_t − γ∇f(y_t), λ_1 = 1,
 * λ_{t+1} = (1 + √(1 + 4λ_t²))/2, y_{t+1} = x_t + ((λ_t − 1)/λ_{t+1})(x_t − x_{t−1}), y_1 = x_0.
 * With a per-row `momentum` β: x_{k+1} = y_k − γ∇f(y_k), y_{k+1} = x_{k+1} + β(x_{k+1} − x_k),
 * y_0 = x_0 (Nesterov 2018 scheme 2.2.22, constant step). In both, the iterate after t updates is x_t.
 * On a composite problem F = f + h (a family whose instances carry a nonsmooth
 * term) the gradient step is followed by h's proximal map,
 * x_t = prox_{γh}(y_t − γ∇f(y_t)): FISTA itself (Beck–Teboulle 2009, eq. 4.1).
 */
import { tf } from '../engine/tfjs.ts';
import type { BatchedProx } from '../classes/types.ts';
import { batchedGradient, checkRows, column, required } from './common.ts';
import { problemProx } from './proximal-gd.ts';
import type { OptimizerSpec, UpdateRule } from './types.ts';

/** λ_{t+1} from λ_t (Beck–Teboulle 2009, eq. 4.2). */
export const nextLambda = (lambda: number): number => (1 + Math.sqrt(1 + 4 * lambda * lambda)) / 2;

export interface NesterovState {
  /** The point the next gradient is taken at (y_t). */
  y: tf.Tensor2D;
  /** FISTA's λ_t (unused with constant momentum). */
  lambda: number;
  lr: tf.Tensor2D;
  /** Constant per-row momentum β as a [B, 1] column, or null for FISTA's schedule. */
  beta: tf.Tensor2D | null;
}

function nesterovRule(lr: Float32Array, beta: Float32Array | undefined, prox: BatchedProx | null): UpdateRule<NesterovState> {
  return {
    init: (x) => ({ y: tf.clone(x), lambda: 1, lr: column(lr), beta: beta ? column(beta) : null }),
    update(loss, x, state) {
      const lambdaNext = nextLambda(state.lambda);
      const [xNext, yNext] = tf.tidy(() => {
        const step = tf.sub(state.y, tf.mul(state.lr, batchedGradient(loss, state.y))) as tf.Tensor2D;
        const xNew = prox ? prox(step, lr) : step;
        const coef = state.beta ?? tf.scalar((state.lambda - 1) / lambdaNext);
        return [xNew, tf.add(xNew, tf.mul(coef, tf.sub(xNew, x)))] as [tf.Tensor2D, tf.Tensor2D];
      });
      state.y.dispose();
      return { x: xNext, state: { ...state, y: yNext, lambda: lambdaNext } };
    },
    dispose(state) {
      state.y.dispose();
      state.lr.dispose();
      state.beta?.dispose();
    },
  };
}

export const nesterov: OptimizerSpec = {
  id: 'nesterov',
  title: 'Nesterov accelerated gradient (FISTA, or constant momentum)',
  description:
    'x_t = y_t − γ∇f(y_t), y_{t+1} = x_t + c_t(x_t − x_{t−1}), y_1 = x_0, with c_t = (λ_t − 1)/λ_{t+1} (Beck–Teboulle 2009) or a constant momentum β (Nesterov 2018 §2.2); on a composite problem f + h, x_t = prox_{γh}(y_t − γ∇f(y_t)) (FISTA).',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row), 1/L in the theorems' },
    {
      name: 'momentum',
      meaning: 'constant momentum β (per row), e.g. (√L − √μ)/(√L + √μ); left out: FISTA’s λ schedule',
      optional: true,
    },
  ],
  uniform: [],
  rule: (hyper, ctx) => {
    checkRows(hyper, ctx.B, 'nesterov');
    return nesterovRule(required(hyper, 'lr', 'nesterov'), hyper.momentum, problemProx(ctx));
  },
};
