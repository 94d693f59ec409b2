/**
 * The default report (the whole catalogue, every proof in proofs/, the quick
 * experiments and the quick law checks (kan, scaling-resolution and
 * distillation-low-rank, each over ten seconds, are left out), with the commands' default settings, the
 * recorded relaxations replayed): wall time, CPU time of the process (workers
 * included), and the page's size. Targets on the 2-core machine: ≤ 60 s and
 * ≤ 4 MB. History: 81 s, then 71.0 s wall / 132 s user CPU with long jobs started
 * first (src/report/jobs.ts startRank). After the variance-limited law's moment
 * form (its job 14 → 3 s of CPU) and the statements' numeric closures
 * (src/language/numeric.ts), measured 2026-12-03 on the quiet machine (load
 * average about 2–3), compiled CLI (`node bin/boundlab.mjs report`), three runs:
 * 51.3, 56.3 and 55.2 s wall (median 55.2 s), 93–103 s user CPU, 3.28 MB, with
 * the performance-estimation section (about 1.5 s of CPU) included. With
 * `--pdf`: 39 A4 pages. The load average is printed first because other work on
 * the machine stretches the wall time. Writes into a temporary directory, not
 * reports/. No assertions: timings never go in tests.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCommand } from '../src/cli/report.ts';

const out = mkdtempSync(join(tmpdir(), 'boundlab-bench-report-'));
console.log(`cores ${availableParallelism()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const cpu = process.cpuUsage();
const started = performance.now();
const code = await reportCommand(['--out', out]);
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const mb = statSync(join(out, 'index.html')).size / 1e6;
console.log(`default report: ${seconds.toFixed(1)} s wall (target ≤ 60 s), ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, ${mb.toFixed(2)} MB (target ≤ 4 MB), exit ${code}`);
rmSync(out, { recursive: true, force: true });
