/**
 * The optimiser registry: every update rule the runs can use, by id.
 */
import { adam } from './adam.ts';
import { checkChoice } from './common.ts';
import { gdExactLineSearch } from './gd-exact-line-search.ts';
import { gd } from './gd.ts';
import { heavyBall } from './heavy-ball.ts';
import { nesterov } from './nesterov.ts';
import { projectedGd } from './projected-gd.ts';
import { proximalGd } from './proximal-gd.ts';
import { adaste } from './quantised/adaste.ts';
import { askewsgd } from './quantised/askewsgd.ts';
import { binaryconnect } from './quantised/binaryconnect.ts';
import { proxquant } from './quantised/proxquant.ts';
import { ste } from './quantised/ste-training.ts';
import { sgd } from './sgd.ts';
import type { OptimizerSpec } from './types.ts';

export type { Hyper, HyperSpec, OptimizerSpec, RuleContext, RuleFactory, UpdateRule } from './types.ts';

export const OPTIMIZERS: readonly OptimizerSpec[] = [
  gd,
  sgd,
  heavyBall,
  nesterov,
  adam,
  projectedGd,
  proximalGd,
  gdExactLineSearch,
  binaryconnect,
  ste,
  proxquant,
  askewsgd,
  adaste,
];

/** Optimisers added at run time (theorem files' methods, the extension API), by id. */
const REGISTERED = new Map<string, OptimizerSpec>();

/**
 * Adds an optimiser the runs can use by id. A built-in id cannot be taken;
 * registering an id again replaces the earlier one (a file loaded twice).
 */
export function registerOptimizer(spec: OptimizerSpec): void {
  if (OPTIMIZERS.some((o) => o.id === spec.id)) throw new Error(`optimizer id '${spec.id}' is a built-in one; choose another id`);
  REGISTERED.set(spec.id, spec);
}

/** The optimiser with this id, or an error that lists the known ids. */
export function optimizerById(id: string): OptimizerSpec {
  const spec = OPTIMIZERS.find((o) => o.id === id) ?? REGISTERED.get(id);
  if (!spec) throw new Error(`unknown optimizer '${id}' (known: ${[...OPTIMIZERS.map((o) => o.id), ...REGISTERED.keys()].join(', ')})`);
  return spec;
}

/**
 * A caller's per-instance hyperparameters with defaults filled in, checked
 * against the optimiser's list (unknown names, missing ones, lengths ≠ B and
 * non-finite values and categorical values that index no choice are errors
 * that name the hyperparameter).
 */
export function resolveHyper(opt: OptimizerSpec, given: Readonly<Record<string, readonly number[]>>, B: number): Record<string, readonly number[]> {
  const known = new Set(opt.hyper.map((h) => h.name));
  for (const name of Object.keys(given))
    if (!known.has(name))
      throw new Error(`optimizer '${opt.id}' has no hyperparameter '${name}' (it takes: ${[...known].join(', ') || 'none'})`);
  const out: Record<string, readonly number[]> = {};
  for (const h of opt.hyper) {
    const values = given[h.name] ?? (h.default !== undefined ? Array<number>(B).fill(h.default) : undefined);
    if (values === undefined) {
      if (h.optional) continue;
      throw new Error(`optimizer '${opt.id}' needs hyperparameter '${h.name}' (${h.meaning})`);
    }
    if (values.length !== B) throw new Error(`hyperparameter '${h.name}' has ${values.length} values for ${B} instances`);
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new Error(`hyperparameter '${h.name}' of instance ${i} is ${v}`);
      if (h.choices) checkChoice(opt.id, h.name, h.choices, v, `instance ${i}`);
    });
    out[h.name] = values;
  }
  return out;
}
