/**
 * The law checks by id, as data: what each varies, its defaults and ranges.
 * Running one loads its module (and TensorFlow.js) only then, so listing and
 * usage errors stay fast.
 */
import type { Law } from './types.ts';
import { DISTILLATION_DEFAULTS, LOW_RANK_DISTILLATION_DEFAULTS } from './distillation/defaults.ts';
import { ELASTICITY_DEFAULTS } from './elasticity/defaults.ts';
import { KAN_DEFAULTS } from './kan/defaults.ts';
import { RESOLUTION_DEFAULTS, SCALING_DEFAULTS } from './scaling/defaults.ts';
import { LAZY_DEFAULTS } from './wide/defaults.ts';

export const lazyTraining: Law = {
  id: 'lazy-training',
  title: 'Lazy training of wide two-layer networks (NTK) and the Du et al. linear rate',
  summary: 'weights and empirical NTK move as width^(−1/2); ‖y − u(k)‖² ≤ exp(−ηλ0 k)‖y − u(0)‖² at every step',
  sizes: { option: 'widths', min: 2, max: 16384, defaults: LAZY_DEFAULTS.widths },
  seeds: { min: 1, max: 64, default: LAZY_DEFAULTS.seeds },
  describe: `n ${LAZY_DEFAULTS.n} points on S^${LAZY_DEFAULTS.d - 1}, η = 1/λmax(H∞), steps until the bound falls by e^${LAZY_DEFAULTS.decay}; exponents fitted from width ${LAZY_DEFAULTS.fitFrom}, bound claimed from width ${LAZY_DEFAULTS.holdsFrom}`,
  tensorflow: true,
  inDefaultReport: true,
  run: async (opts) => (await import('./wide/lazyTraining.ts')).lazyTrainingCheck(opts),
};

export const localElasticity: Law = {
  id: 'local-elasticity',
  title: 'Local elasticity of a two-layer ReLU network against a linear model, and its first-order NTK identity',
  summary: 'after an SGD step at x: same-class predictions move more than other-class (network, not linear); Δf(x′)/Δf(x) → Θ(x,x′)/Θ(x,x) with error ∝ η',
  sizes: { option: 'steps', min: 1, max: 1 << 20, defaults: ELASTICITY_DEFAULTS.steps },
  seeds: { min: 1, max: 256, default: ELASTICITY_DEFAULTS.seeds },
  describe: `step sizes η = ηmax/k for the k given by --steps (ηmax below the first ReLU flip at x or x′, at most 1/(8·Θ(x,x))); width ${ELASTICITY_DEFAULTS.width}; two antipodal clusters of ${ELASTICITY_DEFAULTS.perClass} points in R^${ELASTICITY_DEFAULTS.d}`,
  tensorflow: true,
  inDefaultReport: true,
  run: async (opts) => (await import('./elasticity/localElasticity.ts')).localElasticityCheck(opts),
};

export const distillation: Law = {
  id: 'distillation',
  title: 'Distillation into a linear student: convergence to the teacher projected onto the span of the data',
  summary: '‖w_t − P w*‖² ≤ (1 − μ/L)^t ‖w_0 − P w*‖² at every step of gradient descent on the soft-label cross-entropy',
  sizes: { option: 'samples', min: 2, max: DISTILLATION_DEFAULTS.d / 2, defaults: DISTILLATION_DEFAULTS.samples }, // beyond d/2 the rate μ/L (∝ λ⁺min/λmax of XᵀX) needs ~10⁵ steps
  seeds: { min: 1, max: 64, default: DISTILLATION_DEFAULTS.seeds },
  describe: `d ${DISTILLATION_DEFAULTS.d}, teacher w* ~ N(0, ${DISTILLATION_DEFAULTS.teacherScale ** 2}I), inputs N(0, I/d), step 1/L, steps until the bound falls by e^${DISTILLATION_DEFAULTS.decay}`,
  tensorflow: true,
  inDefaultReport: true,
  run: async (opts) => (await import('./distillation/linearStudent.ts')).distillationCheck(opts),
};

