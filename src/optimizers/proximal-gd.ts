/**
 * Proximal gradient descent (ISTA), x_{t+1} = prox_{γg}(x_t − γ∇f(x_t)). With a
 * weight `l1`, g = ℓ₁·‖x‖₁, whose prox is the soft threshold
 * S_τ(z) = sign(z)·max(|z| − τ, 0), τ = γℓ₁ (Beck–Teboulle 2009, eq. 1.4;
 * Parikh–Boyd 2014 §6.5.2). Without it, g is the problem's own nonsmooth term
 * (a composite family's instances, F = f + h): its batched proximal map comes
 * from the family (Family.tfProx), so the rule stays a pure init/update pair.
 */
import { tf } from '../engine/tfjs.ts';
import type { BatchedProx } from '../classes/types.ts';
import { batchedGradient, checkRows, column, required } from './common.ts';
import type { OptimizerSpec, RuleContext, UpdateRule } from './types.ts';

/** S_τ(z) = sign(z)·max(|z| − τ, 0), τ a [B, 1] column (or a scalar). */
export function softThreshold(z: tf.Tensor2D, tau: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sign(z), tf.relu(tf.sub(tf.abs(z), tau))));
}

/**
 * The proximal map of the problem's nonsmooth term for a rule's rows, or null when the
 * problem has none (then only an explicit term such as ℓ₁ can be used).
 */
export function problemProx(ctx: RuleContext): BatchedProx | null {
  const some = ctx.instances.filter((inst) => inst.nonsmooth).length;
  if (some === 0) return null;
  if (some < ctx.instances.length || !ctx.family.tfProx) throw new Error(`family '${ctx.family.id}': some instances have a nonsmooth term and the family gives no batched prox for all of them`);
  return ctx.family.tfProx(ctx.instances);
}

export interface ProximalState {
  lr: tf.Tensor2D;
  /** τ = γ·ℓ₁ per row (the ℓ₁ term), or null (the problem's own term). */
  tau: tf.Tensor2D | null;
}

export const proximalGd: OptimizerSpec = {
  id: 'proximal-gd',
  title: 'Proximal gradient descent (ISTA) with an ℓ₁ term or the problem’s own',
  description:
    'x_{t+1} = prox_{γg}(x_t − γ∇f(x_t)), g = ℓ₁‖x‖₁ with prox the soft threshold at γℓ₁ (Beck–Teboulle 2009; Parikh–Boyd 2014 §6.5.2), or, without ℓ₁, the nonsmooth term h of a composite problem F = f + h.',
  implementation: 'own',
  hyper: [
    { name: 'lr', meaning: 'step size γ (per row)' },
    { name: 'l1', meaning: 'weight ℓ₁ ≥ 0 of the ‖x‖₁ term g (per row); left out: g is the problem’s nonsmooth term h (a composite family)', optional: true },
  ],
  uniform: [],
  rule: (hyper, ctx): UpdateRule<ProximalState> => {
    checkRows(hyper, ctx.B, 'proximal-gd');
    const lr = required(hyper, 'lr', 'proximal-gd');
    const own = problemProx(ctx);
    const l1 = hyper.l1;
    if (l1 && own) throw new Error(`optimizer 'proximal-gd': the problem (family '${ctx.family.id}') has its own nonsmooth term; leave 'l1' out`);
    if (!l1 && !own) throw new Error(`optimizer 'proximal-gd': give 'l1' (the weight of ‖x‖₁), or run it on a composite problem whose family brings its nonsmooth term`);
    const tau = l1 ? lr.map((g, i) => g * l1[i]) : null;
    const prox = (z: tf.Tensor2D, state: ProximalState): tf.Tensor2D => (state.tau ? softThreshold(z, state.tau) : own!(z, lr));
    return {
      init: () => ({ lr: column(lr), tau: tau ? column(tau) : null }),
      update: (loss, x, state) => ({
        x: tf.tidy(() => prox(tf.sub(x, tf.mul(state.lr, batchedGradient(loss, x))), state)),
        state,
      }),
      dispose: (state) => tf.dispose([state.lr, ...(state.tau ? [state.tau] : [])]),
    };
  },
};
