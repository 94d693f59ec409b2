/**
 * What a report runs: each theorem verified and each proof file checked, as
 * independent jobs with plain-data outcomes, so they can run in worker threads.
 */
import { checkFile } from '../cli/check.ts';
import type { FileResult } from '../proofs/result.ts';
import { resolveTheorem } from '../theoremFiles/load.ts';
import type { VerifyResult } from '../verify/result.ts';
import { verifyTheorem } from '../verify/verify.ts';

/** A theorem is a catalogue id or a theorem file's path (loaded where the job runs). */
export type Job = { kind: 'theorem'; id: string } | { kind: 'proof'; file: string };

export interface JobSettings {
  seed: number;
  /** Passed through to verify (undefined: its defaults). */
  instances?: number;
  steps?: number;
  /** Passed through to check (undefined: the file's `samples:`, else the default). */
  samples?: number;
}

export type Outcome =
  | { kind: 'theorem'; id: string; result?: VerifyResult; error?: string }
  | { kind: 'proof'; file: string; result: FileResult };

export const jobLabel = (job: Job): string => (job.kind === 'theorem' ? job.id : job.file);

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
  try {
    return { kind: 'proof', file: job.file, result: checkFile(job.file, settings.seed, settings.samples) };
  } catch (e) {
    return { kind: 'proof', file: job.file, result: { file: job.file, title: '', verdict: 'error', steps: [], error: (e as Error).message, seed: settings.seed, seconds: 0 } };
  }
}
