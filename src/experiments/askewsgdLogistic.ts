/**
 * [askewsgd-logistic] The logistic-regression experiment of the ASkewSGD
 * paper's code (Leconte, Schechtman, Moulines 2023; shared/QNN.md): a binary
 * teacher w* = sign(U − ½) ∈ {±1}^10, inputs X ~ U[−1, 1]^10, labels
 * y ~ Bernoulli(sigmoid(Xw*)), trained by every quantised method and by
 * full-precision SGD on the same data and minibatch stream.
 *
 * Changed from the paper, and why: ε is annealed, ε_k = ε0·δ^k with δ chosen
 * so that ε_T = 1e-4 at the last step (with ε = 1 throughout, c_ε ≥ 0 holds on
 * all of [−1, 1] and ASkewSGD is projected SGD); the step size is constant (the
 * registered rules take one γ per run, so the paper's halving at epoch 30 is
 * left out; ASkewSGD's decreasing schedule is γ/√(k+1)); and the loss carries
 * λ = 1e-4 of L2 (the logistic-l2 family certifies μ = λ and needs λ > 0;
 * (λ/2)‖w‖² ≤ 5e-4 on [−1, 1]^10). The default run is 20 epochs instead of 50;
 * --steps 3000 is the paper's length.
 */
import { logistic } from '../classes/families/logistic.ts';
import { dot } from '../numeric/linalg.ts';
import { makeRng } from '../numeric/rng.ts';
import { formatNumber } from '../report/format.ts';
import { ASKEW_NOTE, PROXQUANT_NOTE, UPDATE_RULES } from './methods.ts';
import { accuracy, type LabelledData, type QuantisedProblem } from './quantisedTraining.ts';
import { runTraining, type TrainingSchedule } from './training.ts';
import type { Experiment, ExperimentOptions, ExperimentResult } from './types.ts';

export const LOGISTIC_DEFAULTS = {
  nTrain: 6000,
  nTest: 1000,
  d: 10,
  batchSize: 100,
  /** 20 epochs of 60 minibatches (the paper: 50 epochs, --steps 3000). */
  steps: 1200,
  lr: 2,
  alpha: 0.1,
  eps0: 1,
  /** ε at the last step; δ = epsEnd^(1/T). */
  epsEnd: 1e-4,
  /** L2 weight of the logistic-l2 family (> 0 there). */
  lambda: 1e-4,
  /** |x0_j| ≤ this (uniform), the same start for every method. */
  x0Scale: 0.1,
} as const;

/** The paper's data: w* ∈ {±1}^d, X ~ U[−1, 1]^d, labels ±1 with P(+1) = sigmoid(x·w*). */
export function teacherData(seed: number, nTrain: number, nTest: number, d: number): { wstar: number[]; train: LabelledData; test: LabelledData; x0: number[] } {
  const rng = makeRng(seed);
  const wstar = Array.from({ length: d }, () => (rng.next() - 0.5 >= 0 ? 1 : -1));
  const draw = (n: number): LabelledData => {
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform(-1, 1)));
    const s = X.map((x) => (rng.next() < 1 / (1 + Math.exp(-x.reduce((a, v, j) => a + v * wstar[j], 0))) ? 1 : -1));
    return { X, s };
  };
  const train = draw(nTrain), test = draw(nTest);
  const x0 = Array.from({ length: d }, () => rng.uniform(-LOGISTIC_DEFAULTS.x0Scale, LOGISTIC_DEFAULTS.x0Scale));
  return { wstar, train, test, x0 };
}


export const askewsgdLogistic: Experiment = {
  id: 'askewsgd-logistic',
  title: 'Quantised training on the ASkewSGD logistic setup',
  summary: 'binary teacher, logistic regression (d = 10): every quantised method vs full precision, ε annealed',
  defaults: {
    minSteps: 1,
    maxSteps: 30_000,
    steps: LOGISTIC_DEFAULTS.steps,
    describe: `n_train ${LOGISTIC_DEFAULTS.nTrain}, n_test ${LOGISTIC_DEFAULTS.nTest}, d ${LOGISTIC_DEFAULTS.d}, batch ${LOGISTIC_DEFAULTS.batchSize} (20 epochs; the paper's 50 are --steps 3000), γ ${LOGISTIC_DEFAULTS.lr}, α ${LOGISTIC_DEFAULTS.alpha}, ε ${LOGISTIC_DEFAULTS.eps0} → ${LOGISTIC_DEFAULTS.epsEnd}`,
  },
  tensorflow: true,
  run: runLogistic,
};

