/**
 * [gpfq] GPFQ against nearest rounding as the layer widens: the relative
 * squared output error ‖Xw − Xq‖²/‖Xw‖² of one neuron quantised to the
 * ternary alphabet {−1, 0, 1}, for Gaussian X (m = 32 samples) and
 * w ~ U[−1, 1]^{N0}, on a log-log plot with the fitted slopes. The numbers come
 * from src/compression (gpfqDecayExperiment); this file only sizes, plots and
 * tabulates them.
 */
import { gpfqDecayExperiment, GPFQ_DECAY_DEFAULTS, logLogFit, logLogSlope } from '../compression/index.ts';
import { formatNumber } from '../numeric/format.ts';
import type { SeriesPoint } from './series.ts';
import { checkClaims, type ClaimSpec } from './claims.ts';
import { numericColumns, type Experiment, type ExperimentOptions, type ExperimentResult } from './types.ts';

/**
 * Draws per width: seed s of the command averages draws 32s + 1 … 32s + 32
 * (the library's default is 8; 32 give the claims' t intervals 31 degrees of freedom).
 */
const DRAWS = 32;
const LARGEST = GPFQ_DECAY_DEFAULTS.n0s[GPFQ_DECAY_DEFAULTS.n0s.length - 1];

/** Up to four widths N, N/4, N/16, N/64 (those ≥ 16), smallest first. */
export function gpfqWidths(largest: number): number[] {
  const out: number[] = [];
  for (let n = largest; out.length < 4 && n >= 16; n /= 4) out.unshift(Math.round(n));
  return out;
}

export const gpfqExperiment: Experiment = {
  id: 'gpfq',
  title: 'GPFQ against nearest rounding: error as the layer widens',
  summary: 'one neuron quantised to {−1, 0, 1}: GPFQ\'s relative squared error ‖Xw − Xq‖²/‖Xw‖² decays like 1/N0 (the relative error like 1/√N0), rounding\'s does not (log-log, fitted slopes)',
  defaults: {
    steps: LARGEST,
    minSteps: 64,
    maxSteps: 65_536,
    describe: `--steps is the largest width N0 (widths N0, N0/4, N0/16, N0/64 down to 16); m = ${GPFQ_DECAY_DEFAULTS.samples} samples, ${DRAWS} draws per width, alphabet {−1, 0, 1}`,
  },
  tensorflow: false,
  run: runGpfq,
};

