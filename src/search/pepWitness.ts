/**
 * The worst function of performance estimation as a witness for the searches:
 * for a theorem PEP covers (an interpolable class, a fixed-step linear method,
 * every parameter given), solve the problem at step N and turn its worst
 * points into an instance of the family `pep-worst` (src/pep/worst.ts). For an
 * exact class that function attains the worst case over the whole class, so
 * no search can do better (up to float32 rounding): tightness takes it first,
 * relax tries it before sampling. Anything PEP cannot do is a reason, and the
 * caller falls back to the search.
 */
import type { Theorem } from '../theorems/types.ts';
import { EXACT_CLASSES } from '../pep/model.ts';
import { runPep, type PepReport } from '../pep/run.ts';
import { worstData, worstFamily, worstParams, type WorstData } from '../pep/worst.ts';
import { worstRunObstacle } from '../pep/worstRun.ts';
import { freeParameters } from '../verify/scope.ts';
import type { Candidate } from './search.ts';

export interface PepWitness {
  report: PepReport;
  data: WorstData;
  candidate: Candidate;
}

/** The PEP worst function of `th` at step `steps` with the parameters `set`, or the reason there is none. */
export async function pepWitness(th: Theorem, set: Readonly<Record<string, number | string>>, steps: number): Promise<PepWitness | { reason: string }> {
  if (th.kind !== 'run') return { reason: `${th.id} is not a bound along a run` };
  let report: PepReport;
  try {
    report = await runPep({ target: th.id, theorem: th, set: { ...set }, steps });
  } catch (e) {
    return { reason: (e as Error).message };
  }
  if (report.status !== 'success' && report.status !== 'partial') return { reason: `the performance estimation problem is ${report.status}: ${report.message}` };
  if (!EXACT_CLASSES.has(report.cls)) return { reason: `the class ${report.cls} has no interpolating function here` };
  // the same limits as `pep --worst` (a composite f + h has no worst function built yet)
  const obstacle = worstRunObstacle(report);
  if (obstacle) return { reason: obstacle };
  let data: WorstData;
  try {
    data = worstData(report.result);
  } catch (e) {
    return { reason: (e as Error).message };
  }
  if (!data.interpolates) return { reason: `the cleaned worst points miss the interpolation conditions by ${data.excess.toExponential(1)} of τ` };
  const family = worstFamily();
  // the theorem's free parameters at the values the problem used (constants come from the instance)
  const free = freeParameters(th, { fstar: 0, d: data.x0.length, ...(report.values.L !== undefined ? { L: report.values.L } : {}) });
  const parameters = Object.fromEntries(free.filter((p) => p in report.values).map((p) => [p, report.values[p]]));
  return { report, data, candidate: { family: family.id, params: worstParams(data), parameters } };
}
