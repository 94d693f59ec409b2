/**
 * The empirical curves of a run theorem against its bound, on a log scale,
 * as inline SVG: Observable Plot renders into linkedom's document, so no
 * browser is needed. One small plot per witness family, because families
 * differ by orders of magnitude and one shared axis would flatten them.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Curve } from '../verify/result.ts';
import type { SeriesPlotOptions, SeriesPoint } from '../experiments/series.ts';
export type { SeriesPlotOptions, SeriesPoint };
import { escapeHtml } from './html.ts';
import { renderTex, stripSvgNamespace } from './katex.ts';

/** A long run is thinned to about this many points per curve: a log plot of a smooth decay loses nothing. */
const MAX_POINTS = 200;

interface Row { t: number; value: number; instance: string }

export interface CurvePlotOptions {
  /** The step of each curve's first value (the theorem's first checked step). */
  from: number;
  /** The plotted quantity as text (the SVG's accessible label). */
  quantity: string;
  /** The plotted quantity as HTML (KaTeX), for each figure's caption. */
  quantityHtml: string;
  /** Prefix of the figures' ids (the item's id): a figure is enlarged by linking to it. */
  id: string;
  /** Expectation theorems: the solid line is a mean over seeds, with its interval shaded. */
  means?: boolean;
}

/** A family's plot: its SVG, its scale, and the figure as the page shows it. */
export interface FamilyFigure { family: string; id: string; svg: string; log: boolean; html: string }

/** One figure per family, in the order the curves came. */
export function familyFigures(curves: readonly Curve[], opts: CurvePlotOptions): FamilyFigure[] {
  const families = [...new Set(curves.map((c) => c.family))];
  return families.flatMap((family, k) => {
    const plot = familyPlot(curves.filter((c) => c.family === family), opts);
    if (!plot) return [];
    const id = `${opts.id}-plot-${k + 1}`;
    const html = `<figure class="plot" id="${id}"><figcaption><strong>${escapeHtml(family)}</strong>: ${opts.quantityHtml} against the step ${renderTex('t')}`
      + `<a class="zoom" href="#${id}" title="enlarge">enlarge</a><a class="unzoom" href="#close" title="back to the page">close</a></figcaption>`
      + `${plot.svg}${lineKey(plot.log, opts.means)}</figure>`;
    return [{ family, id, svg: plot.svg, log: plot.log, html }];
  });
}

export const curvePlots = (curves: readonly Curve[], opts: CurvePlotOptions): string[] => familyFigures(curves, opts).map((f) => f.html);

/** What the line styles mean, under every plot (the colours are the instances, in the plot's own legend). */
function lineKey(log: boolean, means = false): string {
  return `<p class="key"><span class="k-solid"></span> ${means ? 'mean over seeds' : 'measured'}`
    + `${means ? ' <span class="k-band"></span> its confidence interval' : ''}`
    + ' <span class="k-dashed"></span> bound <span class="k-floor"></span> float32 floor (below it: rounding, not evidence)'
    + ` · ${log ? 'log' : 'linear'} scale</p>`;
}

/**
 * Each instance in its own colour: the measured quantity solid, the bound
 * dashed, and below a grey band its float32 floor (the tolerance of the
 * precision model: a measured value inside the band is rounding, not
 * evidence). A log scale when the values span more than a decade and a half,
 * else linear; on a log scale, values that are not positive and finite are
 * left out.
 */
function familyPlot(curves: readonly Curve[], opts: CurvePlotOptions): { svg: string; log: boolean } | null {
  // Two instances may share a label; the number keeps their colours apart.
  const drawable = (c: Curve) => [c.measured, c.bound].some((v) => v.some((x) => x > 0 && Number.isFinite(x)));
  const names = curves.map((c, k) => `${k + 1}. ${c.label.replace(`${c.family} `, '')}${drawable(c) ? '' : ' (zero throughout: nothing to draw)'}`);
  const positive = (value: number) => value > 0 && Number.isFinite(value);
  const series = (pick: (c: Curve) => number[]): Row[] => curves.flatMap((c, k) => {
    const values = pick(c);
    const stride = Math.max(1, Math.ceil(values.length / MAX_POINTS));
    return values.flatMap((value, i) =>
      (i % stride === 0 || i === values.length - 1) && positive(value)
        ? [{ t: opts.from + i, value, instance: names[k] }] : []);
  });
  const measured = series((c) => c.measured);
  const bound = series((c) => c.bound);
  const floor = series((c) => c.tolerance);
  const values = [...measured, ...bound].map((r) => r.value);
  if (values.length === 0) return null;
  const least = values.reduce((a, b) => Math.min(a, b));
  const most = values.reduce((a, b) => Math.max(a, b));
  const log = most / least > 30;
  const lo = log ? Math.min(least, ...floor.map((r) => r.value)) / 2 : 0;
  const hi = log ? most * 2 : most * 1.05;
  // Bounds in expectation: the confidence interval of each mean, its lower end clipped to the axis.
  const band = curves.flatMap((c, k) => {
    if (!c.lower || !c.upper) return [];
    const stride = Math.max(1, Math.ceil(c.upper.length / MAX_POINTS));
    return c.upper.flatMap((up, i) => (i % stride === 0 || i === c.upper!.length - 1) && positive(up)
      ? [{ t: opts.from + i, lo: Math.max(lo, c.lower![i]), hi: Math.min(hi, up), instance: names[k] }] : []);
  });
  const svg = renderPlot({
    width: 600,
    height: 300,
    marginLeft: 58,
    ariaLabel: `${opts.quantity} against the step t`,
    x: { label: 'step t →', grid: true },
    y: log ? { type: 'log', domain: [lo, hi], label: null, grid: true, tickFormat: powerTick } : { domain: [lo, hi], label: null, grid: true },
    // dark, middle and light: told apart in grey print too
    color: { type: 'ordinal', domain: names, range: INSTANCE_COLOURS, legend: true },
    marks: [
      Plot.areaY(floor, { x: 't', y1: lo, y2: (r: Row) => Math.min(r.value, hi), z: 'instance', fill: '#777', fillOpacity: 0.18 }),
      Plot.areaY(band, { x: 't', y1: 'lo', y2: 'hi', z: 'instance', fill: 'instance', fillOpacity: 0.25 }),
      Plot.line(bound, { x: 't', y: 'value', z: 'instance', stroke: 'instance', strokeDasharray: '6,4', strokeWidth: 1.4 }),
      Plot.line(measured, { x: 't', y: 'value', z: 'instance', stroke: 'instance', strokeWidth: 2 }),
    ],
  });
  return { svg, log };
}

