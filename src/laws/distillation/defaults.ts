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
