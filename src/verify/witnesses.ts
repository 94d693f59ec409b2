/**
 * Witnesses for a theorem: instances of every family whose certificate gives
 * the theorem's assumptions, spread over a few dimensions, plus the theorem's
 * own tight cases. Drawn with fast-check from a seed, so they replay.
 */
import fc from 'fast-check';
import { FAMILIES, familyById } from '../classes/index.ts';
import { belongsTo, type Family, type Instance } from '../classes/types.ts';
import type { Theorem } from '../theorems/types.ts';
import { UsageError } from '../language/usage.ts';
import { closest } from '../language/closest.ts';

export interface Witness {
  family: Family;
  instance: Instance;
  /** Theorem parameters this witness needs (a tight case's step size). */
  set?: Record<string, number>;
}

/** Dimensions for families that take any d. Small ones keep runs fast; 25 shows d-dependence. */
export const DEFAULT_DIMS = [1, 2, 5, 25] as const;

/** Whether an instance satisfies every assumption of the theorem. */
export function satisfies(th: Theorem, inst: Instance): boolean {
  if (!th.classes.every((c) => belongsTo(inst.cert, c))) return false;
  if (th.structural?.includes('L2-regularized') && !inst.cert.regularized) return false;
  if (th.structural?.includes('stochastic-gradient') && !inst.cert.noise) return false;
  if (th.structural?.includes('convex-samples') && !inst.cert.noise?.convexSamples) return false;
  if (th.structural?.includes('interpolation') && inst.cert.noise?.sigmaStar !== 0) return false;
  return true;
}

/** Families a theorem may draw from: its own list, or all; narrowed by --family. */
export function candidateFamilies(th: Theorem, only?: string): Family[] {
  if (only !== undefined && !familyById(only)) {
    throw new UsageError(`unknown family '${only}'${closest(only, FAMILIES.map((f) => f.id))}`);
  }
  const ids = th.families ?? FAMILIES.filter((f) => !f.byName).map((f) => f.id);
  return ids
    .filter((id) => only === undefined || id === only)
    .map((id) => familyById(id)!)
    .filter((f) => f !== undefined);
}

export interface WitnessOptions {
  /** Random instances per family. */
  instances: number;
  seed: number;
  family?: string;
  /** The run length, for tight cases that depend on it. */
  steps: number;
}

export function witnessesFor(th: Theorem, opts: WitnessOptions): { witnesses: Witness[]; notes: string[] } {
  const witnesses: Witness[] = [];
  const notes: string[] = [];
  candidateFamilies(th, opts.family).forEach((family, k) => {
    const dims = family.dims ?? DEFAULT_DIMS;
    let kept = 0, drawn = 0;
    dims.forEach((dim, j) => {
      const want = Math.floor(opts.instances / dims.length) + (j < opts.instances % dims.length ? 1 : 0);
      if (want === 0) return;
      const params = fc.sample(family.arbitrary({ dim }), { seed: opts.seed + 1009 * k + 17 * j, numRuns: want });
      for (const p of params) {
        drawn++;
        const instance = family.instantiate(p);
        if (satisfies(th, instance)) { witnesses.push({ family, instance }); kept++; }
      }
    });
    if (kept === 0 && (th.families || opts.family)) notes.push(`${family.id}: none of ${drawn} instances satisfies ${describe(th)}`);
    else if (kept < drawn && kept > 0) notes.push(`${family.id}: ${kept} of ${drawn} instances satisfy ${describe(th)}`);
  });
  for (const tight of th.witnesses?.({ steps: opts.steps }) ?? []) {
    const family = familyById(tight.family);
    if (!family || (opts.family !== undefined && opts.family !== family.id)) continue;
    const instance = family.instantiate(tight.params);
    if (!satisfies(th, instance)) throw new Error(`${th.id}: its tight witness on ${family.id} does not satisfy its assumptions`);
    witnesses.push({ family, instance, set: tight.set });
  }
  return { witnesses, notes };
}

const describe = (th: Theorem) => [...th.classes, ...(th.structural ?? [])].join(', ');
