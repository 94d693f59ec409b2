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

/** The resolution-limited scaling law's defaults. */
export const RESOLUTION_DEFAULTS = {
  /** Student sizes P (random ReLU features, the last layer fitted). */
  features: [16, 32, 64, 128],
  seeds: 8,
  /** Intrinsic dimension d of the data manifold (a d-cube), the ambient dimension it is embedded in, the teacher's width. */
  manifoldDimension: 2,
  ambientDimension: 8,
  teacherWidth: 32,
  /** Training and test points per seed: the training set ≥ 32 P so the loss is limited by P, not by the data. */
  train: 4096,
  test: 4096,
};
