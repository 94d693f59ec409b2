/**
 * Proximal gradient descent (ISTA), x_{t+1} = prox_{γg}(x_t − γ∇f(x_t)) with
 * g = ℓ₁·‖x‖₁, whose prox is the soft threshold S_τ(z) = sign(z)·max(|z| − τ, 0),
 * τ = γℓ₁ (Beck–Teboulle 2009, eq. 1.4; Parikh–Boyd 2014 §6.5.2).
 */
import { tf } from '../engine/tfjs.ts';
import { batchedGradient, checkRows, column, required } from './common.ts';
import type { OptimizerSpec, UpdateRule } from './types.ts';

/** S_τ(z) = sign(z)·max(|z| − τ, 0), τ a [B, 1] column (or a scalar). */
export function softThreshold(z: tf.Tensor2D, tau: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sign(z), tf.relu(tf.sub(tf.abs(z), tau))));
}

export interface ProximalState {
  lr: tf.Tensor2D;
  /** τ = γ·ℓ₁ per row. */
  tau: tf.Tensor2D;
}

export const proximalGd: OptimizerSpec = {
  id: 'proximal-gd',
  title: 'Proximal gradient descent (ISTA) with an ℓ₁ term',
  description:
    'x_{t+1} = prox_{γg}(x_t − γ∇f(x_t)), g = ℓ₁‖x‖₁, prox = soft threshold at γℓ₁ (Beck–Teboulle 2009; Parikh–Boyd 2014 §6.5.2).',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row)' },
    { name: 'l1', meaning: 'weight ℓ₁ ≥ 0 of the ‖x‖₁ term g (per row)' },
  ],
  uniform: [],
  rule: (hyper, ctx): UpdateRule<ProximalState> => {
    checkRows(hyper, ctx.B, 'proximal-gd');
    const lr = required(hyper, 'lr', 'proximal-gd');
    const l1 = required(hyper, 'l1', 'proximal-gd');
    const tau = lr.map((g, i) => g * l1[i]);
    return {
      init: () => ({ lr: column(lr), tau: column(tau) }),
      update: (loss, x, state) => ({
        x: tf.tidy(() => softThreshold(tf.sub(x, tf.mul(state.lr, batchedGradient(loss, x))), state.tau)),
        state,
      }),
      dispose: (state) => tf.dispose([state.lr, state.tau]),
    };
  },
};
