/**
 * The sizes a verification uses unless told otherwise. A module of their own so
 * that `boundlab verify --help` states them without loading the verifier.
 */
import { DEFAULT_ALPHA } from './statistics.ts';

export const DEFAULTS = {
  instances: 100, runSteps: 100, lemmaPoints: 20, seed: 0,
  // Expectation theorems: fewer witnesses, each run with many seeds.
  expectationInstances: 6, expectationSteps: 200, seeds: 200, alpha: DEFAULT_ALPHA,
} as const;
