/**
 * What a report runs: each theorem verified and each proof file checked, as
 * independent jobs with plain-data outcomes, so they can run in worker threads.
 */
import { checkFile } from '../proofs/file.ts';
import type { CheckOptions } from '../proofs/check.ts';
import type { FileResult } from '../proofs/result.ts';
import { resolveTheorem } from '../theoremFiles/load.ts';
import type { VerifyResult } from '../verify/result.ts';
import { verifyTheorem } from '../verify/verify.ts';
import { initEngine } from '../engine/backend.ts';
import { experimentById } from '../experiments/index.ts';
import type { ExperimentResult } from '../experiments/types.ts';
import { lawById } from '../laws/catalogue.ts';
import type { LawResult } from '../laws/types.ts';

/** A theorem is a catalogue id or a theorem file's path (loaded where the job runs). */
export type Job = { kind: 'theorem'; id: string } | { kind: 'proof'; file: string } | { kind: 'experiment'; id: string } | { kind: 'law'; id: string };

export interface JobSettings {
  seed: number;
  /** Passed through to verify (undefined: its defaults). */
  instances?: number;
  steps?: number;
  /** Passed through to check: samples (undefined: the file's `samples:`, else the default), timeout, budgets, tolerance. */
  check?: Omit<CheckOptions, 'seed'>;
}

export type Outcome =
  | { kind: 'theorem'; id: string; result?: VerifyResult; error?: string }
  | { kind: 'experiment'; id: string; result?: ExperimentResult; error?: string }
  | { kind: 'law'; id: string; result?: LawResult; error?: string }
  | { kind: 'proof'; file: string; result: FileResult };

export const jobLabel = (job: Job): string => (job.kind === 'proof' ? job.file : job.id);

/**
 * Which jobs to start first: the long ones, so that no long job starts last and
 * keeps one core busy while the other waits (longest-first scheduling). An
 * ordinal, not a time: in a run of the default report one by one, law checks
 * took 0.1–12 s, theorems checked in expectation 3.8–6.8 s, other theorems
 * 0.2–5.8 s and proof files 0.3–2.7 s of CPU each.
 */
export function startRank(job: Job): number {
  if (job.kind === 'law') return 0;
  if (job.kind === 'theorem') {
    try {
      const kind = resolveTheorem(job.id, 'report').kind;
      return kind === 'expectation' ? 1 : kind === 'run' ? 2 : 3;
    } catch {
      return 4; // its error comes back from the job itself
    }
  }
  return job.kind === 'experiment' ? 3 : 4;
}

/**
 * Runs one job; never throws. A theorem that cannot be verified comes back
 * with its error (the report shows it, the exit status is 2); a proof file
 * that cannot be read or parsed is an `error` FileResult, as `boundlab check`
 * reports it.
 */
export async function runJob(job: Job, settings: JobSettings): Promise<Outcome> {
  if (job.kind === 'theorem') {
    try {
      const th = resolveTheorem(job.id, 'report');
      const result = await verifyTheorem(th, { seed: settings.seed, instances: settings.instances, steps: settings.steps, curvesPerFamily: 2 });
      return { kind: 'theorem', id: job.id, result };
    } catch (e) {
      return { kind: 'theorem', id: job.id, error: (e as Error).message };
    }
  }
  if (job.kind === 'experiment') {
    try {
      const experiment = experimentById(job.id);
      if (!experiment) throw new Error(`unknown experiment '${job.id}'`);
      if (experiment.tensorflow) await initEngine();
      return { kind: 'experiment', id: job.id, result: await experiment.run({ seed: settings.seed }) };
    } catch (e) {
      return { kind: 'experiment', id: job.id, error: (e as Error).message };
    }
  }
  if (job.kind === 'law') {
    try {
      const law = lawById(job.id);
      if (!law) throw new Error(`unknown law check '${job.id}'`);
      if (law.tensorflow) await initEngine();
      return { kind: 'law', id: job.id, result: await law.run({ seed: settings.seed }) };
    } catch (e) {
      return { kind: 'law', id: job.id, error: (e as Error).message };
    }
  }
  try {
    return { kind: 'proof', file: job.file, result: checkFile(job.file, { ...settings.check, seed: settings.seed }) };
  } catch (e) {
    return { kind: 'proof', file: job.file, result: { file: job.file, title: '', verdict: 'error', steps: [], error: (e as Error).message, seed: settings.seed, seconds: 0 } };
  }
}