/** Instances' colours: far apart in hue and in lightness (the second survives greyscale print as mid-grey). */
const INSTANCE_COLOURS = ['#1f4e8c', '#e07b00', '#4daf4a', '#984ea3'];

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** A log-axis tick as people write it: 10⁻¹⁰, 3·10⁻⁵, and plain numbers from 0.001 to 1000. */
export function powerTick(d: number): string {
  if (d === 0 || !Number.isFinite(d)) return String(d);
  const e = Math.floor(Math.log10(Math.abs(d)) + 1e-9);
  const m = Number((d / 10 ** e).toPrecision(2));
  if (e >= -3 && e <= 3) return String(Number(d.toPrecision(2)));
  const power = `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c])}`;
  return m === 1 ? power : `${m}·${power}`;
}

/** Observable Plot options without the document (renderPlot supplies linkedom's). */
export type PlotOptions = Omit<Plot.PlotOptions, 'document'>;

/**
 * An Observable Plot figure as an inline SVG string: rendered into linkedom's
 * document, the SVG namespace dropped and path coordinates rounded. The
 * legend, when asked for, comes with the figure as HTML.
 */
export function renderPlot(options: PlotOptions): string {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  const figure = Plot.plot({
    ...options,
    document: document as unknown as Document,
    style: { fontSize: '12px', background: 'transparent' },
  }) as unknown as { outerHTML: string };
  return roundPaths(stripSvgNamespace(figure.outerHTML));
}

/** Tableau's ten colours and two more, so a dozen series stay apart (beyond that, colours repeat). */
const PALETTE = ['#4e79a7', '#f28e2c', '#e15759', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#ff9da7', '#9c755f', '#bab0ab', '#1b1b1b', '#17becf'];

/** Several series against a common x, one colour each, with a legend: an inline SVG string. */
export function seriesPlot(points: readonly SeriesPoint[], opts: SeriesPlotOptions): string {
  const drawable = (p: SeriesPoint) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!opts.log || p.y > 0) && (!opts.logX || p.x > 0);
  const drawn = points.filter(drawable);
  const dashed = new Set(opts.dashed ?? []);
  const solid = drawn.filter((p) => !dashed.has(p.series));
  const broken = drawn.filter((p) => dashed.has(p.series));
  const refs = (opts.references ?? []).filter((r) => Number.isFinite(r.y) && (!opts.log || r.y > 0));
  const names = opts.order ?? [...new Set(points.map((p) => p.series))];
  const xMax = drawn.reduce((m, p) => Math.max(m, p.x), opts.logX ? 1 : 0);
  const axis = (log: boolean | undefined, label: string) => (log ? { type: 'log' as const, label, grid: true, tickFormat: powerTick } : { label, grid: true });
  return renderPlot({
    width: 460,
    height: 250,
    marginLeft: 52,
    marginRight: 12,
    x: axis(opts.logX, opts.xLabel),
    y: axis(opts.log, opts.yLabel),
    color: { type: 'ordinal', domain: names, range: PALETTE, legend: true },
    marks: [
      Plot.ruleY(refs, { y: 'y', stroke: '#888', strokeDasharray: '4,3' }),
      Plot.text(refs, { x: xMax, y: 'y', text: 'label', textAnchor: 'end', dy: -5, fill: '#555' }),
      Plot.line(solid, { x: 'x', y: 'y', z: 'series', stroke: 'series', strokeWidth: 1.5 }),
      Plot.line(broken, { x: 'x', y: 'y', z: 'series', stroke: 'series', strokeWidth: 1.3, strokeDasharray: '5,3' }),
      ...(opts.dots ? [Plot.dot(drawn, { x: 'x', y: 'y', stroke: 'series', r: 2.5 })] : []),
    ],
  });
}

/** Path coordinates to a tenth of a pixel (Plot writes thousandths): a third less page for no visible change. */
const roundPaths = (svg: string): string =>
  svg.replace(/ d="([^"]*)"/g, (_, d: string) => ` d="${d.replace(/\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10))}"`);
