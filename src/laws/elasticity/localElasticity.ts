/**
 * Local elasticity (He and Su, ICLR 2020), as three statements on real
 * TensorFlow.js SGD steps:
 *   1. the first-order identity: after one SGD step of size η at x, the
 *      change of the prediction at x′ over the change at x equals the NTK ratio
 *      Θ(x, x′)/Θ(x, x) up to O(η), so its error falls as η^1;
 *   2. the network is locally elastic: the relative change
 *      S(x, x′) = |Δf(x′)| / |Δf(x)| is larger, on average, for x′ of x's class
 *      than for x′ of the other class;
 *   3. a linear model f(x) = v·x is not: its S(x, x′) = |x·x′|/‖x‖² sees inner
 *      products, not classes.
 * Our data make the contrast sharp and say why: two classes in clusters
 * around c and −c on the sphere, which |x·x′| cannot tell apart and a ReLU
 * network's kernel can (the neurons active at x are mostly inactive at −x).
 */
import { makeRng, type Rng } from '../../numeric/rng.ts';
import type { SeriesPoint } from '../../experiments/series.ts';
import { fitExponent, meanEstimate, replicateSeed } from '../fit.ts';
import { exponentFigure } from '../figures.ts';
import type { Claim, LawOptions, LawResult } from '../types.ts';
import { exponentStatement } from '../verdict.ts';
import { initialise } from '../wide/twoLayer.ts';
import { ELASTICITY_DEFAULTS } from './defaults.ts';
import { firstFlip, linearOutput, linearStep, networkGradient, networkNtk, networkOutput, networkStep, type Network } from './step.ts';

const SOURCE = 'He and Su 2020 (ICLR), The local elasticity of neural networks';
const ELASTIC_MARGIN = Math.log(1.25);
/** ηmax ≤ 1/(8·Θ(x, x)): a step that changes f(x) by at most an eighth of its residual. */
const MAX_STEP_DIVISOR = 8;

export const IDENTITY: Claim = { id: 'first-order-identity', relation: 'equal', quantity: '|Δf(x′)/Δf(x) − Θ(x,x′)/Θ(x,x)| against the step η', predicted: 1, tolerance: 0.15, source: SOURCE };
export const NETWORK_ELASTIC: Claim = { id: 'network-elastic', relation: 'at-least', quantity: 'log of mean S over same-class x′ / mean S over other-class x′, network', predicted: ELASTIC_MARGIN, tolerance: 0, source: SOURCE };
export const LINEAR_NOT_ELASTIC: Claim = { id: 'linear-not-elastic', relation: 'equal', quantity: 'log of the same/other ratio of S, linear model', predicted: 0, tolerance: ELASTIC_MARGIN, source: SOURCE };

export interface ElasticityOptions extends LawOptions { claims?: { identity?: Claim; network?: Claim; linear?: Claim } }

