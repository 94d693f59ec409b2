/**
 * The report's job pool: the long kinds start first, yet every outcome comes
 * back in the order the jobs were given and equals what the job gives when run
 * alone on this thread (the report is the same whichever worker ran what).
 */
import { describe, expect, it } from 'vitest';
import { runJob, startRank, type Job } from '../src/report/jobs.ts';
import { runJobs } from '../src/report/pool.ts';
import { HANG_MS } from './hang.ts';

describe('report job pool', () => {
  it('ranks law checks, then theorems in expectation, then runs, then lemmas, experiments and proofs', () => {
    const jobs: Job[] = [
      { kind: 'proof', file: 'proofs/sigmoid-derivative.md' },
      { kind: 'theorem', id: 'spectral-norm-symmetric' },
      { kind: 'experiment', id: 'gpfq' },
      { kind: 'theorem', id: 'gd-convex' },
      { kind: 'theorem', id: 'sgd-pl' },
      { kind: 'law', id: 'scaling' },
    ];
    expect(jobs.map(startRank)).toEqual([4, 3, 3, 2, 1, 0]);
    // a target that does not resolve is not the pool's to judge: it goes last and its job reports the error
    expect(startRank({ kind: 'theorem', id: 'no-such-theorem' })).toBe(4);
  });

  it('returns outcomes in the given order, equal to running each job alone', async () => {
    const jobs: Job[] = [
      { kind: 'proof', file: 'proofs/sigmoid-derivative.md' },
      { kind: 'theorem', id: 'spectral-norm-symmetric' },
      { kind: 'proof', file: 'proofs/pl-one-step.md' },
      { kind: 'theorem', id: 'regularized-gap-at-zero' },
    ];
    const settings = { seed: 3 };
    const pooled = await runJobs(jobs, settings);
    expect(pooled.map((o) => (o.kind === 'proof' ? o.file : o.id))).toEqual(jobs.map((j) => (j.kind === 'proof' ? j.file : j.id)));
    for (const [i, job] of jobs.entries()) {
      const alone = await runJob(job, settings);
      const verdict = (o: typeof alone) => (o.kind === 'proof' ? o.result.verdict : o.kind === 'theorem' ? o.result?.verdict ?? o.error : undefined);
      expect(verdict(pooled[i])).toBe(verdict(alone));
      expect(verdict(pooled[i])).toMatch(/^(valid|holds)$/);
    }
  }, HANG_MS);
});
