/**
 * A performance-estimation refutation (interpolation.ts) made explicit. Its
 * points satisfy the class's interpolation conditions exactly, so some
 * function of the class passes through them; pep/interpolant.ts builds one
 * (the construction `pep --worst` runs optimisers on), of the class by
 * construction whatever the data. Each function of the step becomes such a
 * witness, so that the file's own evaluator computes the step's two sides
 * through the function — its values and gradients wherever the step goes —
 * rather than reading them off the stored points.
 */
import type { Instance } from '../classes/types.ts';
import { interpolationError, pepWorst, type PepWorstParams } from '../pep/worst.ts';
import type { RefutationAt } from './interpolation.ts';
import type { ExplicitCheck } from './result.ts';

type Built = Extract<ExplicitCheck, { built: true }>['functions'];

/**
 * The witness of every declared function: the explicit function through the
 * refutation's points for those of the step, an instance that refuses to be
 * evaluated for the others (the step does not speak of them, so the
 * counterexample says nothing about them). `why` when a class of the step has
 * no construction in pep/interpolant.ts.
 */
export function explicitFunctions(r: RefutationAt, declared: readonly string[]): { instances: Record<string, Instance>; functions: Built } | { why: string } {
  const without = Object.keys(r.constructive).filter((fn) => !r.constructive[fn]);
  if (without.length) {
    return { why: `no explicit function is built for ${without.map((fn) => `${fn} (${r.classes[fn]})`).join(', ')}: the construction here covers convex L-smooth, strongly convex L-smooth and convex Lipschitz functions only, so the counterexample is the points alone` };
  }
  const instances: Record<string, Instance> = {};
  const functions: Built = {};
  for (const [fn, c] of Object.entries(r.constructive)) {
    const pts = r.points.filter((p) => p.fn === fn);
    const params: PepWorstParams = { cls: c!.cls, ...c!.constants, x: pts.map((p) => p.x), g: pts.map((p) => p.g), f: pts.map((p) => p.f), x0: pts[0].x };
    const inst = pepWorst.instantiate(params);
    // the step's minimiser, when it has one, is the point labelled `f*` with gradient 0: a minimiser of
    // the convex function built, whose value there is inf f (pep-worst's own convention is x* = 0, f* = 0)
    const star = pts.find((p) => p.label === `${fn}*`);
    instances[fn] = { ...inst, cert: { ...inst.cert, fstar: star ? star.f : NaN }, nearestMinimiser: () => (star ? Float64Array.from(star.x) : null) };
    const deviation = interpolationError(params, valueScale(pts));
    functions[fn] = { cls: c!.cls, constants: { ...c!.constants } as Record<string, number>, valueDeviation: deviation.value, gradientDeviation: deviation.gradient };
  }
  for (const fn of declared) if (!instances[fn]) instances[fn] = notInTheStep(fn, r.dimension);
  return { instances, functions };
}

/**
 * The size of the values' variation over the data: the largest |f_i| or ‖g_i‖·‖x_i − x_j‖ (values can all
 * be ~0 while the step is about gradients; the first-order change between points is then the scale).
 */
function valueScale(pts: RefutationAt['points']): number {
  const norm = (v: number[]) => Math.hypot(...v);
  let scale = 1e-300;
  for (const p of pts) {
    scale = Math.max(scale, Math.abs(p.f));
    for (const q of pts) scale = Math.max(scale, norm(p.g) * norm(p.x.map((v, k) => v - q.x[k])));
  }
  return scale;
}

function notInTheStep(fn: string, dim: number): Instance {
  const refuse = (): never => { throw new Error(`${fn} is not part of this step's counterexample`); };
  return { family: 'not in the step', params: {}, dim, cert: { convex: false, quadratic: false, fstar: NaN }, x0: new Float64Array(dim), value: refuse, grad: refuse, nearestMinimiser: refuse };
}
