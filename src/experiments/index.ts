/**
 * The experiments `boundlab experiment NAME` runs, by name, and the function
 * that runs one and writes its page.
 */
import { initEngine } from '../engine/backend.ts';
import { environment } from '../report/environment.ts';
import { writeAtomically } from '../report/write.ts';
import { askewsgdLogistic } from './askewsgdLogistic.ts';
import { binaryconnectUnbiased } from './binaryconnectUnbiased.ts';
import { gpfqExperiment } from './gpfq.ts';
import { eckartYoungExperiment } from './lowRank.ts';
import { lowRankGpfqExperiment } from './lowRankGpfq.ts';
import { networkGpfqExperiment } from './networkGpfq.ts';
import { proxquantToy } from './proxquantToy.ts';
import { renderExperimentPage } from '../report/experiment.ts';
import { twoMoonsExperiment } from './twoMoonsExperiment.ts';
import type { Experiment, ExperimentOptions, ExperimentResult } from './types.ts';

export type { Experiment, ExperimentOptions, ExperimentResult, Figure, Table } from './types.ts';

export const EXPERIMENTS: readonly Experiment[] = [askewsgdLogistic, twoMoonsExperiment, binaryconnectUnbiased, proxquantToy, gpfqExperiment, eckartYoungExperiment, lowRankGpfqExperiment, networkGpfqExperiment];

export function experimentById(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}

export interface WriteOptions extends ExperimentOptions {
  /** Directory for NAME.html (default reports). */
  out?: string;
  /** The command line, for the page's environment (default: `experiment NAME`). */
  argv?: readonly string[];
}

/** Runs the experiment and writes DIR/NAME.html; returns the result and the page's path. */
export async function runExperiment(experiment: Experiment, opts: WriteOptions = {}): Promise<{ result: ExperimentResult; file: string; bytes: number }> {
  const backends = experiment.tensorflow ? [await initEngine()] : [];
  const result = await experiment.run(opts);
  const given: Record<string, number> = Object.fromEntries((['steps', 'seed', 'seeds'] as const).flatMap((k) => (opts[k] === undefined ? [] : [[k, opts[k]!]])));
  const env = environment({ backends, seed: result.seed, options: given, argv: opts.argv ?? [experiment.id], command: 'experiment' });
  const html = renderExperimentPage(result, env);
  return { result, file: writeAtomically(opts.out ?? 'reports', `${experiment.id}.html`, html), bytes: Buffer.byteLength(html) };
}
