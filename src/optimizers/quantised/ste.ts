/**
 * Straight-through estimators (Bengio, Léonard, Courville 2013; the variants of
 * the Larq library): the forward pass is sign⁺ (sign with sign(0) = +1), the
 * backward pass replaces its zero-almost-everywhere derivative by
 * - identity:   ∂q/∂x := 1;
 * - clipped:    1{|x| ≤ 1} (Hubara et al. 2016);
 * - approxsign: 2 − 2|x| on |x| ≤ 1, else 0 (Bi-Real Net, Liu et al. 2018);
 * - swishsign:  β(2 − βx·tanh(βx/2)) / (1 + cosh βx) (BNN+, Darabi et al. 2018).
 *
 * SwishSign's backward is the derivative of SS_β(x) = 2σ(βx)(1 + βx(1 − σ(βx))) − 1
 * (σ the logistic sigmoid). With s = σ(βx), s' = βs(1 − s):
 *   SS' = 2βs(1 − s)(1 + βx(1 − s)) + 2s(β(1 − s) − β²x s(1 − s))
 *       = 2βs(1 − s)(2 + βx(1 − 2s)),
 * and s(1 − s) = 1/(2 + 2cosh βx), 1 − 2s = −tanh(βx/2), so
 *   SS' = β(2 − βx·tanh(βx/2)) / (1 + cosh βx).
 * (The test checks this against a central difference of SS_β.)
 */
import { tf } from '../../engine/tfjs.ts';
import { signPlusOne, type PerRow } from './quantisers.ts';

export const ESTIMATORS = ['identity', 'clipped', 'approxsign', 'swishsign'] as const;
export type Estimator = (typeof ESTIMATORS)[number];

/** The estimator's ∂q/∂x at x (β, a scalar or a [B, 1] column, is used by swishsign only). */
export function steGradient<T extends tf.Tensor>(estimator: Estimator, x: T, beta: PerRow): T {
  return tf.tidy(() => {
    switch (estimator) {
      case 'identity': return tf.onesLike(x);
      case 'clipped': return tf.cast(tf.lessEqual(tf.abs(x), 1), 'float32');
      // 2·max(1 − |x|, 0) is 2 − 2|x| on |x| ≤ 1 and 0 outside.
      case 'approxsign': return tf.mul(2, tf.relu(tf.sub(1, tf.abs(x))));
      case 'swishsign': {
        const bx = tf.mul(beta, x);
        // 1 + cosh βx overflows to ∞ for |βx| > 89 in float32, which gives the right limit 0.
        return tf.div(tf.mul(beta, tf.sub(2, tf.mul(bx, tf.tanh(tf.div(bx, 2))))), tf.add(1, tf.cosh(bx)));
      }
    }
  }) as T;
}

/**
 * q(x) = sign⁺(x) whose gradient (by tf.customGrad) is `estimator`'s ∂q/∂x times
 * the upstream gradient. The backward reads x from the closure instead of
 * customGrad's `save`: on the wasm backend `save` copies x inside the forward
 * pass, which tfjs's leak check (on here, IS_TEST) reports as a leak. So x must
 * still be alive at the backward pass, as it is when x is made in the function
 * tf.grad differentiates (not inside an inner tf.tidy around q).
 */
export function steSign(estimator: Estimator, beta: PerRow = 5): <T extends tf.Tensor>(x: T) => T {
  const q = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    return { value: signPlusOne(x), gradFunc: (dy: tf.Tensor) => tf.mul(dy, steGradient(estimator, x, beta)) };
  });
  return <T extends tf.Tensor>(x: T) => q(x) as T;
}
