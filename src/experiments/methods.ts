/**
 * The methods the quantised-training experiments compare, as registry
 * optimisers with their hyperparameters: full precision (sgd), BinaryConnect
 * deterministic and stochastic, the four straight-through estimators,
 * ProxQuant, ASkewSGD as the paper's code runs it (ε held, then slowly
 * decayed, α of the paper), ASkewSGD annealed to ε_T (constant and decreasing
 * steps from ε0 = 1, constant steps from ε0 = 10: a warm start, projected SGD
 * until ε < 1), and AdaSTE with the paper code's settings. All but AdaSTE take
 * the same step size and minibatch size, so the rules, not their tuning, differ;
 * AdaSTE takes the step and gradient multiplier of the paper's code.
 */
import { ESTIMATORS } from '../optimizers/quantised/ste.ts';
import { formatNumber } from '../numeric/format.ts';
import type { Method } from './quantisedTraining.ts';

export interface MethodSettings {
  /** Step size γ of every method (ASkewSGD's decreasing schedule starts there). */
  lr: number;
  batchSize: number;
  /** ProxQuant: λ_t = lambdaRate·t. */
  lambdaRate: number;
  /** ASkewSGD: α, and ε_k = eps0·δ^k with δ chosen so that ε reaches epsEnd at the last step. */
  alpha: number;
  eps0: number;
  epsEnd: number;
  steps: number;
  /** ASkewSGD as the paper's code ran it: ε = eps0 for `hold` steps, then ε·decay^(k − hold); its α. */
  paperAskew: { eps0: number; hold: number; decay: number; alpha: number };
  /** AdaSTE's step and gradient multiplier (the paper code's lr/100 and its train_set_size, rescaled to our batch-mean loss). */
  adaste: { lr: number; multiplier: number };
}

/** AdaSTE's latent start of the paper's code: |θ0| = 10, here with the signs of the shared x0. */
export const ADASTE_START = 10;

/** ε0 of the warm-started ASkewSGD variant: c_ε ≥ 0 on all of [−1, 1] while ε ≥ 1, so it starts as projected SGD. */
export const WARM_EPS0 = 10;

/** δ with eps0·δ^T = epsEnd. */
export const epsDecay = (eps0: number, epsEnd: number, T: number): number => (epsEnd / eps0) ** (1 / T);

/** The methods in table order; ids are stable JSON keys. */
export function quantisedMethods(s: MethodSettings): Method[] {
  const { lr, batchSize } = s;
  const askew = { lr, batchSize, alpha: s.alpha, eps0: s.eps0, epsDecay: epsDecay(s.eps0, s.epsEnd, s.steps) };
  const warm = { ...askew, eps0: WARM_EPS0, epsDecay: epsDecay(WARM_EPS0, s.epsEnd, s.steps) };
  return [
    { id: 'sgd', label: 'full precision (SGD)', optimizer: 'sgd', hyper: { lr, batchSize } },
    { id: 'bc-det', label: 'BinaryConnect, deterministic', optimizer: 'binaryconnect', hyper: { lr, batchSize, stochastic: 0 } },
    { id: 'bc-stoch', label: 'BinaryConnect, stochastic', optimizer: 'binaryconnect', hyper: { lr, batchSize, stochastic: 1 } },
    ...ESTIMATORS.map((e, k) => ({ id: `ste-${e}`, label: `STE, ${e}`, optimizer: 'ste', hyper: { lr, batchSize, estimator: k } })),
    { id: 'proxquant', label: 'ProxQuant', optimizer: 'proxquant', hyper: { lr, batchSize, lambdaRate: s.lambdaRate } },
    {
      id: 'askew-paper', label: 'ASkewSGD, the paper\'s ε schedule', optimizer: 'askewsgd',
      hyper: { lr, batchSize, alpha: s.paperAskew.alpha, eps0: s.paperAskew.eps0, epsDecay: s.paperAskew.decay, epsHold: s.paperAskew.hold, schedule: 0 },
    },
    { id: 'askew-const', label: 'ASkewSGD, annealed, constant steps', optimizer: 'askewsgd', hyper: { ...askew, schedule: 0 } },
    { id: 'askew-decr', label: 'ASkewSGD, annealed, decreasing steps', optimizer: 'askewsgd', hyper: { ...askew, schedule: 1 } },
    { id: 'askew-warm', label: `ASkewSGD, annealed, constant steps, ε0 = ${WARM_EPS0}`, optimizer: 'askewsgd', hyper: { ...warm, schedule: 0 } },
    {
      id: 'adaste', label: 'AdaSTE', optimizer: 'adaste',
      hyper: { lr: s.adaste.lr, batchSize, multiplier: s.adaste.multiplier, alpha: 0.01, beta: 100, momentum: 0.9, reweight: 1 },
      start: (x0) => Array.from(x0, (v) => (v >= 0 ? ADASTE_START : -ADASTE_START)),
    },
  ];
}

