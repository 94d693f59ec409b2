/**
 * [proxquant-toy] ProxQuant's toy (Bai, Wang, Liberty 2019): the two
 * 1-D losses f₁(x) = |x + ½| − ½ and f₋₁(x) = |x − ½| − ½ have the same
 * gradients at both signs ±1, but opposite minimisers over {±1} (f₁'s is −1,
 * f₋₁'s is +1). BinaryConnect takes its gradient at sign(x), so it cannot tell
 * them apart and keeps flipping; ProxQuant takes the gradient at x and pulls x
 * toward ±1, and ends at each loss's minimiser. Both are the registered
 * optimisers, run on the toy family below (one row per loss, one seed each
 * for stochastic BinaryConnect); the paper's claims are judged over the seeds.
 */
import { tf } from '../engine/tfjs.ts';
import fc from 'fast-check';
import type { Family, Instance } from '../classes/types.ts';
import { makeBatchedLoss } from '../classes/families/common.ts';
import { formatNumber } from '../numeric/format.ts';
import type { SeriesPoint } from './series.ts';
import { runBatch } from '../runs/run.ts';
import { checkClaims, type ClaimSpec } from './claims.ts';
import { binarise } from './quantisedTraining.ts';
import { numericColumns, type Experiment, type ExperimentOptions, type ExperimentResult } from './types.ts';

/** f_c(x) = |x + c/2| − 1/2 with c = ±1, started at x0. */
type ToyParams = { c: number; x0: number[] };

/** The toy losses as a family (1-D, convex, 1-Lipschitz, inf −½ at x = −c/2), so runBatch can drive the real optimisers. */
export const proxquantToyFamily: Family<ToyParams> = {
  id: 'proxquant-toy',
  title: 'ProxQuant\'s toy |x ± ½| − ½',
  description: 'f_c(x) = |x + c/2| − 1/2, c = ±1: the same gradients at x = ±1, opposite minimisers over {±1}.',
  classes: [],
  dims: [1],
  arbitrary: () => fc.record({ c: fc.constantFrom(-1, 1), x0: fc.tuple(fc.double({ min: -1, max: 1, noNaN: true })) }),
  instantiate(params): Instance {
    const { c } = params;
    if (c !== 1 && c !== -1) throw new Error(`proxquant-toy: c must be ±1, got ${c}`);
    return {
      family: 'proxquant-toy', params, dim: 1, x0: Float64Array.from(params.x0),
      cert: { convex: true, quadratic: false, G: 1, fstar: -0.5 },
      value: (x) => Math.abs(x[0] + c / 2) - 0.5,
      grad: (x) => Float64Array.of(Math.sign(x[0] + c / 2)),
      nearestMinimiser: () => Float64Array.of(-c / 2),
    };
  },
  tfLoss(instances) {
    const half = tf.tensor2d(instances.map((i) => [(i.params as ToyParams).c / 2]), [instances.length, 1]);
    return makeBatchedLoss([half], (x) => tf.sub(tf.abs(tf.add(x, half)), 0.5).reshape([-1]) as tf.Tensor1D);
  },
};

export const TOY_DEFAULTS = { x0: 0.1, lr: 0.05, steps: 400, lambdaRate: 0.01, seeds: 8, window: 100 } as const;

interface Method { id: string; label: string; optimizer: string; hyper: Record<string, number> }
const METHODS: Method[] = [
  { id: 'bc-det', label: 'BinaryConnect, deterministic', optimizer: 'binaryconnect', hyper: { lr: TOY_DEFAULTS.lr, stochastic: 0 } },
  { id: 'bc-stoch', label: 'BinaryConnect, stochastic', optimizer: 'binaryconnect', hyper: { lr: TOY_DEFAULTS.lr, stochastic: 1 } },
  { id: 'proxquant', label: 'ProxQuant', optimizer: 'proxquant', hyper: { lr: TOY_DEFAULTS.lr, lambdaRate: TOY_DEFAULTS.lambdaRate } },
];