/** Two classes of `perClass` unit vectors each, clustered around c and −c (c uniform on the sphere). */
export function antipodalClusters(d: number, perClass: number, spread: number, rng: Rng): { X: number[][]; labels: number[] } {
  const unit = (v: number[]) => { const r = Math.hypot(...v); return v.map((t) => t / r); };
  const c = unit(Array.from({ length: d }, () => rng.normal()));
  const X: number[][] = [], labels: number[] = [];
  for (const label of [1, -1]) {
    for (let i = 0; i < perClass; i++) { X.push(unit(c.map((t) => label * t + spread * rng.normal()))); labels.push(label); }
  }
  return { X, labels };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export async function localElasticityCheck(opts: ElasticityOptions = {}): Promise<LawResult> {
  const t0 = performance.now();
  const D = ELASTICITY_DEFAULTS;
  const divisors = opts.sizes ?? D.steps;
  const seedCount = opts.seeds ?? D.seeds;
  const seed = opts.seed ?? 0;
  const { width: m, d, perClass, spread } = D;
  const data = antipodalClusters(d, perClass, spread, makeRng(seed));
  const n = data.X.length;
  const pick = makeRng(seed * 7919 + 17);

  const identityErrors: number[][] = []; // [seed][step size]
  const logRatioNet: number[] = [], logRatioLin: number[] = [];
  const etaScale: number[] = [];
  for (let s = 0; s < seedCount; s++) {
    opts.onProgress?.(`seed ${s + 1} of ${seedCount}`);
    const { W, a } = initialise(replicateSeed(seed, s), m, d);
    const net: Network = { m, d, W, a };
    const i = pick.int(n);
    const x = data.X[i], y = data.labels[i];
    const same = data.X.flatMap((_, j) => (j !== i && data.labels[j] === y ? [j] : []));
    const other = data.X.flatMap((_, j) => (data.labels[j] !== y ? [j] : []));
    const xp = data.X[same[pick.int(same.length)]];
    // 1. The identity at one same-class x′, over step sizes η = ηmax/k, with ηmax below the first activation flip.
    const thetaXX = networkNtk(net, x, x);
    const ratio = networkNtk(net, x, xp) / thetaXX;
    const g = networkGradient(net, x, y);
    const etaMax = Math.min(1 / (MAX_STEP_DIVISOR * thetaXX), firstFlip(net, g, [x, xp]) / 2);
    etaScale.push(etaMax);
    const fx = networkOutput(net, x), fxp = networkOutput(net, xp);
    identityErrors.push(divisors.map((k) => {
      const after = networkStep(net, g, etaMax / k);
      return Math.abs((networkOutput(after, xp) - fxp) / (networkOutput(after, x) - fx) - ratio);
    }));
    // 2–3. Relative change at every other point after one small step (the middle of the identity's range).
    const eta = etaMax / divisors[Math.floor(divisors.length / 2)];
    const after = networkStep(net, g, eta);
    const dfx = networkOutput(after, x) - fx;
    const relNet = (j: number) => Math.abs(networkOutput(after, data.X[j]) - networkOutput(net, data.X[j])) / Math.abs(dfx);
    logRatioNet.push(Math.log(mean(same.map(relNet)) / mean(other.map(relNet))));
    const rng = makeRng(replicateSeed(seed, s, 1)); // its own stream: S of a linear model does not depend on v, but v should not be W's first row
    const v = Float64Array.from({ length: d }, () => rng.normal() / Math.sqrt(d));
    const v1 = linearStep(v, x, y, eta);
    const dlx = linearOutput(v1, x) - linearOutput(v, x);
    const relLin = (j: number) => Math.abs(linearOutput(v1, data.X[j]) - linearOutput(v, data.X[j])) / Math.abs(dlx);
    logRatioLin.push(Math.log(mean(same.map(relLin)) / mean(other.map(relLin))));
    await new Promise((r) => setImmediate(r));
  }

  const identity = opts.claims?.identity ?? IDENTITY;
  const network = opts.claims?.network ?? NETWORK_ELASTIC;
  const linear = opts.claims?.linear ?? LINEAR_NOT_ELASTIC;
  // The step sizes relative to each seed's ηmax: the same design for every seed.
  const relSteps = divisors.map((k) => 1 / k);
  const identityFit = fitExponent(relSteps, identityErrors);
  const netEstimate = meanEstimate(logRatioNet, 'log(mean S same-class / mean S other-class), network');
  const linEstimate = meanEstimate(logRatioLin, 'log(mean S same-class / mean S other-class), linear model');
  const f2 = (v: number) => v.toFixed(2);
  const statements = [
    exponentStatement(identity, `After one SGD step of size $\\eta$ at $x$: $\\left|\\frac{f(x'; \\theta^+) - f(x'; \\theta)}{f(x; \\theta^+) - f(x; \\theta)} - \\frac{\\Theta(x, x')}{\\Theta(x, x)}\\right| \\propto \\eta^{${identity.predicted}}$ (within ±${identity.tolerance})`, identityFit),
    exponentStatement(network, `Network: $\\log \\dfrac{\\operatorname{mean}_{x' \\in \\text{class}(x)} S(x, x')}{\\operatorname{mean}_{x' \\notin \\text{class}(x)} S(x, x')} ${network.relation === 'at-least' ? '\\ge' : '='} ${f2(network.predicted)}${network.relation === 'equal' ? ` \\pm ${f2(network.tolerance)}` : ''}$ with $S(x, x') = |\\Delta f(x')| / |\\Delta f(x)|$ (locally elastic)`, netEstimate, 'ratio'),
    exponentStatement(linear, `Linear model $f(x) = v^\\top x$: the same log ratio ${linear.relation === 'at-least' ? `$\\ge ${f2(linear.predicted)}$` : `$= ${f2(linear.predicted)} \\pm ${f2(linear.tolerance)}$`} (not locally elastic: $S = |x^\\top x'| / \\|x\\|^2$)`, linEstimate, 'ratio'),
  ];

  const perSeedPoints: SeriesPoint[] = [
    ...logRatioNet.map((y, s) => ({ x: s + 1, y: Math.exp(y), series: 'network' })),
    ...logRatioLin.map((y, s) => ({ x: s + 1, y: Math.exp(y), series: 'linear model' })),
  ];
  return {
    law: 'local-elasticity',
    title: 'Local elasticity: a network moves its own class, a linear model does not; the NTK ratio to first order',
    seed,
    settings: { 'step sizes (× ηmax)': relSteps.map((v) => `2^${Math.round(Math.log2(v))}`).join(', '), seeds: seedCount, width: m, d, 'points per class': perClass, spread },
    setup: `Two classes of ${perClass} unit vectors in $\\mathbb{R}^{${d}}$, $x = (\\pm c + ${spread}\\,g)/\\|\\cdot\\|$ with $c$ uniform on the sphere and $g \\sim N(0, I)$: clusters around $c$ and $-c$. The network is $f(x) = \\frac{1}{\\sqrt{${m}}} \\sum_r a_r \\max(0, w_r^\\top x)$ ($w_r \\sim N(0, I)$, $a_r = \\pm 1$), both layers trained; its NTK is $\\Theta(x, x') = \\frac1m \\sum_r 1\\{w_r^\\top x > 0, w_r^\\top x' > 0\\} (w_r^\\top x\\, w_r^\\top x' + a_r^2\\, x^\\top x')$. Each seed draws an initialisation and an $x$ (and, for the identity, a same-class $x'$); one SGD step on $\\tfrac12 (f(x) - y)^2$ with $y = \\pm 1$ the class of $x$ is taken by TensorFlow.js (autodiff, float32 step) and $\\theta + \\delta$ and the predictions are evaluated in float64. The step sizes are $\\eta_{\\max}/k$ with $\\eta_{\\max} = \\min\\{1/(8\\Theta(x, x)),\\ \\eta_{\\text{flip}}/2\\}$, $\\eta_{\\text{flip}}$ the smallest step at which a neuron's activation at $x$ or $x'$ changes sign (below it $f$ is a quadratic in $\\eta$ at those points, so the identity's error is exactly first order; above it a ReLU kink adds a piece of its own). The identity's error is fitted against $\\eta/\\eta_{\\max}$ per seed on log-log axes; the elasticity ratios use the middle step size. The linear model $v \\sim N(0, I/d)$ takes the same step on the same $x$.`,
    statements,
    figures: [
      exponentFigure({ id: 'identity', title: 'Error of the first-order NTK identity against the step', xLabel: 'η / ηmax', yLabel: '|Δf(x′)/Δf(x) − Θ(x,x′)/Θ(x,x)|', sizes: relSteps, values: relSteps.map((_, k) => identityErrors.map((e) => e[k])), claim: identity, outcome: identityFit }),
      {
        id: 'elasticity',
        title: 'Same-class over other-class mean relative change, per seed',
        points: perSeedPoints,
        plot: { xLabel: 'seed', yLabel: 'mean S same / mean S other', log: true, dots: true, references: [{ label: 'no preference', y: 1 }, { label: '1.25', y: 1.25 }] },
        caption: 'Above 1: an SGD step at x moves the predictions of its own class more than those of the other class.',
      },
    ],
    table: {
      columns: [
        { id: 'seed', label: 'seed', numeric: true },
        { id: 'net', label: 'network same/other', numeric: true },
        { id: 'lin', label: 'linear same/other', numeric: true },
        { id: 'err', label: 'identity error at the largest η', numeric: true },
        { id: 'errSmall', label: 'at the smallest η', numeric: true },
      ],
      rows: logRatioNet.map((v, s) => ({ seed: s + 1, net: Math.exp(v), lin: Math.exp(logRatioLin[s]), err: identityErrors[s][0], errSmall: identityErrors[s][divisors.length - 1] })),
      caption: 'Ratios of the mean relative change S over same-class and over other-class points; identity errors in absolute terms.',
    },
    findings: [
      `Mean over seeds of the same/other ratio: network ${Math.exp(mean(logRatioNet)).toPrecision(3)}, linear model ${Math.exp(mean(logRatioLin)).toPrecision(3)} (geometric means).`,
    ],
    data: { identityErrors, relSteps, etaScale, logRatioNet, logRatioLin, identityFit, netEstimate, linEstimate },
    seconds: (performance.now() - t0) / 1000,
  };
}
