/** The variance-limited scaling law's defaults (its own module so the catalogue loads without TensorFlow.js). */
export const SCALING_DEFAULTS = {
  /** Training set sizes D. */
  samples: [512, 1024, 2048, 4096, 8192],
  seeds: 32,
  /** Student features P (a frozen random ReLU layer, whitened), teacher width, intrinsic dimension of the data manifold. */
  features: 32,
  teacherWidth: 64,
  manifoldDimension: 2,
  /** The population: a fixed sample this large, from which training sets are drawn with replacement. */
  population: 65536,
};
