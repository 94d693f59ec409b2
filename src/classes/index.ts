/**
 * The family registry.
 *
 * Conventions shared by every family (beyond the contract in types.ts):
 * - params are plain JSON and `instantiate(params)` is a pure function of them,
 *   so a counterexample replays exactly from { family, params };
 * - every params object has `x0: number[]` of length `dim` (the starting point),
 *   so a search can move it without knowing the family;
 * - each family exports the type of its params and accepts explicit params, so
 *   specific witnesses can be built by hand (e.g. huberWorstCase, quadraticFromSpectrum).
 */
import type { Family } from './types.ts';
import { quadratic } from './families/quadratic.ts';
import { leastSquares, leastSquaresRankDeficient } from './families/leastSquares.ts';
import { logistic } from './families/logistic.ts';
import { huber } from './families/huber.ts';
import { sinPL } from './families/sinPL.ts';
import { quartic } from './families/quartic.ts';
import { lessard } from './families/lessard.ts';
import { reluNet } from './families/reluNet.ts';
import { noisyQuadratic } from './families/noisyQuadratic.ts';

export * from './types.ts';
export { quadratic, quadraticFromSpectrum, spectrum, SPECTRUM_STYLES, type QuadraticParams, type SpectrumStyle } from './families/quadratic.ts';
export {
  leastSquares, leastSquaresRankDeficient, leastSquaresData,
  type LeastSquaresParams, type RankDeficientLeastSquaresParams, type LeastSquaresGen,
} from './families/leastSquares.ts';
export { logistic, logisticData, type LogisticParams, type LogisticGen } from './families/logistic.ts';
export { huber, huberWorstCase, huberValue, huberGrad, type HuberParams } from './families/huber.ts';
export {
  sinPL, certifySinPL, sinPLNumericInfimum, sinPLRatio, SIN_PL_CERTIFIED, SIN_PL_NUMERIC, SIN_PL_ARGMIN, type SinPLParams,
} from './families/sinPL.ts';
export { quartic, quarticLocalL, type QuarticParams } from './families/quartic.ts';
export { lessard, lessardValue, lessardGrad, LESSARD_DEFAULT, type LessardParams } from './families/lessard.ts';
export { reluNet, reluNetData, RELU_DIMS, RELU_SHAPES, type ReluNetParams } from './families/reluNet.ts';
export { noisyQuadratic, type NoisyQuadraticParams } from './families/noisyQuadratic.ts';

/** Every family, in catalogue order. */
export const FAMILIES: readonly Family[] = [
  quadratic,
  leastSquares,
  leastSquaresRankDeficient,
  logistic,
  huber,
  sinPL,
  quartic,
  lessard,
  reluNet,
  noisyQuadratic,
];

/**
 * Families added at run time (the extension API). They are drawn only by
 * theorems that name them (`families:`) or with --family, never by default:
 * the catalogue's verdicts do not change with what a script registers.
 */
const REGISTERED = new Map<string, Family>();

/** Adds a family by id (an id of the catalogue cannot be taken; registering again replaces). */
export function addFamily(family: Family): void {
  if (FAMILIES.some((f) => f.id === family.id)) throw new Error(`family id '${family.id}' is a built-in one; choose another id`);
  REGISTERED.set(family.id, family);
}

export function familyById(id: string): Family | undefined {
  return FAMILIES.find((f) => f.id === id) ?? REGISTERED.get(id);
}