export const proxquantToy: Experiment = {
  id: 'proxquant-toy',
  title: 'ProxQuant\'s toy: BinaryConnect keeps flipping signs, ProxQuant settles',
  summary: 'f₁ = |x + ½| − ½ and f₋₁ = |x − ½| − ½ (same gradients at ±1, opposite minimisers over {±1}): sign flips and final signs of BinaryConnect and ProxQuant',
  defaults: {
    minSteps: 2,
    maxSteps: 100_000,
    steps: TOY_DEFAULTS.steps,
    seeds: { default: TOY_DEFAULTS.seeds, min: 2, max: 32 },
    describe: `x0 ${TOY_DEFAULTS.x0}, η ${TOY_DEFAULTS.lr}, ProxQuant λ_t = ${TOY_DEFAULTS.lambdaRate}·t (the paper's toy); flips counted over the last ${TOY_DEFAULTS.window} steps; --seeds for stochastic BinaryConnect`,
  },
  tensorflow: true,
  run: runToy,
};

/** Sign changes of sign⁺(x_t) over the last `window` steps. */
const flipsOf = (xs: readonly number[], window: number): number => {
  const tail = binarise(xs.slice(Math.max(0, xs.length - 1 - window)));
  return tail.filter((v, i) => i > 0 && v !== tail[i - 1]).length;
};

