/**
 * Fitting an exponent over sizes and seeds. Each seed is one independent
 * replicate of the whole size sweep, so each seed gives one log-log slope, and
 * the exponent's interval is the Student t interval of those slopes (the
 * slopes are independent across seeds; sizes within a seed are not, which is
 * why the seed, not the point, is the unit). Designs that cannot support a
 * slope are reported, never fitted.
 */
import { logLogFit } from '../compression/experiments.ts';
import { halfWidthFactor, meanInterval } from '../verify/statistics.ts';
import type { Estimate } from './types.ts';

/**
 * The seed of replicate r (0-based) of a law run with seed `seed`; `stream`
 * separates independent draws of one run (a size, say). Replicates are the
 * unit every interval is taken over.
 */
export const replicateSeed = (seed: number, r: number, stream = 0): number => seed * 1_000_003 + stream * 1009 + r + 1;

/** The confidence level of every exponent interval. */
export const LAW_LEVEL = 0.95;

/** Fewest distinct sizes a slope is fitted from, and the least spread of their logarithms (a factor of 2 end to end). */
export const MIN_SIZES = 3;
export const MIN_LOG_SPREAD = Math.log(2);

export type FitOutcome = { fit: Estimate } | { reason: string };

/**
 * The Student t interval of one number per seed (a log ratio, say): the
 * estimate a ratio statement is decided on. Fewer than 2 seeds or a value
 * that is not finite: the reason, no estimate.
 */
export function meanEstimate(values: readonly number[], what: string, level = LAW_LEVEL): FitOutcome {
  if (values.length < 2) return { reason: `${values.length} seed${values.length === 1 ? '' : 's'}: an interval over seeds needs at least 2` };
  const k = values.findIndex((v) => !Number.isFinite(v));
  if (k >= 0) return { reason: `seed ${k + 1} gave ${values[k]} for ${what}` };
  const { mean, lo, hi } = meanInterval(values, halfWidthFactor(values.length, 1, 1 - level));
  return {
    fit: {
      method: `Student t interval (${Math.round(level * 100)} %, ${values.length - 1} degrees of freedom) of ${values.length} per-seed values of ${what}`,
      level, sizes: [], perSeed: [...values], mean, lo, hi, intercept: 0,
    },
  };
}

/**
 * `values[s][k]` is seed s's measurement at sizes[k]. Returns the fit, or the
 * reason there is none (fewer than MIN_SIZES distinct sizes, sizes spanning
 * less than a factor 2, fewer than 2 seeds, or a measurement that is not a
 * positive finite number, which a log-log fit cannot use).
 */
export function fitExponent(sizes: readonly number[], values: readonly (readonly number[])[], level = LAW_LEVEL): FitOutcome {
  const distinct = new Set(sizes);
  if (distinct.size < MIN_SIZES) return { reason: `${distinct.size} distinct size${distinct.size === 1 ? '' : 's'}: a slope and its spread need at least ${MIN_SIZES}` };
  if (sizes.some((x) => !(x > 0 && Number.isFinite(x)))) return { reason: 'a size is not a positive number' };
  const spread = Math.log(Math.max(...sizes) / Math.min(...sizes));
  if (spread < MIN_LOG_SPREAD) return { reason: `the sizes span a factor ${Math.exp(spread).toFixed(2)}: too narrow a design for an exponent (at least 2)` };
  if (values.length < 2) return { reason: `${values.length} seed${values.length === 1 ? '' : 's'}: an interval over seeds needs at least 2` };
  for (let s = 0; s < values.length; s++) {
    const row = values[s];
    if (row.length !== sizes.length) throw new Error(`fitExponent: seed ${s} has ${row.length} values for ${sizes.length} sizes`);
    const k = row.findIndex((y) => !(y > 0 && Number.isFinite(y)));
    if (k >= 0) return { reason: `seed ${s + 1} measured ${row[k]} at size ${sizes[k]}: a log-log fit needs positive finite values` };
  }
  const lines = values.map((row) => logLogFit(sizes as number[], row as number[]));
  const slopes = lines.map((l) => l.slope);
  const q = halfWidthFactor(slopes.length, 1, 1 - level);
  const { mean, lo, hi } = meanInterval(slopes, q);
  return {
    fit: {
      method: `Student t interval (${Math.round(level * 100)} %, ${slopes.length - 1} degrees of freedom) of ${slopes.length} per-seed least-squares slopes of log y on log x over ${sizes.length} sizes`,
      level,
      sizes: [...sizes],
      perSeed: slopes,
      mean,
      lo,
      hi,
      intercept: lines.reduce((s, l) => s + l.intercept, 0) / lines.length,
    },
  };
}
