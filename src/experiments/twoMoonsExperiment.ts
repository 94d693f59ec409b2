/**
 * [two-moons] Quantised training of a small nonconvex model: the 2-3-1 ReLU
 * network of twoMoons.ts (d = 13) on seeded two-moons data, trained by every
 * quantised method and by full-precision SGD with the same data, start and
 * minibatch stream.
 *
 * Biases are quantised too. BinaryConnect binarises weights and keeps biases
 * real, but the registered rules act on the whole parameter vector (they have
 * no per-coordinate mask), so here all 13 parameters are trained toward
 * {±1} and sign() is applied to all 13. The page says what that costs: the
 * best of all 2^13 sign vectors (exhaustive search) bounds what any method can
 * reach after sign().
 */
import { makeRng } from '../numeric/rng.ts';
import { formatNumber } from '../report/format.ts';
import { ASKEW_NOTE, PROXQUANT_NOTE, UPDATE_RULES } from './methods.ts';
import type { QuantisedProblem } from './quantisedTraining.ts';
import { runTraining, type TrainingSchedule } from './training.ts';
import { moonsData, moonsLogit, MOONS_DIM, twoMoons } from './twoMoons.ts';
import type { Experiment, ExperimentOptions, ExperimentResult } from './types.ts';

export const MOONS_DEFAULTS = {
  nTrain: 200,
  nTest: 1000,
  noise: 0.1,
  batchSize: 20,
  steps: 1500,
  lr: 0.2,
  alpha: 0.1,
  eps0: 1,
  /** ε at the last step; δ = epsEnd^(1/T). */
  epsEnd: 1e-4,
  /** |x0_j| ≤ this (uniform), the same start for every method. */
  x0Scale: 1,
} as const;

/** Training data, test data and the start, all from `seed` (three independent streams). */
export function moonsProblem(seed: number, nTrain = MOONS_DEFAULTS.nTrain, nTest = MOONS_DEFAULTS.nTest, noise = MOONS_DEFAULTS.noise): QuantisedProblem {
  const rng = makeRng(seed);
  const seeds = [0, 1, 2].map(() => Math.floor(rng.next() * 2 ** 32));
  const train = moonsData({ seed: seeds[0], n: nTrain, noise });
  const test = moonsData({ seed: seeds[1], n: nTest, noise });
  const start = makeRng(seeds[2]);
  const x0 = Array.from({ length: MOONS_DIM }, () => start.uniform(-MOONS_DEFAULTS.x0Scale, MOONS_DEFAULTS.x0Scale));
  return { family: twoMoons, instance: twoMoons.instantiate({ ...train, x0 }), train, test, score: moonsLogit };
}

export const twoMoonsExperiment: Experiment = {
  id: 'two-moons',
  title: 'Quantised training of a 2-3-1 ReLU network on two moons',
  summary: 'two moons, a 13-parameter ReLU network (biases quantised too): every quantised method vs full precision',
  defaults: {
    minSteps: 1,
    maxSteps: 20_000,
    steps: MOONS_DEFAULTS.steps,
    describe: `n_train ${MOONS_DEFAULTS.nTrain}, n_test ${MOONS_DEFAULTS.nTest}, noise ${MOONS_DEFAULTS.noise}, batch ${MOONS_DEFAULTS.batchSize}, γ ${MOONS_DEFAULTS.lr}, α ${MOONS_DEFAULTS.alpha}, ε ${MOONS_DEFAULTS.eps0} → ${MOONS_DEFAULTS.epsEnd}`,
  },
  tensorflow: true,
  run: runMoons,
};

function runMoons(opts: ExperimentOptions): Promise<ExperimentResult> {
  const D = MOONS_DEFAULTS;
  const T = opts.steps ?? D.steps;
  return runTraining({
    id: twoMoonsExperiment.id,
    title: twoMoonsExperiment.title,
    hyper: D,
    problem: moonsProblem(opts.seed ?? 0),
    steps: T,
    seed: opts.seed ?? 0,
    every: Math.max(1, Math.floor(T / 40)),
    onProgress: opts.onProgress,
    settings: { n_train: D.nTrain, n_test: D.nTest, noise: D.noise, d: MOONS_DIM, x0: `U[−${D.x0Scale}, ${D.x0Scale}]^${MOONS_DIM}` },
    describe: (best, schedule) => ({
      setup: setupText(schedule),
      references: [
        { metric: 'quantised_loss', label: 'best sign vector', value: best.loss },
        { metric: 'quantised_accuracy', label: 'best sign vector', value: best.accuracy },
      ],
      findings: [
        `The best of all 2^13 sign vectors (exhaustive, biases included) has training loss ${formatNumber(best.loss)}, training accuracy ${formatNumber(best.train_accuracy)} and test accuracy ${formatNumber(best.accuracy)}: no method can reach a lower training loss after sign() (accuracies are not bounded by it: the best vector is chosen by loss).`,
      ],
      references_data: {},
    }),
  });
}

function setupText({ T, delta, epsT, rho }: TrainingSchedule): string {
  const D = MOONS_DEFAULTS;
  return `Two moons: ${D.nTrain} training and ${D.nTest} test points, each on the upper half circle $(\\cos \\pi t, \\sin \\pi t)$ (label $-1$) or the lower one $(1 - \\cos \\pi t, \\tfrac12 - \\sin \\pi t)$ (label $+1$) with probability ½, $t \\sim U[0, 1]$, plus Gaussian noise of standard deviation ${D.noise} per coordinate, then mapped by $(x, y) \\mapsto (x - \\tfrac12, 2(y - \\tfrac14))$ so both inputs span about $[-1.5, 1.5]$. The model is a 2-3-1 ReLU network $g_\\theta(x) = W_2^\\top \\operatorname{relu}(W_1^\\top x + b_1) + b_2$ with $\\theta = (W_1 \\in \\mathbb R^{2\\times 3}, b_1, W_2, b_2) \\in \\mathbb R^{13}$, the loss is the logistic (binary cross-entropy) loss $f(\\theta) = \\frac1n\\sum_i \\log(1 + e^{-s_i g_\\theta(x_i)})$, and a prediction is $\\operatorname{sign}(g_\\theta(x))$. Nothing about $f$ is certified (no $L$, $\\mu$ or $f^\\star$): it is nonconvex and nonsmooth. Every method starts from the same $\\theta_0 \\sim U[-${D.x0Scale}, ${D.x0Scale}]^{13}$ and, with the same seed, draws the same minibatches (${D.batchSize} indices with replacement per step), for ${T} steps.

${UPDATE_RULES}

${ASKEW_NOTE(T, epsT)}

**Biases are quantised too.** BinaryConnect binarises weights and keeps biases real; the registered rules act on the whole parameter vector, so here all 13 parameters, biases included, are trained toward $\\{\\pm1\\}$ and sign() is applied to all of them. The exhaustive search over all $2^{13}$ sign vectors below shows what that costs: it bounds the training loss any method can reach after sign().

ASkewSGD anneals $\\varepsilon_k = ${D.eps0}\\cdot\\delta^k$ with $\\delta = ${formatNumber(delta)}$ ($\\varepsilon_T = ${formatNumber(epsT)}$). ${PROXQUANT_NOTE(T, rho)} Losses and accuracies are measured in float64 on the float32 iterates.`;
}
