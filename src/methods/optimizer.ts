/**
 * A method description as an optimiser the runs can use by id: its batched
 * TensorFlow.js rule, its float64 exact step, and its error propagation
 * (a built-in's when the method has the same linear form as that built-in).
 */
import { errorGain } from '../engine/precision.ts';
import { checkRows } from '../optimizers/common.ts';
import type { OptimizerSpec } from '../optimizers/types.ts';
import type { Method } from './describe.ts';
import { compileFloat64, referenceObstacle } from './float64.ts';
import { linearObstacle, matchBuiltin } from './linear.ts';
import { compileTfjs } from './tfjs.ts';

export function describedOptimizer(id: string, title: string, method: Method): OptimizerSpec {
  const obstacle = referenceObstacle(method);
  const reference = obstacle ? undefined : compileFloat64(method);
  const rules = method.sequences.map((s) => `${s.name}(0) = ${s.initialText}; ${s.name}(k+1) = ${s.updateText}`).join('; ');
  const linear = linearObstacle(method);
  // Rows of one verification share their parameters often: match each set of values once.
  const matches = new Map<string, ReturnType<typeof matchBuiltin>>();
  const match = (hyper: Readonly<Record<string, number>>) => {
    const key = JSON.stringify(method.parameters.map((p) => hyper[p]));
    if (!matches.has(key)) matches.set(key, matchBuiltin(method, hyper));
    return matches.get(key)!;
  };
  return {
    id,
    title,
    description: `${rules}. ${linear ? `Not a fixed-step linear method: ${linear}.` : 'A fixed-step linear method.'}`,
    implementation: 'own',
    hyper: method.parameters.map((name) => ({ name, meaning: `the parameter ${name} of ${method.file} (per row)` })),
    uniform: [],
    rule: (hyper, ctx) => {
      checkRows(hyper, ctx.B, id);
      return compileTfjs(method, hyper, ctx);
    },
    reference: reference && ((inst, hyper, x, xPrev, k) => reference(inst, hyper, x, xPrev, k)),
    errorGain: (hyper, { L, mu }) => {
      const m = match(hyper);
      if (!m) return () => 1;
      return errorGain({ optimizer: m.optimizer, gamma: m.hyper.lr, L, mu, momentum: (m.hyper as { momentum?: number }).momentum });
    },
  };
}
