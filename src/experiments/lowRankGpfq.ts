/**
 * [low-rank-gpfq] Compression as the notes do it: a layer factorised by its
 * truncated SVD, then each factor quantised by GPFQ (or by nearest rounding),
 * the output error against rank and bits, averaged over independent draws of
 * the layer and its input. The numbers come from src/compression
 * (factorisedExperiment); this file sizes, plots, tabulates and judges them.
 */
import { factorisedExperiment, FACTORISED_DEFAULTS } from '../compression/index.ts';
import { formatNumber } from '../numeric/format.ts';
import type { SeriesPoint } from './series.ts';
import { checkClaims, type ClaimSpec } from './claims.ts';
import { numericColumns, type Experiment, type ExperimentOptions, type ExperimentResult } from './types.ts';

const DRAWS = 8;

export const lowRankGpfqExperiment: Experiment = {
  id: 'low-rank-gpfq',
  title: 'Low rank, then GPFQ on the factors: output error against rank and bits',
  summary: 'a layer factorised by truncated SVD, each factor quantised by GPFQ or nearest rounding: error against rank and bits, vs quantising the layer whole',
  defaults: {
    minSteps: 32,
    maxSteps: 512,
    steps: FACTORISED_DEFAULTS.cols,
    seeds: { default: DRAWS, min: 2, max: 32 },
    describe: `--steps is the layer's inputs N0 (W is ${FACTORISED_DEFAULTS.rows} × N0, σ_i = 1/i), m = ${FACTORISED_DEFAULTS.samples} Gaussian inputs, ranks ${FACTORISED_DEFAULTS.ranks.join(', ')}, bits ${FACTORISED_DEFAULTS.bits.join(', ')}; --seeds draws of (W, X)`,
  },
  tensorflow: false,
  run: runLowRankGpfq,
};

