/**
 * The methods the quantised-training experiments compare, as registry
 * optimisers with their hyperparameters: full precision (sgd), BinaryConnect
 * deterministic and stochastic, the four straight-through estimators,
 * ProxQuant, and ASkewSGD with constant and decreasing steps. All take the
 * same step size and minibatch size, so the rules, not their tuning, differ.
 */
import { ESTIMATORS } from '../optimizers/quantised/ste.ts';
import type { Method } from './quantisedTraining.ts';

export interface MethodSettings {
  /** Step size γ of every method (ASkewSGD's decreasing schedule starts there). */
  lr: number;
  batchSize: number;
  /** ProxQuant: λ_t = lambdaRate·t. */
  lambdaRate: number;
  /** ASkewSGD: α, and ε_k = eps0·epsDecay^k. */
  alpha: number;
  eps0: number;
  epsDecay: number;
}

/** The methods in table order; ids are stable JSON keys. */
export function quantisedMethods(s: MethodSettings): Method[] {
  const { lr, batchSize } = s;
  const askew = { lr, batchSize, alpha: s.alpha, eps0: s.eps0, epsDecay: s.epsDecay };
  return [
    { id: 'sgd', label: 'full precision (SGD)', optimizer: 'sgd', hyper: { lr, batchSize } },
    { id: 'bc-det', label: 'BinaryConnect, deterministic', optimizer: 'binaryconnect', hyper: { lr, batchSize, stochastic: 0 } },
    { id: 'bc-stoch', label: 'BinaryConnect, stochastic', optimizer: 'binaryconnect', hyper: { lr, batchSize, stochastic: 1 } },
    ...ESTIMATORS.map((e, k) => ({ id: `ste-${e}`, label: `STE, ${e}`, optimizer: 'ste', hyper: { lr, batchSize, estimator: k } })),
    { id: 'proxquant', label: 'ProxQuant', optimizer: 'proxquant', hyper: { lr, batchSize, lambdaRate: s.lambdaRate } },
    { id: 'askew-const', label: 'ASkewSGD, constant steps', optimizer: 'askewsgd', hyper: { ...askew, schedule: 0 } },
    { id: 'askew-decr', label: 'ASkewSGD, decreasing steps', optimizer: 'askewsgd', hyper: { ...askew, schedule: 1 } },
  ];
}

/** The update rules, for the setup section of a page (Markdown with KaTeX). */
export const UPDATE_RULES = `With $\\hat g(\\cdot)$ the minibatch gradient at a point, $\\operatorname{sign}(0) = +1$ and $\\gamma$ the step size:

- **SGD** (full precision): $w \\leftarrow w - \\gamma\\,\\hat g(w)$.
- **BinaryConnect**: $w_b = \\operatorname{sign}(w)$ (deterministic) or $w_b = \\pm 1$ with $P(+1) = \\operatorname{clip}(\\tfrac{w+1}{2}, 0, 1)$ (stochastic); $w \\leftarrow \\operatorname{clip}_{[-1,1]}(w - \\gamma\\,\\hat g(w_b))$.
- **STE**: $w \\leftarrow w - \\gamma\\,\\hat g(\\operatorname{sign} w) \\odot q'(w)$ with $q'$ the estimator's backward: identity $1$, clipped $1\\{|w| \\le 1\\}$, ApproxSign $2 - 2|w|$ on $|w| \\le 1$, SwishSign $\\beta(2 - \\beta w \\tanh(\\beta w/2))/(1 + \\cosh \\beta w)$, $\\beta = 5$. The real weights are not clipped.
- **ProxQuant**: $\\theta \\leftarrow \\operatorname{clip}_{[-1,1]}\\big(\\operatorname{prox}_{\\gamma\\lambda_t R}(\\theta - \\gamma\\,\\hat g(\\theta))\\big)$, $R(\\theta) = \\sum_j \\min|\\theta_j \\mp 1|$, $\\lambda_t = \\rho\\, t$: the prox moves each $|\\theta_j|$ toward 1 by $\\gamma\\lambda_t$.
- **ASkewSGD**: per coordinate, $c_\\varepsilon(w) = \\varepsilon - (w^2 - 1)^2$ and $K = \\alpha c_\\varepsilon(w)/(4w(w^2-1))$; $s = -\\hat g$ if $c_{\\varepsilon_k}(w) \\ge 0$, $w = 0$ or $-\\hat g K > K^2$, else $s = K$; $w \\leftarrow \\Pi_{[-1,1]}(w + \\gamma_k s)$ with $\\varepsilon_k = \\varepsilon_0 \\delta^k$ and $\\gamma_k = \\gamma$ (constant) or $\\gamma/\\sqrt{k+1}$ (decreasing). Where $c_{\\varepsilon} \\ge 0$, $|w^2 - 1| \\le \\sqrt{\\varepsilon}$, so each weight is within $1 - \\sqrt{1 - \\sqrt{\\varepsilon}}$ of $\\pm 1$.`;
