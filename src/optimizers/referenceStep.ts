/**
 * One exact-arithmetic step of an optimiser, in float64, from the iterates a
 * float32 run produced. The difference between the next float32 iterate and
 * this step is the rounding that one float32 step committed: the tolerance
 * model (src/engine/precision.ts) measures it instead of modelling it.
 */
import type { Instance } from '../classes/types.ts';
import { axpy, dot, matVec, mat, sub, type Vec } from '../numeric/linalg.ts';
import { nextLambda } from './nesterov.ts';
import { optimizerById } from './index.ts';

/**
 * x_{k+1} from x_k and x_{k−1} (x_{−1} = x_0) with the row's hyperparameters,
 * or undefined for an optimiser without a reference here.
 */
export function referenceStep(optimizer: string, inst: Instance, hyper: Readonly<Record<string, number>>, x: Vec, xPrev: Vec, k: number): Vec | undefined {
  switch (optimizer) {
    case 'gd':
      return axpy(x, -hyper.lr, inst.grad(x));
    case 'heavy-ball':
      // x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1})
      return axpy(axpy(x, -hyper.lr, inst.grad(x)), hyper.momentum, sub(x, xPrev));
    case 'nesterov': {
      // y_k = x_k + c_{k−1}(x_k − x_{k−1}), y_0 = x_0; x_{k+1} = y_k − γ∇f(y_k), then h's prox on a composite problem
      const c = k === 0 ? 0 : hyper.momentum ?? fistaCoefficient(k);
      const y = axpy(x, c, sub(x, xPrev));
      const step = axpy(y, -hyper.lr, inst.grad(y));
      return inst.nonsmooth ? inst.nonsmooth.prox(step, hyper.lr) : step;
    }
    case 'proximal-gd': {
      // x_{k+1} = prox_{γg}(x_k − γ∇f(x_k)): the soft threshold at γℓ₁, or the problem's own h
      const z = axpy(x, -hyper.lr, inst.grad(x));
      if (hyper.l1 === undefined) return inst.nonsmooth?.prox(z, hyper.lr);
      const tau = hyper.lr * hyper.l1;
      return z.map((v) => Math.sign(v) * Math.max(Math.abs(v) - tau, 0));
    }
    case 'gd-exact-line-search': {
      if (!inst.hess) return undefined;
      const g = inst.grad(x);
      const gg = dot(g, g);
      const ghg = dot(g, matVec(mat(inst.dim, inst.dim, inst.hess(x)), g));
      return gg === 0 || !(ghg > 0) ? Float64Array.from(x) : axpy(x, -gg / ghg, g);
    }
    default: {
      // A registered optimiser (a described method, the extension API's) brings its own.
      let spec;
      try { spec = optimizerById(optimizer); } catch { return undefined; }
      return spec.reference?.(inst, hyper, x, xPrev, k);
    }
  }
}

/** FISTA's c_{k−1} = (λ_k − 1)/λ_{k+1}, λ_1 = 1 (λ_k memoised: lambdas[k − 1]). */
const lambdas = [1];
function fistaCoefficient(k: number): number {
  while (lambdas.length <= k) lambdas.push(nextLambda(lambdas[lambdas.length - 1]));
  return (lambdas[k - 1] - 1) / lambdas[k];
}