async function runGpfq(opts: ExperimentOptions): Promise<ExperimentResult> {
  const started = performance.now();
  const seed = opts.seed ?? 0;
  const largest = opts.steps ?? LARGEST;
  const n0s = gpfqWidths(largest);
  if (n0s.length < 2) throw new Error(`gpfq: the largest width must be at least 64 (two widths for a slope), got ${largest}`);
  const seeds = Array.from({ length: DRAWS }, (_, k) => DRAWS * seed + k + 1);
  opts.onProgress?.(`widths ${n0s.join(', ')}`);
  const r = gpfqDecayExperiment({ n0s, seeds });

  // The fitted power laws, drawn over the same widths (their slopes are r.slope).
  const fit = (ys: number[]) => {
    const { slope, intercept } = logLogFit(n0s, ys);
    return n0s.map((n) => Math.exp(intercept + slope * Math.log(n)));
  };
  const names = { gpfq: 'GPFQ', rounding: 'nearest rounding', gpfqFit: `GPFQ fit, slope ${r.slope.gpfq.toFixed(2)}`, roundingFit: `rounding fit, slope ${r.slope.rounding.toFixed(2)}` };
  const series = (name: string, ys: readonly number[]): SeriesPoint[] => ys.map((y, i) => ({ x: n0s[i], y, series: name }));
  const points = [
    ...series(names.gpfq, r.gpfq), ...series(names.rounding, r.rounding),
    ...series(names.gpfqFit, fit(r.gpfq)), ...series(names.roundingFit, fit(r.rounding)),
  ];
  // The claims, judged over the draws: GPFQ below rounding at every width, and its error falling at least as fast as m·log N0/N0.
  const source = 'Lybrand & Saab 2021 (Gaussian data: GPFQ beats memoryless rounding; its relative squared error is O(m log N0 / N0))';
  // The rate is the theorem's for N0 ≫ m: fitted on the widths N0 ≥ 2m only (below, the walk has fewer columns than samples).
  const wide = n0s.flatMap((n, i) => (n >= 2 * r.options.samples ? [i] : []));
  const wn = wide.map((i) => n0s[i]);
  const rate = wide.length >= 2 ? logLogSlope(wn, wn.map((n) => Math.log(n) / n)) : Number.NaN;
  const perDrawSlope = wide.length >= 2 ? seeds.map((_, k) => logLogSlope(wn, wide.map((i) => r.perSeed.gpfq[i][k]))) : [];
  const specs: ClaimSpec[] = [
    ...n0s.map((n0, i): ClaimSpec => ({
      id: `below-rounding@${n0}`, claim: `GPFQ's relative squared error is below nearest rounding's at N0 = ${n0}`, source,
      quantity: `GPFQ − rounding, relative squared error at N0 = ${n0}`, relation: 'below', value: 0,
      draws: r.perSeed.gpfq[i].map((g, k) => g - r.perSeed.rounding[i][k]),
    })),
    ...(wide.length >= 2 ? [{
      id: 'rate', claim: `GPFQ's relative squared error falls at least as fast as m·log N0/N0 (log-log slope ≤ ${formatNumber(rate)} over N0 = ${wn.join(', ')}, those ≥ 2m)`, source,
      quantity: 'log-log slope of one draw\'s relative squared error against N0', relation: 'atMost' as const, value: rate, draws: perDrawSlope,
    }] : []),
  ];
  const claims = checkClaims(specs, undefined, 'draws');
  const spread = (rows: number[][]) => rows.map((v) => [Math.min(...v), Math.max(...v)]);
  const gSpread = spread(r.perSeed.gpfq);
  const ratio = r.gpfq[r.gpfq.length - 1] / r.gpfq[0], widthRatio = n0s[n0s.length - 1] / n0s[0];
  return {
    experiment: gpfqExperiment.id,
    title: gpfqExperiment.title,
    seed,
    settings: { 'widths N0': n0s.join(', '), 'samples m': r.options.samples, 'draws per width': seeds.length, draws: `${seeds[0]}…${seeds[seeds.length - 1]}`, 'alphabet': `{−${r.options.step}, 0, ${r.options.step}}` },
    setup: `One neuron $w \\in [-1, 1]^{N_0}$ ($w_t \\sim U[-1,1]$) with layer input $X \\in \\mathbb R^{m \\times N_0}$ (i.i.d. $N(0,1)$ entries, $m = ${r.options.samples}$) is quantised to the ternary alphabet $\\mathcal A = \\{-${r.options.step}, 0, ${r.options.step}\\}$ in two ways: **nearest rounding**, $q_t = Q_{\\mathcal A}(w_t)$, and **GPFQ** (Lybrand & Saab 2021), which walks the columns $X_t$ carrying the running error $u$:
$$u_0 = 0,\\quad q_t = Q_{\\mathcal A}\\Big(\\frac{\\langle X_t,\\, u_{t-1} + w_t X_t\\rangle}{\\|X_t\\|^2}\\Big),\\quad u_t = u_{t-1} + w_t X_t - q_t X_t,$$
so that $u_{N_0} = Xw - Xq$. The error is the relative squared output error $\\|Xw - Xq\\|^2 / \\|Xw\\|^2$, averaged over ${seeds.length} independent draws of $(X, w)$ per width. GPFQ keeps $\\|u_t\\|$ bounded while $\\|Xw\\|^2$ grows like $m N_0/3$, so its relative squared error should fall like $1/N_0$ (a log-log slope near $-1$, up to a log factor; the unsquared relative error $\\|Xw - Xq\\|/\\|Xw\\|$ then falls like $1/\\sqrt{N_0}$, a slope near $-\\tfrac12$); rounding's error is a fixed fraction of $\\|Xw\\|^2$ (for this alphabet $E(w - Q(w))^2/E w^2 = 1/4$ per coordinate), a slope near 0. The slopes are least-squares fits of $\\log(\\text{mean error})$ against $\\log N_0$.`,
    figures: [{
      id: 'error', title: 'relative squared error ‖Xw − Xq‖²/‖Xw‖² against N0',
      points, plot: { xLabel: 'width N0', yLabel: 'relative squared error', log: true, logX: true, dashed: [names.gpfqFit, names.roundingFit], dots: true },
      caption: `Mean over ${seeds.length} draws per width; dashed: the least-squares power laws.`,
    }],
    table: {
      columns: numericColumns({ n0: 'N0', gpfq: 'GPFQ (mean)', gpfq_min: 'GPFQ min', gpfq_max: 'GPFQ max', rounding: 'rounding (mean)', ratio: 'GPFQ / rounding' }),
      rows: n0s.map((n0, i) => ({ n0, gpfq: r.gpfq[i], gpfq_min: gSpread[i][0], gpfq_max: gSpread[i][1], rounding: r.rounding[i], ratio: r.gpfq[i] / r.rounding[i] })),
      caption: 'Relative squared output error; min and max over the draws of each width.',
    },
    findings: [
      `Fitted log-log slopes: GPFQ ${formatNumber(r.slope.gpfq)}, nearest rounding ${formatNumber(r.slope.rounding)}.`,
      `From N0 = ${n0s[0]} to ${n0s[n0s.length - 1]} (×${formatNumber(widthRatio)}), GPFQ's mean error changes by ×${formatNumber(ratio)} and rounding's by ×${formatNumber(r.rounding[r.rounding.length - 1] / r.rounding[0])}.`,
      `At N0 = ${n0s[n0s.length - 1]}, GPFQ's error is ${formatNumber(r.gpfq[r.gpfq.length - 1] / r.rounding[r.rounding.length - 1])} of rounding's.`,
    ],
    data: { n0s, gpfq: r.gpfq, rounding: r.rounding, per_seed: r.perSeed, slope: r.slope, per_draw_slope: perDrawSlope, rate_slope: rate, seeds, samples: r.options.samples, step: r.options.step },
    claims,
    closing: `*Lybrand & Saab*: on Gaussian data GPFQ beats memoryless rounding, and its relative squared error is at most of order $m\\log N_0/N_0$. *Here*: below rounding at every width — ${claims.claims.slice(0, n0s.length).map((c) => `**${c.verdict}** at ${c.id.split('@')[1]}`).join(', ')}; ${wide.length >= 2 ? `the per-draw log-log slope over $N_0 \\ge 2m$ has mean ${formatNumber(claims.claims[n0s.length].interval?.mean ?? Number.NaN)} against ${formatNumber(rate)} for $\\log N_0/N_0$ over the same widths (−1 for $1/N_0$): **${claims.claims[n0s.length].verdict}**` : 'too few widths $N_0 \\ge 2m$ for the rate'}. The rate is about the *squared* error; the unsquared relative error $\\|Xw - Xq\\|/\\|Xw\\|$ falls at half that slope.`,
    seconds: (performance.now() - started) / 1000,
  };
}
