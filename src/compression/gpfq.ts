/**
 * GPFQ, greedy path-following quantisation of one layer (Lybrand & Saab, "A
 * greedy algorithm for quantizing neural networks", JMLR 2021; Zhang, Zhou &
 * Saab, "Post-training quantization for neural networks with provable
 * guarantees", SIAM J. Math. Data Sci. 2023).
 *
 * Per neuron w ∈ R^{N0}, with X (m × N0, columns X_t) the layer's input in the
 * analog network and X̃ the input the already-quantised network feeds it
 * (X̃ = X for a first layer):
 *   u_0 = 0,
 *   q_t = Q_A(⟨X̃_t, u_{t−1} + w_t X_t⟩ / ‖X̃_t‖²),
 *   u_t = u_{t−1} + w_t X_t − q_t X̃_t,
 * so q_t is the level whose X̃_t best cancels the running error, and summing
 * the updates gives u_N = Xw − X̃q: the last state is the output error.
 */
import { dot, mat, matVec, sub, type Mat, type Vec } from '../numeric/linalg.ts';
import { nearestLevel, type Alphabet } from './alphabet.ts';

export interface GpfqNeuron {
  /** The quantised weights, each in the alphabet. */
  q: Vec;
  /** The final state u_N (length m), equal to Xw − X̃q. */
  u: Vec;
}

/**
 * Quantise one neuron.
 * @param w  the neuron's weights (length N0)
 * @param X  the layer input of the analog network, m × N0
 * @param a  the alphabet
 * @param Xq the layer input of the quantised network X̃ (m × N0); X by default
 */
export function gpfqNeuron(w: ArrayLike<number>, X: Mat, a: Alphabet, Xq: Mat = X): GpfqNeuron {
  checkShapes(w.length, X, Xq);
  return pathFollow(w, X, Xq, columnNorms2(Xq), a);
}

export interface GpfqLayer {
  /** Quantised weights, one neuron per row (N1 × N0). */
  Q: Mat;
  /** Final states, one neuron per row (N1 × m). */
  U: Mat;
}

/** Quantise every neuron (row) of W (N1 × N0); neurons are independent given X and X̃. */
export function gpfqLayer(W: Mat, X: Mat, a: Alphabet, Xq: Mat = X): GpfqLayer {
  checkShapes(W.cols, X, Xq);
  const norms2 = columnNorms2(Xq);
  const Q = mat(W.rows, W.cols), U = mat(W.rows, X.rows);
  for (let j = 0; j < W.rows; j++) {
    const { q, u } = pathFollow(W.data.subarray(j * W.cols, (j + 1) * W.cols), X, Xq, norms2, a);
    Q.data.set(q, j * W.cols);
    U.data.set(u, j * X.rows);
  }
  return { Q, U };
}

/** ‖Xw − X̃q‖² / ‖Xw‖²: the relative squared error of the neuron's output. */
export function relativeOutputError(w: ArrayLike<number>, q: ArrayLike<number>, X: Mat, Xq: Mat = X): number {
  const y = matVec(X, w), e = sub(y, matVec(Xq, q));
  return dot(e, e) / dot(y, y);
}

function pathFollow(w: ArrayLike<number>, X: Mat, Xq: Mat, norms2: Vec, a: Alphabet): GpfqNeuron {
  const m = X.rows, n = X.cols, x = X.data, xq = Xq.data;
  const u = new Float64Array(m), q = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const wt = w[t];
    let s = 0;
    for (let i = 0; i < m; i++) s += xq[i * n + t] * (u[i] + wt * x[i * n + t]);
    // A zero column of X̃ has no say in the output; 0 is what the reference code picks.
    const qt = norms2[t] > 0 ? nearestLevel(a, s / norms2[t]) : 0;
    q[t] = qt;
    for (let i = 0; i < m; i++) u[i] += wt * x[i * n + t] - qt * xq[i * n + t];
  }
  return { q, u };
}

/** ‖X̃_t‖² for every column t, once per layer. */
function columnNorms2(X: Mat): Vec {
  const r = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++)
    for (let t = 0; t < X.cols; t++) r[t] += X.data[i * X.cols + t] ** 2;
  return r;
}

function checkShapes(n0: number, X: Mat, Xq: Mat): void {
  if (X.cols !== n0) throw new Error(`gpfq: X has ${X.cols} columns but the neuron has ${n0} weights`);
  if (Xq.rows !== X.rows || Xq.cols !== X.cols)
    throw new Error(`gpfq: X̃ is ${Xq.rows} × ${Xq.cols} but X is ${X.rows} × ${X.cols}`);
}
