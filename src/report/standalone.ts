/**
 * An experiment or a law check run on its own (`boundlab experiment NAME`,
 * `boundlab law ID`): the run, then its one self-contained page.
 */
import { initEngine } from '../engine/backend.ts';
import type { Experiment, ExperimentOptions, ExperimentResult } from '../experiments/types.ts';
import type { Law, LawOptions, LawResult } from '../laws/types.ts';
import { overallVerdict } from '../laws/verdict.ts';
import { environment } from './environment.ts';
import { renderExperimentPage } from './experiment.ts';
import { renderLawPage } from './law.ts';
import { writeAtomically } from './write.ts';

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

export interface WriteLawOptions extends LawOptions {
  /** Directory for law-ID.html (default reports). */
  out?: string;
  /** The command line, for the page's environment. */
  argv?: readonly string[];
}

/** Runs the law check and writes DIR/law-ID.html; returns the result, its overall verdict and the page's path. */
export async function runLaw(law: Law, opts: WriteLawOptions = {}): Promise<{ result: LawResult; verdict: ReturnType<typeof overallVerdict>; file: string; bytes: number }> {
  const backends = law.tensorflow ? [await initEngine()] : [];
  const result = await law.run(opts);
  const given: Record<string, number> = {};
  if (opts.seeds !== undefined) given.seeds = opts.seeds;
  if (opts.seed !== undefined) given.seed = opts.seed;
  const env = environment({ backends, seed: result.seed, options: given, argv: opts.argv ?? [law.id], command: 'law' });
  const html = renderLawPage(result, env);
  const file = writeAtomically(opts.out ?? 'reports', `law-${law.id}.html`, html);
  return { result, verdict: overallVerdict(result.statements.map((s) => s.verdict)), file, bytes: Buffer.byteLength(html) };
}
