/**
 * The law checks by id, as data: what each varies, its defaults and ranges.
 * Running one loads its module (and TensorFlow.js) only then, so listing and
 * usage errors stay fast.
 */
import type { Law } from './types.ts';
import { LAZY_DEFAULTS } from './wide/defaults.ts';

export const lazyTraining: Law = {
  id: 'lazy-training',
  title: 'Lazy training of wide two-layer networks (NTK) and the Du et al. linear rate',
  summary: 'weights and empirical NTK move as width^(−1/2); ‖y − u(k)‖² ≤ exp(−ηλ0 k)‖y − u(0)‖² at every step',
  sizes: { option: 'widths', min: 2, max: 16384, defaults: LAZY_DEFAULTS.widths },
  seeds: { min: 1, max: 64, default: LAZY_DEFAULTS.seeds },
  describe: `n ${LAZY_DEFAULTS.n} points on S^${LAZY_DEFAULTS.d - 1}, η = 1/λmax(H∞), steps until the bound falls by e^${LAZY_DEFAULTS.decay}; exponents fitted from width ${LAZY_DEFAULTS.fitFrom}, bound claimed from width ${LAZY_DEFAULTS.holdsFrom}`,
  tensorflow: true,
  run: async (opts) => (await import('./wide/lazyTraining.ts')).lazyTrainingCheck(opts),
};

export const LAWS: readonly Law[] = [lazyTraining];

export const lawById = (id: string): Law | undefined => LAWS.find((l) => l.id === id);
