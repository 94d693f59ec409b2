/**
 * Compression of a trained layer in float64: GPFQ quantisation against
 * nearest rounding (Lybrand & Saab 2021; Zhang, Zhou & Saab 2023), best
 * low-rank approximation (Eckart–Young–Mirsky), and the seeded experiments
 * behind their figures.
 */
export {
  alphabet, ternaryAlphabet, alphabetElements, layerAlphabet, LAYER_ALPHABET_DEFAULTS,
  quantile, nearestLevel, roundToAlphabet, roundLayer,
} from './alphabet.ts';
export type { Alphabet, LayerAlphabetOptions } from './alphabet.ts';
export { gpfqNeuron, gpfqLayer, relativeOutputError } from './gpfq.ts';
export type { GpfqNeuron, GpfqLayer } from './gpfq.ts';
export { lowRankApproximation, singularValues, matrixWithSingularValues } from './lowRank.ts';
export type { LowRankApproximation } from './lowRank.ts';
export {
  gpfqDecayExperiment, GPFQ_DECAY_DEFAULTS, decaySeed,
  lowRankExperiment, LOW_RANK_DEFAULTS, logLogSlope, logLogFit, gaussianMatrix,
} from './experiments.ts';
export type { GpfqDecayOptions, GpfqDecayResult, LowRankExperimentOptions, LowRankExperimentResult } from './experiments.ts';
export { factorisedExperiment, FACTORISED_DEFAULTS } from './factorised.ts';
export type { FactorisedOptions, FactorisedResult } from './factorised.ts';
export { layerOutput, networkOutput, quantiseNetwork } from './network.ts';
export type { DenseLayer, NetworkQuantiser } from './network.ts';
