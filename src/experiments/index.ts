/**
 * The experiments `boundlab experiment NAME` runs, by name, (runExperiment, which runs one
 * and writes its page, is src/report/standalone.ts).
 */
import { askewsgdLogistic } from './askewsgdLogistic.ts';
import { binaryconnectUnbiased } from './binaryconnectUnbiased.ts';
import { gpfqExperiment } from './gpfq.ts';
import { eckartYoungExperiment } from './lowRank.ts';
import { lowRankGpfqExperiment } from './lowRankGpfq.ts';
import { networkGpfqExperiment } from './networkGpfq.ts';
import { proxquantToy } from './proxquantToy.ts';
import { twoMoonsExperiment } from './twoMoonsExperiment.ts';
import type { Experiment } from './types.ts';

export type { Experiment, ExperimentOptions, ExperimentResult, Figure, Table } from './types.ts';

export const EXPERIMENTS: readonly Experiment[] = [askewsgdLogistic, twoMoonsExperiment, binaryconnectUnbiased, proxquantToy, gpfqExperiment, eckartYoungExperiment, lowRankGpfqExperiment, networkGpfqExperiment];

export function experimentById(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}