function runLogistic(opts: ExperimentOptions): Promise<ExperimentResult> {
  const D = LOGISTIC_DEFAULTS;
  const T = opts.steps ?? D.steps;
  const seed = opts.seed ?? 0;
  const data = teacherData(seed, D.nTrain, D.nTest, D.d);
  const instance = logistic.instantiate({ X: data.train.X as number[][], s: data.train.s as number[], lambda: D.lambda, x0: data.x0 });
  const problem: QuantisedProblem = { family: logistic, instance, train: data.train, test: data.test, score: dot };
  const epoch = D.nTrain / D.batchSize;
  const teacher = { loss: instance.value(data.wstar), accuracy: accuracy(problem, data.wstar, data.test) };
  const fstar = instance.cert.fstar;
  return runTraining({
    id: askewsgdLogistic.id,
    title: askewsgdLogistic.title,
    hyper: D,
    problem,
    steps: T,
    seed,
    every: Math.max(1, Math.min(epoch, Math.floor(T / 10))),
    onProgress: opts.onProgress,
    settings: { n_train: D.nTrain, n_test: D.nTest, d: D.d, epochs: T / epoch, 'L2 λ': D.lambda, x0: `U[−${D.x0Scale}, ${D.x0Scale}]^${D.d}` },
    describe: (best, schedule) => ({
      setup: setupText(schedule, epoch),
      references: [
        { metric: 'loss', label: 'f* (real weights)', value: fstar },
        { metric: 'quantised_loss', label: 'best sign vector', value: best.loss },
        { metric: 'quantised_accuracy', label: 'teacher w*', value: teacher.accuracy },
        { metric: 'accuracy', label: 'teacher w*', value: teacher.accuracy },
      ],
      findings: [
        `The teacher w* ∈ {±1}^10 scores training loss ${formatNumber(teacher.loss)} and test accuracy ${formatNumber(teacher.accuracy)}; the best of all 2^10 sign vectors (exhaustive) has training loss ${formatNumber(best.loss)} and test accuracy ${formatNumber(best.accuracy)}; the real-valued optimum has f* = ${formatNumber(fstar)}.`,
      ],
      references_data: { fstar, teacher: { weights: data.wstar, ...teacher } },
    }),
  });
}

function setupText({ T, delta, epsT, rho }: TrainingSchedule, epoch: number): string {
  const D = LOGISTIC_DEFAULTS;
  return `The logistic experiment of the ASkewSGD paper's code: a binary teacher $w^\\star = \\operatorname{sign}(U - \\tfrac12) \\in \\{\\pm 1\\}^{${D.d}}$, inputs $x \\sim U[-1,1]^{${D.d}}$, labels $s = \\pm 1$ with $P(s = +1) = \\sigma(x^\\top w^\\star)$; ${D.nTrain} training and ${D.nTest} test points. The loss is $f(w) = \\frac1n \\sum_i \\log(1 + e^{-s_i x_i^\\top w}) + \\frac{\\lambda}{2}\\|w\\|^2$ (the \`logistic-l2\` family) and a prediction is $\\operatorname{sign}(x^\\top w)$. Every method starts from the same $x_0$ and, with the same seed, draws the same minibatches (${D.batchSize} indices with replacement per step, ${epoch} steps an epoch): ${T} steps, ${formatNumber(T / epoch)} epochs.

${UPDATE_RULES}

${ASKEW_NOTE(T, epsT)}

Changed from the paper, and why:

- **$\\varepsilon$ is annealed**: $\\varepsilon_k = ${D.eps0}\\cdot\\delta^k$ with $\\delta = ${formatNumber(delta)}$, so $\\varepsilon_T = ${formatNumber(epsT)}$. With $\\varepsilon = 1$ throughout, $c_\\varepsilon \\ge 0$ holds on all of $[-1, 1]$ and ASkewSGD is projected SGD.
- **Constant step size** $\\gamma = ${D.lr}$: the registered rules take one $\\gamma$ per run, so the paper's halving at epoch 30 is left out (ASkewSGD's decreasing schedule is $\\gamma/\\sqrt{k+1}$).
- **$\\lambda = ${D.lambda}$**: the \`logistic-l2\` family needs $\\lambda > 0$; on $[-1,1]^{${D.d}}$ its term is at most $${formatNumber(D.lambda * D.d / 2)}$.
- **${formatNumber(T / epoch)} epochs** by default instead of 50 (\`--steps 3000\` is the paper's length).

${PROXQUANT_NOTE(T, rho)} "After sign()" means $q(w) = \\operatorname{sign}(w)$ on every coordinate, $\\operatorname{sign}(0) = +1$, for every method (stochastic BinaryConnect included). Losses and accuracies are measured in float64 on the float32 iterates.`;
}
