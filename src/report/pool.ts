/**
 * Jobs across the machine's cores: one worker thread per core (at most one
 * per job), each taking the next job when it finishes one, the long kinds
 * first (startRank); outcomes come back in the order given. A job's outcome
 * depends only on the job and its seed, so the report is the same whichever
 * worker ran what.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { jobLabel, runJob, startRank, type Job, type JobSettings, type Outcome } from './jobs.ts';

/** Called as jobs start and finish: how many are done, and which are running. */
// Compiled (dist/report/pool.js) the worker is plain JavaScript; from the sources,
// worker.mjs registers tsx first so the worker can load TypeScript.
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './worker.mjs' : './worker.js', import.meta.url);

export type PoolProgress = (done: number, running: readonly Job[]) => void;

export async function runJobs(jobs: readonly Job[], settings: JobSettings, onProgress: PoolProgress = () => {}): Promise<Outcome[]> {
  const workers = Math.min(jobs.length, availableParallelism());
  return workers <= 1 ? runInline(jobs, settings, onProgress) : runInWorkers(jobs, settings, workers, onProgress);
}

async function runInline(jobs: readonly Job[], settings: JobSettings, onProgress: PoolProgress): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const job of jobs) {
    onProgress(out.length, [job]);
    out.push(await runJob(job, settings));
  }
  onProgress(out.length, []);
  return out;
}

function runInWorkers(jobs: readonly Job[], settings: JobSettings, count: number, onProgress: PoolProgress): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(jobs.length);
  const running = new Map<Worker, number>();
  // indices in the order they start: stable within a rank
  const queue = jobs.map((job, i) => ({ i, rank: startRank(job) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((q) => q.i);
  let next = 0;
  let done = 0;
  const report = () => onProgress(done, [...running.values()].map((i) => jobs[i]));
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    const stop = () => Promise.all(pool.map((w) => w.terminate()));
    const feed = (w: Worker) => {
      if (next >= jobs.length) { running.delete(w); return; }
      running.set(w, queue[next]);
      w.postMessage({ index: queue[next], job: jobs[queue[next]], settings });
      next++;
    };
    for (let k = 0; k < count; k++) {
      // stdout: true keeps anything a library prints in a worker off our stdout (--json owns it).
      const w = new Worker(WORKER, { stdout: true });
      w.stdout.pipe(process.stderr);
      pool.push(w);
      w.on('message', ({ index, outcome }: { index: number; outcome: Outcome }) => {
        outcomes[index] = outcome;
        done++;
        feed(w);
        report();
        if (done === jobs.length) void stop().then(() => resolve(outcomes));
      });
      w.on('error', (e) => void stop().then(() => reject(e)));
      w.on('exit', (code) => {
        // one worker gone: stop the others too, or they would wait on their ports forever
        if (done < jobs.length) {
          const e = new Error(`a report worker stopped (exit code ${code}) while running ${running.has(w) ? jobLabel(jobs[running.get(w)!]) : 'no job'}`);
          void stop().then(() => reject(e));
        }
      });
      feed(w);
    }
    report();
  });
}