export const varianceLimited: Law = {
  id: 'scaling',
  title: 'Variance-limited scaling: excess loss of a fixed model against the dataset size',
  summary: 'teacher–student on a 2-dimensional manifold: L(D) − L(∞) ∝ D^(−1) for a fixed random-feature ReLU student trained by gradient descent',
  sizes: { option: 'samples', min: 2 * SCALING_DEFAULTS.features, max: 16384, defaults: SCALING_DEFAULTS.samples },
  seeds: { min: 1, max: 64, default: SCALING_DEFAULTS.seeds },
  describe: `P ${SCALING_DEFAULTS.features} whitened random ReLU features, tanh teacher of width ${SCALING_DEFAULTS.teacherWidth} on S^${SCALING_DEFAULTS.manifoldDimension}, population ${SCALING_DEFAULTS.population} points, training sets drawn with replacement`,
  tensorflow: true,
  inDefaultReport: true,
  run: async (opts) => (await import('./scaling/varianceLimited.ts')).varianceLimitedCheck(opts),
};

export const kanGrid: Law = {
  id: 'kan',
  title: 'KAN grid scaling: test error of a cubic-spline Kolmogorov–Arnold network against the grid size',
  summary: 'a [2,1,1] KAN on exp(sin πx + y²), grid extension: test RMSE ∝ G^(−4) (cubic splines); an MLP of the same size beside it',
  sizes: { option: 'grids', min: 3, max: KAN_DEFAULTS.maxGrid, defaults: KAN_DEFAULTS.grids },
  seeds: { min: 1, max: 32, default: KAN_DEFAULTS.seeds },
  describe: `${KAN_DEFAULTS.train} training and ${KAN_DEFAULTS.test} test points on [−1, 1]², ${KAN_DEFAULTS.iterations} Levenberg–Marquardt steps per grid, best of ${KAN_DEFAULTS.starts} starts at a warm-up grid G = 3; tanh MLP with as many parameters`,
  tensorflow: true,
  inDefaultReport: false, // about 30 s with the defaults
  run: async (opts) => (await import('./kan/kanScaling.ts')).kanCheck(opts),
};

export const resolutionLimited: Law = {
  id: 'scaling-resolution',
  title: 'Resolution-limited scaling: loss of a ReLU student against its number of units, on a manifold of dimension d',
  summary: `teacher–student on a ${RESOLUTION_DEFAULTS.manifoldDimension}-dimensional manifold, data plentiful: L(P) ∝ P^(−4/d) for a two-layer ReLU student with P random units and a fitted last layer`,
  sizes: { option: 'features', min: 2, max: RESOLUTION_DEFAULTS.train / 32, defaults: RESOLUTION_DEFAULTS.features }, // above train/32 the data, not P, would limit the loss
  seeds: { min: 1, max: 64, default: RESOLUTION_DEFAULTS.seeds },
  describe: `d = ${RESOLUTION_DEFAULTS.manifoldDimension} cube embedded in R^${RESOLUTION_DEFAULTS.ambientDimension}, tanh teacher of width ${RESOLUTION_DEFAULTS.teacherWidth}, ${RESOLUTION_DEFAULTS.train} training and ${RESOLUTION_DEFAULTS.test} test points, last layer by least squares`,
  tensorflow: true,
  inDefaultReport: false, // about 30 s with the defaults
  run: async (opts) => (await import('./scaling/resolutionLimited.ts')).resolutionLimitedCheck(opts),
};

export const lowRankDistillation: Law = {
  id: 'distillation-low-rank',
  title: 'Distillation into a low-rank student, against truncating the teacher and against training on labels',
  summary: 'linear teacher–student with anisotropic inputs: the distilled rank-r student beats the truncated SVD; on the same inputs it equals the student trained on labels',
  sizes: { option: 'ranks', min: 1, max: LOW_RANK_DISTILLATION_DEFAULTS.k - 1, defaults: LOW_RANK_DISTILLATION_DEFAULTS.ranks },
  seeds: { min: 2, max: 64, default: LOW_RANK_DISTILLATION_DEFAULTS.seeds },
  describe: `d ${LOW_RANK_DISTILLATION_DEFAULTS.d} inputs, k ${LOW_RANK_DISTILLATION_DEFAULTS.k} outputs, n ${LOW_RANK_DISTILLATION_DEFAULTS.n} labelled points, noise ${LOW_RANK_DISTILLATION_DEFAULTS.noise}; students trained by Adam (${LOW_RANK_DISTILLATION_DEFAULTS.steps} steps)`,
  tensorflow: true,
  inDefaultReport: false, // about 15 s with the defaults on a loaded machine
  run: async (opts) => (await import('./distillation/lowRankDistillation.ts')).lowRankDistillationCheck(opts),
};

export const LAWS: readonly Law[] = [lazyTraining, localElasticity, distillation, lowRankDistillation, varianceLimited, resolutionLimited, kanGrid];

export const lawById = (id: string): Law | undefined => LAWS.find((l) => l.id === id);
