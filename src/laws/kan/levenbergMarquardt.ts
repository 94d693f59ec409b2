/**
 * Levenberg–Marquardt on a batch of least-squares problems (one per seed):
 * TensorFlow.js computes each model's residuals r and Jacobian J (float32)
 * and the normal equations JᵀJ, Jᵀr batched over seeds; the damped step
 *   (JᵀJ + λ(diag JᵀJ + εI)) δ = −Jᵀr
 * is solved in float64 and kept only when it lowers the seed's loss ‖r‖²
 * (λ shrinks after a kept step and grows after a refused one). A
 * second-order method, as Liu et al. trained KANs with L-BFGS: first-order
 * Adam stalls far above the spline approximation error at these sizes.
 */
import { tf } from '../../engine/backend.ts';
import { mat, solveSPD } from '../../numeric/linalg.ts';

/** A batch of S models with p parameters each (θ is S × p, row-major), fitted to n targets. */
export interface LeastSquaresBatch {
  S: number;
  p: number;
  /** Residuals f(x_i; θ_s) − y_i, shape [S, n, 1]. */
  residuals(theta: Float32Array): tf.Tensor3D;
  /** Residuals and the Jacobian ∂r/∂θ, shape [S, n, p]. */
  jacobian(theta: Float32Array): { r: tf.Tensor3D; J: tf.Tensor3D };
}

/** The least relative damping (see the step). */
const FLOOR = 1e-6;

/** Each seed's loss ‖r‖² (summed in float64). */
function losses(r: tf.Tensor3D, S: number): Float64Array {
  const v = r.dataSync(), n = v.length / S, out = new Float64Array(S);
  for (let s = 0; s < S; s++) for (let i = 0; i < n; i++) out[s] += v[s * n + i] ** 2;
  return out;
}

/** Runs `iterations` damped Gauss–Newton steps from θ (changed in place); returns each seed's final loss and how many steps it kept. */
export function levenbergMarquardt(model: LeastSquaresBatch, theta: Float32Array, iterations: number): { loss: Float64Array; kept: Int32Array } {
  const { S, p } = model;
  const lambda = new Float64Array(S).fill(1e-3);
  const kept = new Int32Array(S);
  let loss = (() => { const r = model.residuals(theta); const l = losses(r, S); r.dispose(); return l; })();
  for (let it = 0; it < iterations; it++) {
    const [AJ, gJ] = tf.tidy(() => {
      const { r, J } = model.jacobian(theta);
      return [tf.matMul(J, J, true, false), tf.matMul(J, r, true, false)];
    });
    const A = AJ.dataSync() as Float32Array, g = gJ.dataSync() as Float32Array;
    tf.dispose([AJ, gJ]);
    const trial = Float32Array.from(theta);
    for (let s = 0; s < S; s++) {
      const M = mat(p, p, Float64Array.from(A.subarray(s * p * p, (s + 1) * p * p)));
      let top = 0;
      for (let j = 0; j < p; j++) top = Math.max(top, M.data[j * p + j]);
      // JᵀJ carries float32 rounding (relative ~1e-7), so the damping never goes below FLOOR:
      // a smaller one could leave M indefinite.
      for (let j = 0; j < p; j++) M.data[j * p + j] += (lambda[s] + FLOOR) * M.data[j * p + j] + FLOOR * top;
      const rhs = Float64Array.from(g.subarray(s * p, (s + 1) * p), (v) => -v);
      let delta: Float64Array;
      try {
        delta = solveSPD(M, rhs);
      } catch {
        delta = new Float64Array(p).fill(NaN); // counted as a refused step below: λ grows
      }
      for (let j = 0; j < p; j++) trial[s * p + j] = theta[s * p + j] + delta[j];
    }
    const r = model.residuals(trial);
    const next = losses(r, S);
    r.dispose();
    for (let s = 0; s < S; s++) {
      if (next[s] < loss[s]) { // NaN (a failed solve) compares false
        theta.set(trial.subarray(s * p, (s + 1) * p), s * p);
        loss[s] = next[s];
        lambda[s] = Math.max(lambda[s] / 3, 1e-9);
        kept[s]++;
      } else lambda[s] = Math.min(lambda[s] * 4, 1e9);
    }
  }
  return { loss, kept };
}