/** The update rules, for the setup section of a page (Markdown with KaTeX). */
export const UPDATE_RULES = `With $\\hat g(\\cdot)$ the minibatch gradient at a point, $\\operatorname{sign}(0) = +1$ and $\\gamma$ the step size:

- **SGD** (full precision): $w \\leftarrow w - \\gamma\\,\\hat g(w)$.
- **BinaryConnect**: $w_b = \\operatorname{sign}(w)$ (deterministic) or $w_b = \\pm 1$ with $P(+1) = \\operatorname{clip}(\\tfrac{w+1}{2}, 0, 1)$ (stochastic); $w \\leftarrow \\operatorname{clip}_{[-1,1]}(w - \\gamma\\,\\hat g(w_b))$.
- **STE**: $w \\leftarrow w - \\gamma\\,\\hat g(\\operatorname{sign} w) \\odot q'(w)$ with $q'$ the estimator's backward: identity $1$, clipped $1\\{|w| \\le 1\\}$, ApproxSign $2 - 2|w|$ on $|w| \\le 1$, SwishSign $\\beta(2 - \\beta w \\tanh(\\beta w/2))/(1 + \\cosh \\beta w)$, $\\beta = 5$. The real weights are not clipped.
- **ProxQuant**: $\\theta \\leftarrow \\operatorname{clip}_{[-1,1]}\\big(\\operatorname{prox}_{\\gamma\\lambda_t R}(\\theta - \\gamma\\,\\hat g(\\theta))\\big)$, $R(\\theta) = \\sum_j \\min|\\theta_j \\mp 1|$, $\\lambda_t = \\rho\\, t$: the prox moves each $|\\theta_j|$ toward 1 by $\\gamma\\lambda_t$.
- **AdaSTE**: a latent $\\theta$ (started at $\\pm 10$), the network at $w(\\theta) = \\operatorname{hardtanh}((\\theta + \\beta(1+\\alpha)\\operatorname{sign}\\theta)/(1+\\beta))$, which with $\\alpha = 0.01$, $\\beta = 100$ is $\\operatorname{sign}\\theta$; the gradient at $w$ is scaled per coordinate ($\\min(1/|\\theta|, \\tfrac12)$ where it pushes $\\theta$ toward 0, 0 where it pushes it away), multiplied by $N$, and enters a bias-corrected momentum ($\\mu = 0.9$) with a pull $\\theta$ toward 0.
- **ASkewSGD**: per coordinate, $c_\\varepsilon(w) = \\varepsilon - (w^2 - 1)^2$ and $K = \\alpha c_\\varepsilon(w)/(4w(w^2-1))$; $s = -\\hat g$ if $c_{\\varepsilon_k}(w) \\ge 0$, $w = 0$ or $-\\hat g K > K^2$, else $s = K$; $w \\leftarrow \\Pi_{[-1,1]}(w + \\gamma_k s)$ with $\\varepsilon_k = \\varepsilon_0 \\delta^{\\max(0, k - h)}$ (the paper's schedule holds $\\varepsilon_0$ for $h$ steps; the annealed variants have $h = 0$ and $\\delta$ chosen so that they end at the same $\\varepsilon_T$) and $\\gamma_k = \\gamma$ (constant) or $\\gamma/\\sqrt{k+1}$ (decreasing). Where $c_{\\varepsilon} \\ge 0$, $|w^2 - 1| \\le \\sqrt{\\varepsilon}$, so each weight is within $1 - \\sqrt{1 - \\sqrt{\\varepsilon}}$ of $\\pm 1$.`;

/** Why the warm-started ASkewSGD variant is there (Markdown), for T steps ending at ε_T. */
export const ASKEW_NOTE = (T: number, epsT: number): string => `Why a third ASkewSGD variant: with $\\varepsilon_0 = 1$, as soon as $\\varepsilon < 1$ the constraint excludes the interval $|w| < (1 - \\sqrt{\\varepsilon})^{1/2}$ around 0, and where $c_\\varepsilon < 0$ the velocity $K$ points away from 0; a weight can change sign only by jumping over that interval in one step, so the signs tend to stay those of $x_0$ (column "signs ≠ x0"). With $\\varepsilon_0 = ${WARM_EPS0}$, $c_\\varepsilon \\ge 0$ on all of $[-1, 1]$ until $\\varepsilon$ falls below 1, at step ${Math.round((T * Math.log(WARM_EPS0)) / Math.log(WARM_EPS0 / epsT))}: until then it is projected SGD.`;

/** ProxQuant's schedule and what it does (Markdown), for T steps at step size γ with ρ = 2/(γT). */
export const PROXQUANT_NOTE = (T: number, rho: number): string => `ProxQuant's $\\lambda_t = \\rho t$ with $\\rho = 2/(\\gamma T) = ${formatNumber(rho)}$: the threshold $\\gamma\\lambda_t$ passes 1 at $t = T/2$, from where every weight ends each step exactly on $\\pm1$ (the prox moves $|\\theta_j|$ to 1 from anywhere in $[0, 2]$, and the clip catches what lies beyond), so the run ends binary whatever the gradients. The pull accumulates, $\\sum_{s<t} \\gamma\\lambda_s \\approx t^2/T$, which reaches 1 near $t = \\sqrt T \\approx ${Math.round(Math.sqrt(T))}$: in practice the weights sit on $\\pm1$ after about that many steps, and few signs change later (column "signs ≠ x0").`;
