/** The distillation law's defaults (its own module so the catalogue loads without TensorFlow.js). */
export const DISTILLATION_DEFAULTS = {
  /** Training set sizes n, all below the dimension d (so the span of the inputs is a proper subspace). */
  samples: [4, 8, 16],
  seeds: 16,
  d: 64,
  /** Teacher weights w* ~ N(0, teacherScale² I); inputs x ~ N(0, I/d). */
  teacherScale: 0.5,
  /** Steps: until the bound on ‖w − ŵ‖² has fallen by e^decay. */
  decay: 8,
};

/** Distillation into a low-rank student: defaults. */
export const LOW_RANK_DISTILLATION_DEFAULTS = {
  /** Student ranks r. */
  ranks: [1, 2, 3, 4],
  seeds: 8,
  /** Inputs d, outputs k, labelled training points n, label noise σ. */
  d: 24,
  k: 12,
  n: 96,
  noise: 0.5,
  /** Input covariance eigenvalues j^(−inputDecay) (anisotropic inputs), teacher-truth singular values j^(−1/2). */
  inputDecay: 1.5,
  /** Adam steps (lr 0.02) for each trained student. */
  steps: 800,
};