async function runLowRankGpfq(opts: ExperimentOptions): Promise<ExperimentResult> {
  const started = performance.now();
  const seed = opts.seed ?? 0, S = opts.seeds ?? DRAWS, cols = opts.steps ?? FACTORISED_DEFAULTS.cols;
  const { rows, ranks, bits, samples } = FACTORISED_DEFAULTS;
  const draws = Array.from({ length: S }, (_, k) => {
    opts.onProgress?.(`draw ${k + 1}/${S}`);
    // Seed s of the command is the library's seeds S·s + 1 … S·s + S.
    return factorisedExperiment({ cols, seed: S * seed + k + 1 });
  });
  const mean = (f: (d: (typeof draws)[number]) => number) => draws.reduce((a, d) => a + f(d), 0) / S;
  const rowsOut = ranks.flatMap((r, i) => bits.map((b, j) => ({
    rank: r, bits: b, params: r * (rows + cols), low_rank: mean((d) => d.lowRank[i]), gpfq: mean((d) => d.gpfq[i][j]), rounding: mean((d) => d.rounding[i][j]),
  })));
  const whole = bits.map((b, j) => ({ bits: b, gpfq: mean((d) => d.whole.gpfq[j]), rounding: mean((d) => d.whole.rounding[j]) }));
  const points: SeriesPoint[] = [
    ...ranks.map((r, i) => ({ x: r, y: mean((d) => d.lowRank[i]), series: 'low rank alone' })),
    ...rowsOut.map((o) => ({ x: o.rank, y: o.gpfq, series: `GPFQ, ${o.bits} bits` })),
    ...rowsOut.map((o) => ({ x: o.rank, y: o.rounding, series: `rounding, ${o.bits} bits` })),
  ];
  const mid = Math.floor(ranks.length / 2);
  const source = 'Lybrand & Saab 2021; Zhang, Zhou & Saab 2023 (GPFQ beats memoryless rounding layer by layer)';
  const specs: ClaimSpec[] = bits.map((b, j) => ({
    id: `factors-below-rounding@${b}`, claim: `GPFQ on the factors ends below rounding them, at rank ${ranks[mid]} and ${b} bits`, source,
    quantity: `GPFQ − rounding, relative squared output error (rank ${ranks[mid]}, ${b} bits)`, relation: 'below', value: 0,
    draws: draws.map((d) => d.gpfq[mid][j] - d.rounding[mid][j]),
  }));
  const claims = checkClaims(specs, undefined, 'draws');
  const last = ranks.length - 1, top = bits.length - 1;
  // Whether W quantised whole beats its factors at every rank, bit for bit (GPFQ both ways).
  const wholeWins = bits.every((_, j) => ranks.every((__, i) => whole[j].gpfq < rowsOut[i * bits.length + j].gpfq));
  return {
    experiment: lowRankGpfqExperiment.id,
    title: lowRankGpfqExperiment.title,
    seed,
    settings: { W: `${rows} × ${cols}, σ_i = 1/i`, 'samples m': samples, ranks: ranks.join(', '), bits: bits.join(', '), draws: `${S} (library seeds ${S * seed + 1}…${S * seed + S})` },
    setup: `A layer $W \\in \\mathbb R^{${rows} \\times ${cols}}$ (one neuron per row) with singular values $\\sigma_i = 1/i$ and Haar-random singular vectors, and its input $X \\in \\mathbb R^{${samples} \\times ${cols}}$ with i.i.d. $N(0, 1)$ entries. For each rank $r$ the truncated SVD gives $W_r = L R$ with $R = V_r^\\top$ (a layer of $r$ neurons on the input) and $L = U_r\\Sigma_r$ (a layer on $R$'s output): $r(${rows} + ${cols})$ numbers instead of ${rows * cols}. Each factor gets its own $b$-bit alphabet $\\{\\pm k\\delta : 0 \\le k \\le 2^{b-1}\\}$, $\\delta = (1.16/2^{b-1})\\cdot$ the mean over its neurons of the largest $|$weight$|$, and is quantised in network order: **GPFQ** quantises $R$ on the input $X$, then $L$ on its analog input $XR^\\top$ with the quantised network's input $X\\tilde R^\\top$ (the sequential scheme of Zhang, Zhou & Saab 2023); **rounding** maps every weight of both to its nearest level. The error is the relative squared output error $\\|XW^\\top - X\\tilde R^\\top \\tilde L^\\top\\|_F^2 / \\|XW^\\top\\|_F^2$, averaged over ${S} draws of $(W, X)$; "low rank alone" is the same for $W_r$ unquantised, and the table under the plot quantises $W$ whole for comparison.`,
    figures: [{
      id: 'error', title: 'relative squared output error against rank',
      points, plot: { xLabel: 'rank r', yLabel: 'relative squared error', log: true, logX: true, dashed: bits.map((b) => `rounding, ${b} bits`), dots: true },
      caption: `Means over ${S} draws; dashed: nearest rounding of the factors.`,
    }],
    table: {
      columns: numericColumns({ rank: 'rank r', bits: 'bits', params: 'numbers', low_rank: 'low rank alone', gpfq: 'GPFQ on factors', rounding: 'rounding factors' }),
      rows: rowsOut,
      caption: `Means over ${S} draws. W whole (${rows * cols} numbers): ${whole.map((w) => `${w.bits} bits GPFQ ${formatNumber(w.gpfq)}, rounding ${formatNumber(w.rounding)}`).join('; ')}.`,
    },
    findings: [
      `At full rank ${ranks[last]} the factorisation is exact (low rank alone ${formatNumber(rowsOut[last * bits.length].low_rank)}), yet GPFQ on the factors at ${bits[top]} bits ends at ${formatNumber(rowsOut[last * bits.length + top].gpfq)}, against ${formatNumber(whole[top].gpfq)} for W quantised whole (L = U_rΣ_r has columns σ_1/σ_r = ${ranks[last]} apart in scale under one alphabet).`,
      `At rank ${ranks[mid]} (${rowsOut[mid * bits.length].params} numbers, ${formatNumber(rowsOut[mid * bits.length].params / (rows * cols))} of W's), low rank alone loses ${formatNumber(rowsOut[mid * bits.length].low_rank)}; GPFQ on the factors ${bits.map((b, j) => `${formatNumber(rowsOut[mid * bits.length + j].gpfq)} at ${b} bits`).join(', ')}; rounding ${bits.map((b, j) => `${formatNumber(rowsOut[mid * bits.length + j].rounding)}`).join(', ')}.`,
    ],
    data: { rows, cols, samples, ranks, bits, draws: draws.map((d) => ({ seed: d.options.seed, low_rank: d.lowRank, gpfq: d.gpfq, rounding: d.rounding, whole: d.whole })), means: rowsOut, whole },
    claims,
    closing: `*The papers*: GPFQ beats memoryless rounding layer by layer. *Here*, on the two factors of a rank-${ranks[mid]} layer: ${claims.claims.map((c) => `**${c.verdict}** at ${c.id.split('@')[1]} bits`).join(', ')}. *The notes* combine both compressions. ${wholeWins ? 'Here GPFQ on $W$ whole beats GPFQ on the factors at every rank and every $b$, bit for bit; the factors win only on the count of numbers stored' : 'Here GPFQ on the factors beats GPFQ on $W$ whole at some rank and $b$ (see the table)'}.`,
    seconds: (performance.now() - started) / 1000,
  };
}
