/**
 * [network-gpfq] GPFQ on every layer of a small trained network, as the notes
 * quantise whole networks: a 2-32-32-1 ReLU network trained in float64 (Adam,
 * full batch, logistic loss) on two moons, then every layer's weights
 * quantised to b bits by GPFQ in order on calibration points from the
 * training set (src/compression, quantiseNetwork), or rounded; test accuracy
 * and loss before and after, over independently drawn data and initialisations.
 */
import { networkOutput, quantiseNetwork, type DenseLayer } from '../compression/index.ts';
import { mat, type Mat } from '../numeric/linalg.ts';
import { makeRng, type Rng } from '../numeric/rng.ts';
import { formatNumber } from '../numeric/format.ts';
import type { SeriesPoint } from './series.ts';
import { checkClaims, type ClaimSpec } from './claims.ts';
import { moonsData } from './twoMoons.ts';
import { numericColumns, type Experiment, type ExperimentOptions, type ExperimentResult } from './types.ts';

export const NETWORK_DEFAULTS = {
  widths: [2, 32, 32, 1],
  nTrain: 400,
  nTest: 1000,
  noise: 0.1,
  /** Calibration points for GPFQ: the first m training points. */
  calibration: 200,
  /** Adam steps, full batch (test accuracy ≈ 0.998 by then). */
  steps: 500,
  lr: 0.01,
  bits: [2, 3, 4, 6],
  /** Networks: the log error ratio has sd ≈ 1.2 across networks, so 8 leave most claims inconclusive (measured). */
  seeds: 16,
} as const;