async function runToy(opts: ExperimentOptions): Promise<ExperimentResult> {
  const started = performance.now();
  const D = TOY_DEFAULTS;
  const T = opts.steps ?? D.steps, seed = opts.seed ?? 0, S = opts.seeds ?? D.seeds;
  const window = Math.min(D.window, T);
  // Rows: seed k × loss c (c = +1, −1); each row's binarisation stream is its own.
  const cs = [1, -1];
  const instances = Array.from({ length: S }, () => cs.map((c) => proxquantToyFamily.instantiate({ c, x0: [D.x0] }))).flat();
  const paths: Record<string, number[][]> = {};
  for (const m of METHODS) {
    opts.onProgress?.(m.label);
    const xs: number[][] = instances.map(() => []);
    await runBatch({
      family: proxquantToyFamily as Family, instances, optimizer: m.optimizer, steps: T, seed,
      hyper: Object.fromEntries(Object.entries(m.hyper).map(([k, v]) => [k, instances.map(() => v)])),
      onStep(_t, x, d, rows) { rows.forEach((i, r) => xs[i].push(x[r * d])); },
    });
    paths[m.id] = xs;
  }
  const want = (c: number) => -c; // argmin over {±1} of |x + c/2|: x = −c
  const row = (k: number, ci: number) => 2 * k + ci;
  const stats = METHODS.map((m) => cs.map((c, ci) => {
    const perSeed = Array.from({ length: S }, (_, k) => paths[m.id][row(k, ci)]);
    return {
      flips: perSeed.map((xs) => flipsOf(xs, window)),
      right: perSeed.map((xs) => (binarise([xs[xs.length - 1]])[0] === want(c) ? 1 : 0)),
    };
  }));
  const source = 'Bai, Wang, Liberty 2019 (the toy on which BinaryConnect oscillates)';
  const specs: ClaimSpec[] = cs.flatMap((c, ci) => [
    {
      id: `bc-flips@${c}`, claim: `BinaryConnect keeps flipping the sign on f${c === 1 ? '₁' : '₋₁'}`, source,
      quantity: `sign changes of deterministic BinaryConnect in the last ${window} steps, f${c === 1 ? '₁' : '₋₁'}`, relation: 'above', value: window / 4,
      draws: stats[0][ci].flips,
    },
    {
      id: `pq-settles@${c}`, claim: `ProxQuant ends at f${c === 1 ? '₁' : '₋₁'}'s minimiser over {±1} (${want(c)})`, source,
      quantity: `ProxQuant's final sign ≠ ${want(c)} (0 or 1), f${c === 1 ? '₁' : '₋₁'}`, relation: 'equal', value: 0,
      draws: stats[2][ci].right.map((r) => 1 - r),
    },
  ]);
  const claims = checkClaims(specs);
  const points: SeriesPoint[] = METHODS.flatMap((m) => cs.map((c, ci) => paths[m.id][row(0, ci)].map((y, t) => ({ x: t, y, series: `${m.label}, f${c === 1 ? '₁' : '₋₁'}` })))).flat();
  const mean = (xs: readonly number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
  const rows = METHODS.flatMap((m, mi) => cs.map((c, ci) => ({
    method: m.label, loss: `f${c === 1 ? '₁' : '₋₁'}`, flips: mean(stats[mi][ci].flips), right: mean(stats[mi][ci].right),
    final: mean(Array.from({ length: S }, (_, k) => paths[m.id][row(k, ci)][T])),
  })));
  return {
    experiment: proxquantToy.id,
    title: proxquantToy.title,
    seed,
    settings: { x0: D.x0, 'step η': D.lr, steps: T, 'ProxQuant λ_t': `${D.lambdaRate}·t`, 'flips counted over': `the last ${window} steps`, seeds: `${S} (stochastic BinaryConnect's streams)` },
    setup: `ProxQuant's toy (Bai, Wang, Liberty 2019): $f_1(x) = |x + \\tfrac12| - \\tfrac12$ and $f_{-1}(x) = |x - \\tfrac12| - \\tfrac12$. At $x = \\pm1$ both have gradient $\\operatorname{sign}(x)$, the same for both losses, yet over $\\{\\pm1\\}$ $f_1$ is minimised at $-1$ and $f_{-1}$ at $+1$. **BinaryConnect** steps $x \\leftarrow \\operatorname{clip}(x - \\eta\\, f'(\\operatorname{sign} x))$: its gradient sees only $\\operatorname{sign} x$, so from $x_0 = ${D.x0}$ it is pushed back and forth across 0 and its sign flips; the stochastic version binarises at random but sees the same two gradients. **ProxQuant** steps $x \\leftarrow \\operatorname{clip}(\\operatorname{prox}_{\\eta\\lambda_t R}(x - \\eta f'(x)))$ with $R(x) = \\min|x \\mp 1|$, $\\lambda_t = ${D.lambdaRate}\\,t$: the gradient at $x$ itself tells the losses apart, and the growing prox settles $x$ on the right sign. $\\eta = ${D.lr}$, ${T} steps, the registered optimisers on a one-dimensional family; stochastic BinaryConnect runs ${S} seeds (the deterministic methods repeat exactly).`,
    figures: [{ id: 'path', title: 'x_t against t (seed 0)', points, plot: { xLabel: 'step', yLabel: 'x', dashed: METHODS.filter((m) => m.id !== 'proxquant').flatMap((m) => cs.map((c) => `${m.label}, f${c === 1 ? '₁' : '₋₁'}`)) } }],
    table: {
      columns: [{ id: 'method', label: 'method' }, { id: 'loss', label: 'loss' }, ...numericColumns({ flips: `sign flips (last ${window} steps)`, right: 'final sign right', final: 'final x' })],
      rows,
      caption: `Means over ${S} seeds; "final sign right": sign(x_T) is the loss's minimiser over {±1}.`,
    },
    findings: rows.map((r) => `${r.method} on ${r.loss}: ${formatNumber(r.flips)} sign flips in the last ${window} steps, final sign right on ${formatNumber(r.right * S)} of ${S} seeds, final x ${formatNumber(r.final)}.`),
    data: { x0: D.x0, lr: D.lr, steps: T, paths_seed0: Object.fromEntries(METHODS.map((m) => [m.id, cs.map((_, ci) => paths[m.id][row(0, ci)])])), rows },
    claims,
    closing: `*Bai, Wang & Liberty*: on this toy BinaryConnect oscillates and never settles, ProxQuant converges to the right sign. *Here*: BinaryConnect flips more than ${window / 4} times in the last ${window} steps — ${claims.claims.filter((c) => c.id.startsWith('bc')).map((c) => `**${c.verdict}**`).join(' and ')}; ProxQuant ends at each loss's minimiser over $\\{\\pm1\\}$ — ${claims.claims.filter((c) => c.id.startsWith('pq')).map((c) => `**${c.verdict}**`).join(' and ')}.`,
    seconds: (performance.now() - started) / 1000,
  };
}
