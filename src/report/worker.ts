/** A report worker: runs the jobs the pool sends (src/report/pool.ts), one at a time. */
import { parentPort } from 'node:worker_threads';
import { runJob, type Job, type JobSettings } from './jobs.ts';

const port = parentPort!;
port.on('message', async ({ index, job, settings }: { index: number; job: Job; settings: JobSettings }) => {
  port.postMessage({ index, outcome: await runJob(job, settings) });
});
