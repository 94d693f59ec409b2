/**
 * Best rank-r approximation of a weight matrix by truncated SVD, and the
 * Eckart–Young–Mirsky theorem it attains (Eckart & Young, Psychometrika 1936;
 * Mirsky 1960; Golub & Van Loan, Matrix Computations, Thm 2.4.8): for
 * W = Σ_i σ_i u_i v_iᵀ and W_r = Σ_{i≤r} σ_i u_i v_iᵀ, every B of rank ≤ r has
 *   ‖W − B‖_F² ≥ ‖W − W_r‖_F² = Σ_{i>r} σ_i²   and   ‖W − B‖_2 ≥ ‖W − W_r‖_2 = σ_{r+1}.
 *
 * The SVD comes from the symmetric Jacobi eigen-solver of linalg.ts applied
 * to WᵀW = V Σ² Vᵀ: the right factor is V_rᵀ and the left one is W V_r = U_r Σ_r,
 * a product, so no division by a small σ. The price of the Gram matrix is
 * absolute (not relative) accuracy: σ_i² is right to about n·ε·‖W‖², so a
 * σ_i below √ε·‖W‖ is noise. Cost O(cols³) per Jacobi sweep: small layers only.
 */
import { gram, mat, matMul, norm, randomOrthogonal, spectralNorm, sub, symEig, transpose, type Mat, type Vec } from '../numeric/linalg.ts';
import type { Rng } from '../numeric/rng.ts';

export interface LowRankApproximation {
  rank: number;
  /** U_r Σ_r (rows × r), computed as W V_r. */
  left: Mat;
  /** V_rᵀ (r × cols), orthonormal rows. */
  right: Mat;
  /** σ_1 ≥ … ≥ σ_k, k = min(rows, cols). */
  singularValues: Vec;
  /** ‖W − left·right‖ measured on the residual itself. */
  error: { frobenius: number; spectral: number };
  /** What Eckart–Young says the error is: √(Σ_{i>r} σ_i²) and σ_{r+1} (0 once r ≥ k). */
  eckartYoung: { frobenius: number; spectral: number };
}

/** The truncated SVD W_r = (U_r Σ_r) V_rᵀ for 0 ≤ r ≤ min(rows, cols). */
export function lowRankApproximation(W: Mat, r: number): LowRankApproximation {
  const k = Math.min(W.rows, W.cols);
  if (!Number.isInteger(r) || r < 0 || r > k) throw new Error(`lowRankApproximation: rank must be an integer in [0, ${k}], got ${r}`);
  const { squares, sigma, vectors } = gramSpectrum(W);
  const n = W.cols;
  const right = mat(r, n);
  for (let i = 0; i < r; i++) for (let j = 0; j < n; j++) right.data[i * n + j] = vectors.data[j * n + i];
  const left = matMul(W, transpose(right));
  const residual = mat(W.rows, n, sub(W.data, matMul(left, right).data));
  let tail = 0;
  for (let i = r; i < k; i++) tail += squares[i];
  return {
    rank: r,
    left,
    right,
    singularValues: sigma,
    error: { frobenius: norm(residual.data), spectral: spectralNorm(residual) },
    eckartYoung: { frobenius: Math.sqrt(tail), spectral: r < k ? Math.sqrt(squares[r]) : 0 },
  };
}

/** σ_1 ≥ … ≥ σ_k of W, k = min(rows, cols). */
export const singularValues = (W: Mat): Vec => gramSpectrum(W).sigma;

/**
 * Eigenvalues of WᵀW, descending and clipped at 0 (rounding can make a zero
 * one slightly negative), with their eigenvectors as columns in that order;
 * σ are the square roots of the first min(rows, cols).
 */
function gramSpectrum(W: Mat): { squares: Vec; sigma: Vec; vectors: Mat } {
  const { values, vectors } = symEig(gram(W));
  const n = W.cols, v = mat(n, n);
  // symEig sorts ascending; reverse the order of values and columns.
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v.data[i * n + j] = vectors.data[i * n + (n - 1 - j)];
  const squares = Float64Array.from(values, (_, j) => Math.max(0, values[n - 1 - j]));
  return { squares, sigma: squares.slice(0, Math.min(W.rows, n)).map(Math.sqrt), vectors: v };
}

/**
 * U diag(σ) Vᵀ with Haar-random U (rows × k) and V (cols × k), k = σ.length:
 * a matrix with exactly the singular values σ (repeated ones and zeros allowed).
 */
export function matrixWithSingularValues(rows: number, cols: number, sigma: ArrayLike<number>, rng: Rng): Mat {
  const k = sigma.length;
  if (k > Math.min(rows, cols)) throw new Error(`matrixWithSingularValues: ${k} singular values for a ${rows} × ${cols} matrix`);
  const U = randomOrthogonal(rows, rng), V = randomOrthogonal(cols, rng), W = mat(rows, cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += U.data[i * rows + l] * sigma[l] * V.data[j * cols + l];
      W.data[i * cols + j] = s;
    }
  return W;
}
