/**
 * How long the command line takes as a whole process (what a newcomer waits
 * for): the median of 5 runs each of `--help`, `list`, `check` of a five-step
 * proof, and `verify gd-pl` with its defaults. Targets on the 2-core machine:
 * ≤ 0.3 s, ≤ 0.5 s, ≤ 1 s, ≤ 3 s. The load average is printed first because
 * other work on the machine stretches wall time; the CPU time of the process
 * (user + system, from GNU time when /usr/bin/time exists) is printed too, as
 * it depends less on that load. No assertions: timings never go in tests.
 *
 * verify gd-pl, before → after s4-verify (one checker skeleton; a run's error gains tabulated, one gradient per step): CPU median 7.06 → 6.27 s, wall 39.8 → 30.0 s, the two interleaved in one run under load average 15–19 (2026-12-03).
 * Run: npx tsx bench/cli-start.ts   (BOUNDLAB_BIN=path/to/boundlab.mjs to time another entry point;
 * BOUNDLAB_BIN=a.mjs,b.mjs times several in one run, their runs interleaved so that they share the load)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bins = (process.env.BOUNDLAB_BIN ?? 'bin/boundlab.mjs').split(',').map((b) => resolve(b));
const dir = mkdtempSync(join(tmpdir(), 'boundlab-bench-cli-'));

// Five steps: one gradient step under L-smoothness, down to the descent lemma's bound.
const proof = join(dir, 'five-steps.md');
writeFileSync(proof, `---
title: One gradient step decreases f by at least |grad|^2/(2L)
given:
  - L > 0
  - f: R^d -> R, L-smooth
  - w in R^d
define:
  w1: w - 1/L * grad(f, w)
---

\`\`\`chain
f(w1)
  <= f(w) + dot(grad(f, w), w1 - w) + L/2 * norm(w1 - w)^2                         # L-smooth
   = f(w) + dot(grad(f, w), -1/L * grad(f, w)) + L/2 * norm(-1/L * grad(f, w))^2   # w1 - w = -grad/L
   = f(w) - 1/L * norm(grad(f, w))^2 + L/2 * (1/L)^2 * norm(grad(f, w))^2         # bilinearity
   = f(w) - 1/(2*L) * norm(grad(f, w))^2                                           # algebra
  <= f(w)                                                                          # a square is >= 0
\`\`\`
`);

const CASES: { name: string; args: string[]; target: number }[] = [
  { name: '--help', args: ['--help'], target: 0.3 },
  { name: 'list', args: ['list'], target: 0.5 },
  { name: 'check (5-step proof)', args: ['check', proof], target: 1 },
  { name: 'verify gd-pl', args: ['verify', 'gd-pl'], target: 3 },
];

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpuFile = join(dir, 'cpu');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`cores ${availableParallelism()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${bins.join(', ')}`);
for (const c of CASES) {
  const times = bins.map((): number[] => []);
  const cpu = bins.map((): number[] => []);
  const status = bins.map((): number | null => 0);
  for (let i = 0; i < 5; i++) {
    for (const [b, bin] of bins.entries()) {
      const t = performance.now();
      const r = TIME
        ? spawnSync(TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, bin, ...c.args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
        : spawnSync(process.execPath, [bin, ...c.args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      times[b].push((performance.now() - t) / 1000);
      if (TIME) cpu[b].push(readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number).reduce((a, x) => a + x, 0));
      status[b] = r.status;
    }
  }
  for (const b of bins.keys()) {
    const cpuText = cpu[b].length ? `, CPU median ${median(cpu[b]).toFixed(2)} s` : '';
    const which = bins.length > 1 ? ` [${b}]` : '';
    console.log(`${(c.name + which).padEnd(26)} median ${median(times[b]).toFixed(2)} s (target ≤ ${c.target} s)${cpuText}, runs ${times[b].map((t) => t.toFixed(2)).join(' ')}, exit ${status[b]}`);
  }
}
rmSync(dir, { recursive: true, force: true });
