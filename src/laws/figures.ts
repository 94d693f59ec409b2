/**
 * The log-log figure of an exponent statement: the measurements (geometric
 * mean over seeds at each size), the fitted power law, its confidence band
 * (the lines of the interval's two ends) and the prediction, all through the
 * centre of the fitted data so that only their slopes differ.
 */
import type { Figure } from '../experiments/types.ts';
import type { SeriesPoint } from '../experiments/series.ts';
import type { FitOutcome } from './fit.ts';
import type { Claim } from './types.ts';

export interface ExponentFigureArgs {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Every size measured (the fit may use a subset: outcome.fit.sizes). */
  sizes: readonly number[];
  /** values[k][s]: seed s at sizes[k]. */
  values: readonly (readonly number[])[];
  claim: Claim;
  outcome: FitOutcome;
}

export const SERIES = { measured: 'measured (geometric mean over seeds)', fit: 'fitted', lo: 'interval, low end', hi: 'interval, high end', predicted: 'predicted' } as const;

export function exponentFigure(a: ExponentFigureArgs): Figure {
  const geoMean = (xs: readonly number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  const points: SeriesPoint[] = a.sizes.map((x, k) => ({ x, y: geoMean(a.values[k]), series: SERIES.measured }));
  let caption: string;
  if ('fit' in a.outcome) {
    const f = a.outcome.fit;
    const lx = f.sizes.map(Math.log);
    const cx = lx.reduce((s, x) => s + x, 0) / lx.length;
    const cy = f.intercept + f.mean * cx;
    const line = (slope: number, series: string): SeriesPoint[] =>
      [Math.min(...f.sizes), Math.max(...f.sizes)].map((x) => ({ x, y: Math.exp(cy + slope * (Math.log(x) - cx)), series }));
    points.push(...line(f.mean, SERIES.fit), ...line(f.lo, SERIES.lo), ...line(f.hi, SERIES.hi), ...line(a.claim.predicted, SERIES.predicted));
    caption = `Fitted exponent ${f.mean.toFixed(3)}, ${Math.round(f.level * 100)} % interval [${f.lo.toFixed(3)}, ${f.hi.toFixed(3)}] (${f.perSeed.length} seeds, sizes ${f.sizes.join(', ')}); predicted ${a.claim.predicted} ± ${a.claim.tolerance}. The band's lines and the prediction pass through the centre of the fitted data.`;
  } else caption = `No fit: ${a.outcome.reason}.`;
  return {
    id: a.id,
    title: a.title,
    points,
    plot: { xLabel: a.xLabel, yLabel: a.yLabel, log: true, logX: true, dots: true, order: Object.values(SERIES), dashed: [SERIES.lo, SERIES.hi, SERIES.predicted] },
    caption,
  };
}
