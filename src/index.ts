/**
 * boundlab's public API: what the CLI, the report and the notebooks use.
 * Everything else under src/ is internal and may change.
 */
export { initEngine } from './engine/backend.ts';
export { THEOREMS, theoremById } from './theorems/index.ts';
export type { Theorem } from './theorems/types.ts';
export { FAMILIES, familyById } from './classes/index.ts';
export type { Family, Instance, Certificate, ClassName } from './classes/types.ts';
export { OPTIMIZERS, optimizerById } from './optimizers/index.ts';
export { runBatch } from './runs/run.ts';
export { verifyTheorem, plantedStatements, DEFAULTS as VERIFY_DEFAULTS } from './verify/verify.ts';
export type { VerifyOptions } from './verify/verify.ts';
export type { VerifyResult } from './verify/result.ts';
export { parseProof } from './proofs/parse.ts';
export type { ProofFile } from './proofs/parse.ts';
export { checkProof, DEFAULT_SAMPLES as PROOF_SAMPLES } from './proofs/check.ts';
export type { FileResult, StepResult, Counterexample } from './proofs/result.ts';
export { mutateProof } from './proofs/mutate.ts';
export type { MutationReport } from './proofs/mutate.ts';
export { assumptionsOf } from './theorems/assumptions.ts';
export { relax, replayRelaxation, RELAX_DEFAULTS } from './search/relax.ts';
export type { RelaxOptions, RelaxResult } from './search/relax.ts';
export { tightness, TIGHTNESS_DEFAULTS } from './search/tightness.ts';
export type { TightnessOptions, TightnessResult } from './search/tightness.ts';
export { EXPERIMENTS, experimentById } from './experiments/index.ts';
export { runExperiment } from './report/standalone.ts';
export type { Experiment, ExperimentOptions, ExperimentResult, Figure, Table } from './experiments/index.ts';
export { compareMethods, bestBinary, binarise, distanceToBinary, accuracy, METRICS } from './experiments/quantisedTraining.ts';
export type { Method, MethodRun, QuantisedProblem, LabelledData, MetricId } from './experiments/quantisedTraining.ts';
export { quantisedMethods, WARM_EPS0 } from './experiments/methods.ts';
export type { MethodSettings } from './experiments/methods.ts';
export { moonsProblem, MOONS_DEFAULTS } from './experiments/twoMoonsExperiment.ts';
export { twoMoons, moonsData, moonsLogit, type TwoMoonsParams } from './experiments/twoMoons.ts';
export { teacherData, LOGISTIC_DEFAULTS } from './experiments/askewsgdLogistic.ts';
