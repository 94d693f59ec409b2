/**
 * One SGD step at a single example, on real TensorFlow.js, for the two
 * models He and Su compare: the two-layer ReLU network of twoLayer.ts with
 * both layers trained, and a linear model f(x) = v·x. The gradient of
 * ½(f(x) − y)² is taken once by autodiff in float32 and the step δ = −η·g
 * formed by TensorFlow.js for every step size η; θ + δ and the predictions
 * before and after are evaluated in float64. Rounding θ + δ to float32 would
 * move a step of relative size 1e-4 by about 1e-7/1e-4 of itself, a floor
 * of ~1e-5 under the identity's error (measured); in float64 the float32
 * gradient's own rounding, proportional to η, is all that remains.
 */
import { tf } from '../../engine/backend.ts';
import { tidyValues } from '../../engine/tfjs.ts';

export interface Network { m: number; d: number; W: Float64Array; a: Float64Array }

/** f(x) = (1/√m) Σ_r a_r relu(w_r·x), in float64. */
export function networkOutput(net: Network, x: ArrayLike<number>): number {
  const { m, d, W, a } = net;
  let s = 0;
  for (let r = 0; r < m; r++) {
    let z = 0;
    for (let k = 0; k < d; k++) z += W[r * d + k] * x[k];
    if (z > 0) s += a[r] * z;
  }
  return s / Math.sqrt(m);
}

/** The empirical NTK of both layers, Θ(x, x′) = ∇_θ f(x)·∇_θ f(x′), in float64. */
export function networkNtk(net: Network, x: ArrayLike<number>, xp: ArrayLike<number>): number {
  const { m, d, W, a } = net;
  let xx = 0;
  for (let k = 0; k < d; k++) xx += x[k] * xp[k];
  let s = 0;
  for (let r = 0; r < m; r++) {
    let z = 0, zp = 0;
    for (let k = 0; k < d; k++) { z += W[r * d + k] * x[k]; zp += W[r * d + k] * xp[k]; }
    if (z > 0 && zp > 0) s += z * zp + a[r] * a[r] * xx;
  }
  return s / m;
}

export interface NetworkGradient { W: Float32Array; a: Float32Array }

/** ∇_θ ½(f(x) − y)² by TensorFlow.js autodiff (float32). */
export function networkGradient(net: Network, x: ArrayLike<number>, y: number): NetworkGradient {
  const { m, d } = net;
  const [gW, ga] = tf.tidy(() => {
    const W = tf.tensor2d(Float32Array.from(net.W), [m, d]);
    const a = tf.tensor1d(Float32Array.from(net.a));
    const xs = tf.tensor2d(Float32Array.from(x), [d, 1]);
    const loss = (w: tf.Tensor, b: tf.Tensor) =>
      tf.mul(0.5, tf.square(tf.sub(tf.div(tf.sum(tf.mul(b, tf.relu(tf.reshape(tf.matMul(w as tf.Tensor2D, xs), [m])))), Math.sqrt(m)), y))) as tf.Scalar;
    return tf.grads(loss)([W, a]);
  });
  const out = { W: gW.dataSync() as Float32Array, a: ga.dataSync() as Float32Array };
  tf.dispose([gW, ga]);
  return out;
}

/** The network after the SGD step θ − η·g (the step η·g from TensorFlow.js in float32, added in float64). */
export function networkStep(net: Network, g: NetworkGradient, eta: number): Network {
  const step = (v: Float32Array) => tidyValues(() => tf.mul(tf.tensor1d(v), -eta));
  const sW = step(g.W), sa = step(g.a);
  return { m: net.m, d: net.d, W: Float64Array.from(net.W, (v, i) => v + sW[i]), a: Float64Array.from(net.a, (v, i) => v + sa[i]) };
}

/**
 * The smallest step η > 0 at which a neuron's activation at one of the
 * points flips along θ − η·g: below it f is a quadratic in η at those
 * points (the a·w products), so the first-order identity's error is
 * exactly O(η); above it a ReLU kink adds a piece of its own.
 */
export function firstFlip(net: Network, g: NetworkGradient, points: readonly ArrayLike<number>[]): number {
  const { m, d, W } = net;
  let eta = Infinity;
  for (const p of points) {
    for (let r = 0; r < m; r++) {
      let z = 0, dz = 0;
      for (let k = 0; k < d; k++) { z += W[r * d + k] * p[k]; dz += g.W[r * d + k] * p[k]; }
      const at = z / dz; // z − η·dz = 0
      if (at > 0 && at < eta) eta = at;
    }
  }
  return eta;
}

/** The linear model's weights after one SGD step at (x, y) (the step from TensorFlow.js, added in float64). */
export function linearStep(v: ArrayLike<number>, x: ArrayLike<number>, y: number, eta: number): Float64Array {
  const step = tidyValues(() => {
    const w = tf.tensor1d(Float32Array.from(v));
    const xs = tf.tensor1d(Float32Array.from(x));
    const g = tf.grad((u: tf.Tensor) => tf.mul(0.5, tf.square(tf.sub(tf.sum(tf.mul(u, xs)), y))) as tf.Scalar)(w);
    return tf.mul(g, -eta);
  });
  return Float64Array.from(v, (vi, i) => vi + step[i]);
}

export const linearOutput = (v: ArrayLike<number>, x: ArrayLike<number>): number => {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += v[k] * x[k];
  return s;
};
