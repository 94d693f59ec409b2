/** The KAN grid-scaling law's defaults (its own module so the catalogue loads without TensorFlow.js). */
export const KAN_DEFAULTS = {
  /**
   * Grid sizes G (intervals of every edge's spline), refined in this order by grid extension from
   * a warm-up grid of 3. From 6: at G = 4 the error is still pre-asymptotic (local slope about −5).
   */
  grids: [6, 8, 12, 16, 24],
  seeds: 6,
  /** Training and test points, uniform on [−1, 1]². */
  train: 1000,
  test: 1000,
  /** Levenberg–Marquardt steps at each grid size, twice that at the warm-up grid (20 reach the grid's error floor: 30 and 40 gave the same errors to 2 digits). */
  iterations: 20,
  /** Levenberg–Marquardt steps of the MLP at each size (from scratch; its error still falls slowly at 60). */
  mlpIterations: 60,
  /** Random starts per seed at the warm-up grid G = 3 (the one with the least training loss is kept). */
  starts: 8,
  /** Largest grid allowed: beyond it the predicted RMSE (~1e-6) reaches float32's resolution. */
  maxGrid: 32,
};