/** He-uniform initialisation U(±√(6/fan-in)) for weights, zero biases. */
function initialise(widths: readonly number[], rng: Rng): DenseLayer[] {
  return widths.slice(1).map((out, l) => {
    const fanIn = widths[l], r = Math.sqrt(6 / fanIn);
    return { W: mat(out, fanIn, Float64Array.from({ length: out * fanIn }, () => rng.uniform(-r, r))), b: new Float64Array(out) };
  });
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** Mean logistic loss and accuracy of the network's sign on (X, s); sign(0) = +1. */
export function scoreNetwork(layers: readonly DenseLayer[], X: Mat, s: readonly number[]): { loss: number; accuracy: number } {
  const g = networkOutput(layers, X).data;
  let loss = 0, right = 0;
  s.forEach((si, i) => { loss += softplus(-si * g[i]); if ((g[i] >= 0 ? 1 : -1) === si) right++; });
  return { loss: loss / s.length, accuracy: right / s.length };
}

/** Full-batch Adam on the mean logistic loss, gradients by backpropagation in float64. */
export function trainNetwork(layers: DenseLayer[], X: Mat, s: readonly number[], steps: number, lr: number): void {
  const params = layers.flatMap((l) => [l.W.data, l.b]);
  const m = params.map((p) => new Float64Array(p.length)), v = params.map((p) => new Float64Array(p.length));
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const n = X.rows;
  for (let t = 1; t <= steps; t++) {
    // Forward, keeping every layer's input and pre-activation.
    const inputs: Mat[] = [X], pre: Mat[] = [];
    layers.forEach((layer, l) => {
      const H = inputs[l], Z = mat(H.rows, layer.W.rows);
      for (let i = 0; i < H.rows; i++)
        for (let o = 0; o < layer.W.rows; o++) {
          let z = layer.b[o];
          for (let k = 0; k < H.cols; k++) z += H.data[i * H.cols + k] * layer.W.data[o * H.cols + k];
          Z.data[i * Z.cols + o] = z;
        }
      pre.push(Z);
      if (l < layers.length - 1) inputs.push(mat(Z.rows, Z.cols, Z.data.map((z) => (z > 0 ? z : 0))));
    });
    // Backward: ∂/∂g softplus(−s g) = −s σ(−s g).
    let dZ = mat(n, 1, Float64Array.from(s, (si, i) => (-si * sigmoid(-si * pre[pre.length - 1].data[i])) / n));
    const grads: Float64Array[] = new Array(params.length);
    for (let l = layers.length - 1; l >= 0; l--) {
      const H = inputs[l], W = layers[l].W;
      const dW = new Float64Array(W.data.length), db = new Float64Array(W.rows);
      const dH = mat(H.rows, H.cols);
      for (let i = 0; i < n; i++)
        for (let o = 0; o < W.rows; o++) {
          const d = dZ.data[i * W.rows + o];
          if (d === 0) continue;
          db[o] += d;
          for (let k = 0; k < H.cols; k++) {
            dW[o * H.cols + k] += d * H.data[i * H.cols + k];
            dH.data[i * H.cols + k] += d * W.data[o * H.cols + k];
          }
        }
      grads[2 * l] = dW;
      grads[2 * l + 1] = db;
      if (l > 0) dZ = mat(n, H.cols, dH.data.map((g, idx) => (pre[l - 1].data[idx] > 0 ? g : 0)));
    }
    params.forEach((p, j) => {
      const g = grads[j];
      for (let k = 0; k < p.length; k++) {
        m[j][k] = b1 * m[j][k] + (1 - b1) * g[k];
        v[j][k] = b2 * v[j][k] + (1 - b2) * g[k] * g[k];
        p[k] -= (lr * (m[j][k] / (1 - b1 ** t))) / (Math.sqrt(v[j][k] / (1 - b2 ** t)) + eps);
      }
    });
  }
}

export const networkGpfqExperiment: Experiment = {
  id: 'network-gpfq',
  title: 'GPFQ on every layer of a trained network: accuracy before and after',
  summary: 'a 2-32-32-1 ReLU network trained on two moons, every layer quantised by GPFQ (or rounded) to 2–6 bits: test accuracy and loss before/after',
  defaults: {
    minSteps: 1,
    maxSteps: 20_000,
    steps: NETWORK_DEFAULTS.steps,
    seeds: { default: NETWORK_DEFAULTS.seeds, min: 2, max: 32 },
    describe: `--steps is the Adam steps of the training (full batch, γ ${NETWORK_DEFAULTS.lr}); n_train ${NETWORK_DEFAULTS.nTrain}, n_test ${NETWORK_DEFAULTS.nTest}, ${NETWORK_DEFAULTS.calibration} calibration points, bits ${NETWORK_DEFAULTS.bits.join(', ')}; --seeds networks`,
  },
  tensorflow: false,
  run: runNetworkGpfq,
};

async function runNetworkGpfq(opts: ExperimentOptions): Promise<ExperimentResult> {
  const started = performance.now();
  const D = NETWORK_DEFAULTS;
  const seed = opts.seed ?? 0, S = opts.seeds ?? D.seeds, T = opts.steps ?? D.steps;
  const asMat = (rows: number[][]) => mat(rows.length, 2, rows.flat());
  const nets = Array.from({ length: S }, (_, k) => {
    opts.onProgress?.(`network ${k + 1}/${S}: training`);
    const rng = makeRng(seed + k);
    const seeds = [0, 1, 2].map(() => Math.floor(rng.next() * 2 ** 32));
    const train = moonsData({ seed: seeds[0], n: D.nTrain, noise: D.noise }), test = moonsData({ seed: seeds[1], n: D.nTest, noise: D.noise });
    const Xtr = asMat(train.X), Xte = asMat(test.X);
    const layers = initialise(D.widths, makeRng(seeds[2]));
    trainNetwork(layers, Xtr, train.s, T, D.lr);
    const calib = mat(D.calibration, 2, Xtr.data.subarray(0, 2 * D.calibration));
    const before = scoreNetwork(layers, Xte, test.s);
    const analog = networkOutput(layers, Xte).data;
    /** Test loss, accuracy, and the relative squared distance of the outputs to the trained network's, ‖g̃ − g‖²/‖g‖² on the test points. */
    const judge = (q: DenseLayer[]) => {
      const out = networkOutput(q, Xte).data;
      let num = 0, den = 0;
      analog.forEach((g, i) => { num += (out[i] - g) ** 2; den += g * g; });
      return { ...scoreNetwork(q, Xte, test.s), output_error: num / den };
    };
    const after = D.bits.map((b) => ({
      bits: b,
      gpfq: judge(quantiseNetwork(layers, calib, b, 'gpfq')),
      rounding: judge(quantiseNetwork(layers, calib, b, 'rounding')),
    }));
    return { before, after, train: scoreNetwork(layers, Xtr, train.s) };
  });
  const mean = (f: (n: (typeof nets)[number]) => number) => nets.reduce((a, n) => a + f(n), 0) / S;
  const rows = D.bits.map((b, j) => ({
    bits: b, acc_before: mean((n) => n.before.accuracy), acc_gpfq: mean((n) => n.after[j].gpfq.accuracy), acc_rounding: mean((n) => n.after[j].rounding.accuracy),
    loss_before: mean((n) => n.before.loss), loss_gpfq: mean((n) => n.after[j].gpfq.loss), loss_rounding: mean((n) => n.after[j].rounding.loss),
    err_gpfq: mean((n) => n.after[j].gpfq.output_error), err_rounding: mean((n) => n.after[j].rounding.output_error),
  }));
  const points: SeriesPoint[] = [
    ...rows.map((r) => ({ x: r.bits, y: r.acc_before, series: 'full precision' })),
    ...rows.map((r) => ({ x: r.bits, y: r.acc_gpfq, series: 'GPFQ' })),
    ...rows.map((r) => ({ x: r.bits, y: r.acc_rounding, series: 'nearest rounding' })),
  ];
  const source = 'Lybrand & Saab 2021; Zhang, Zhou & Saab 2023 (GPFQ keeps a quantised network close to the analog one, better than rounding)';
  // The papers bound how far the quantised network's outputs move from the analog one's: that is the claim, per bits,
  // judged on the log of the ratio of the two errors (rounding's error is heavy-tailed: a single bad network swamps a difference).
  const specs: ClaimSpec[] = D.bits.map((b, j) => ({
    id: `gpfq-closer@${b}`, claim: `the GPFQ-quantised network's outputs are closer to the trained network's than the rounded one's, at ${b} bits`, source,
    quantity: `log(output error of GPFQ / output error of rounding), ${b} bits`, relation: 'below', value: 0,
    draws: nets.map((n) => Math.log(n.after[j].gpfq.output_error / n.after[j].rounding.output_error)),
  }));
  const claims = checkClaims(specs, undefined, 'networks');
  return {
    experiment: networkGpfqExperiment.id,
    title: networkGpfqExperiment.title,
    seed,
    settings: { network: D.widths.join('-'), n_train: D.nTrain, n_test: D.nTest, noise: D.noise, 'Adam steps': T, 'Adam γ': D.lr, calibration: D.calibration, bits: D.bits.join(', '), networks: `${S} (seeds ${seed}…${seed + S - 1})` },
    setup: `A ${D.widths.join('-')} ReLU network (He-uniform weights, zero biases) is trained in float64 by full-batch Adam ($\\gamma = ${D.lr}$, ${T} steps) on the logistic loss over ${D.nTrain} two-moons points (noise ${D.noise}, the two-moons experiment's data), then every layer's weights are quantised to $b$ bits, $\\{\\pm k\\delta : 0 \\le k \\le 2^{b-1}\\}$ with $\\delta = (1.16/2^{b-1})\\cdot$ the mean over the layer's neurons of the largest $|$weight$|$: by **GPFQ** layer after layer, each layer on the input the analog network gives it and the input the already-quantised network gives it (${D.calibration} training points as calibration data), or by **nearest rounding**. Biases stay real, as in the papers. Test accuracy (${D.nTest} fresh points, prediction $\\operatorname{sign}$ of the output) and test loss before and after, means over ${S} networks (new data and initialisation each).`,
    figures: [{ id: 'accuracy', title: 'test accuracy against bits', points, plot: { xLabel: 'bits b', yLabel: 'test accuracy', dashed: ['full precision'], dots: true }, caption: `Means over ${S} networks.` }],
    table: {
      columns: numericColumns({
        bits: 'bits', acc_before: 'test acc, trained', acc_gpfq: 'test acc, GPFQ', acc_rounding: 'test acc, rounding',
        loss_before: 'test loss, trained', loss_gpfq: 'test loss, GPFQ', loss_rounding: 'test loss, rounding', err_gpfq: 'output error, GPFQ', err_rounding: 'output error, rounding',
      }),
      rows,
      caption: `Means over ${S} networks; training accuracy before quantisation ${formatNumber(mean((n) => n.train.accuracy))}. Output error: ‖g̃ − g‖²/‖g‖², the quantised network's outputs g̃ against the trained network's g on the test points.`,
    },
    findings: rows.map((r) => `${r.bits} bits: test accuracy ${formatNumber(r.acc_before)} trained, ${formatNumber(r.acc_gpfq)} after GPFQ, ${formatNumber(r.acc_rounding)} after rounding; test loss ${formatNumber(r.loss_before)}, ${formatNumber(r.loss_gpfq)}, ${formatNumber(r.loss_rounding)}; output error ${formatNumber(r.err_gpfq)} (GPFQ), ${formatNumber(r.err_rounding)} (rounding).`),
    data: { widths: D.widths, bits: D.bits, networks: nets, means: rows },
    claims,
    closing: `*The papers*: GPFQ quantises a whole network layer by layer while staying close to the analog network, better than rounding. *Here*, outputs closer to the trained network's than rounding's: ${claims.claims.map((c) => `**${c.verdict}** at ${c.id.split('@')[1]} bits`).join(', ')}; test accuracy at the fewest bits (${rows[0].bits}): ${formatNumber(rows[0].acc_gpfq)} with GPFQ, ${formatNumber(rows[0].acc_rounding)} rounded, ${formatNumber(rows[0].acc_before)} trained.`,
    seconds: (performance.now() - started) / 1000,
  };
}
