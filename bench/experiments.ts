/**
 * Time of every experiment at its defaults (what `boundlab experiment NAME`
 * runs), against the target of 60 s on this 2-core machine: the median of
 * REPEATS runs in one process (the first run of a TensorFlow.js experiment
 * also pays for starting the engine, so the median is taken), with the CPU
 * time of the process over the same runs (user + system, all threads: on a
 * machine shared with other jobs the wall time says more about the load than
 * about the experiment) and the load average when it ran. Pages are written to
 * a temporary directory. No assertions: timings never go in tests.
 *   npx tsx bench/experiments.ts [--repeats N] [ID...]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENTS } from '../src/experiments/index.ts';
import { runExperiment } from '../src/report/standalone.ts';

const TARGET_SECONDS = 60;
const args = process.argv.slice(2);
const r = args.indexOf('--repeats');
const repeats = r >= 0 ? Number(args.splice(r, 2)[1]) : 3;
const ids = args;
const out = mkdtempSync(join(tmpdir(), 'boundlab-bench-experiments-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const e of EXPERIMENTS.filter((x) => ids.length === 0 || ids.includes(x.id))) {
    const times: number[] = [], cpu: number[] = [];
    let verdicts = '';
    for (let k = 0; k < repeats; k++) {
      const t0 = performance.now(), c0 = process.cpuUsage();
      const { result } = await runExperiment(e, { out });
      times.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
      verdicts = result.claims ? result.claims.claims.map((c) => c.verdict).join(' ') : 'no claims';
    }
    const m = median(times);
    console.log(`${e.id.padEnd(24)} median ${m.toFixed(1).padStart(6)} s = ${(m / TARGET_SECONDS).toFixed(2)} × target, CPU ${median(cpu).toFixed(1)} s, load ${loadavg()[0].toFixed(1)}  (runs: ${times.map((t) => t.toFixed(1)).join(', ')} s; verdicts: ${verdicts})`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
