/**
 * Confidence intervals for a bound in expectation.
 *
 * A stochastic theorem bounds E[X_t] at every step t. We run S independent
 * seeds, so at each (instance, step) we have S draws of X_t, and compare the
 * bound with a Student t interval for the mean:
 *   mean ± q·s/√S,  q = t-quantile with S − 1 degrees of freedom.
 * One verification makes K such comparisons (instances × steps), so the level
 * of each is 1 − α/K (Bonferroni): the chance that ANY interval of a correct
 * theorem misses its true mean is at most α, whatever the dependence between
 * steps. A bound is `violated` only when an interval lies entirely above it
 * (beyond the float32 floor), never because a mean alone is above it.
 *
 * The quantities bounded (gaps, squared distances, squared gradient norms)
 * are non-negative and right-skewed. For such data the t interval's lower end
 * errs on the safe side for us (the t statistic is left-skewed, so true means
 * fall below the lower end less often than α/2K): a false `violated` is rarer
 * than stated, and it is the upper end that is optimistic.
 */
import { tQuantileUpper } from '../numeric/studentT.ts';

/** The family-wise error rate of one verification (default). */
export const DEFAULT_ALPHA = 0.01;

export interface Interval {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator). */
  sd: number;
  lo: number;
  hi: number;
}

/** The method, stated as reports and JSON print it. */
export function methodText(alpha: number, comparisons: number, seeds: number): string {
  return `Student t interval over ${seeds} seeds, two-sided, Bonferroni over ${comparisons} intervals (family-wise level ${1 - alpha})`;
}

/** The multiplier q of the half-width for n draws and K comparisons at family-wise level 1 − alpha. */
export function halfWidthFactor(n: number, comparisons: number, alpha = DEFAULT_ALPHA): number {
  if (n < 2) throw new Error(`a confidence interval needs at least 2 seeds, got ${n}`);
  return tQuantileUpper(alpha / (2 * Math.max(1, comparisons)), n - 1);
}

/** Mean and interval of the draws (all finite) with multiplier q (halfWidthFactor). */
export function meanInterval(values: ArrayLike<number>, q: number): Interval {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const h = (q * sd) / Math.sqrt(n);
  return { n, mean, sd, lo: mean - h, hi: mean + h };
}
