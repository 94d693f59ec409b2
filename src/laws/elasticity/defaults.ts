/** The local-elasticity law's defaults (its own module so the catalogue loads without TensorFlow.js). */
export const ELASTICITY_DEFAULTS = {
  /** Step sizes η = ηmax/k for these k (ηmax: below the first activation flip, at most 1/(8·Θ(x, x))). */
  steps: [1, 2, 4, 8, 16, 32],
  seeds: 32,
  width: 64,
  d: 8,
  perClass: 20,
  spread: 0.4,
};
