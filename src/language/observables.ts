/**
 * What a run measures at step t, in float64 from the float32 iterate: the
 * symbols a run statement may use and their TeX (runCheck.ts checkStep
 * measures them; the tolerance kind of each is in runCheck.ts toleranceKind).
 */
export const OBSERVABLE_TEX = {
  f_t: 'f(x_t)',
  f_prev: 'f(x_{t-1})',
  f_0: 'f(x_0)',
  dist_t: '\\left\\|x_t - x^\\star\\right\\|',
  grad2_t: '\\left\\|\\nabla f(x_t)\\right\\|^2',
  mingrad2_t: '\\min_{k<t}\\left\\|\\nabla f(x_k)\\right\\|^2',
  // Stochastic theorems (src/verify/expectation.ts): per seed, and over the seeds.
  avggrad2_t: '\\frac{1}{t}\\sum_{k<t}\\left\\|\\nabla f(x_k)\\right\\|^2',
  C2_t: 'C_t^2',
} as const;

export type ObservableName = keyof typeof OBSERVABLE_TEX;
