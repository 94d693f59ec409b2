/**
 * How long the command line takes as a whole process (what a newcomer waits
 * for): the median of 5 runs each of `--help`, `list`, `check` of a five-step
 * proof, and `verify gd-pl` with its defaults. Targets on the 2-core machine:
 * ≤ 0.3 s, ≤ 0.5 s, ≤ 1 s, ≤ 3 s. The load average is printed first because
 * other work on the machine stretches wall time; the CPU time of the process
 * (user + system, from GNU time when /usr/bin/time exists) is printed too, as
 * it depends less on that load. No assertions: timings never go in tests.
 *
 * Run: npx tsx bench/cli-start.ts   (BOUNDLAB_BIN=path/to/boundlab.mjs to time another entry point;
 * BOUNDLAB_BIN=a.mjs,b.mjs times several in one run, their runs interleaved so that they share the load)
 *
 * `check` of the five-step proof, before and after mathjs was loaded as factories with instances
 * built lazily (src/language/mathjs.ts) and the closed instances stopped building the functions
 * they block (src/language/expression.ts): one run of this script with BOUNDLAB_BIN=<a build of
 * aaefb5a>,bin/boundlab.mjs, both built by `npm run build`, 2026-12-03, load average 16–19 on the
 * 2 cores (so wall time is about five times CPU time; on a quiet machine the last measurement
 * before was 1.89 s wall for 2.88 s of CPU):
 *   before: median 16.32 s wall, CPU median 3.29 s
 *   after:  median  9.20 s wall, CPU median 1.87 s   (−43 % CPU; target ≤ 1 s wall not yet shown)
 * `--help` (0.10 → 0.11 s CPU) and `list` (0.18 → 0.18 s) unchanged. Where the remaining CPU of
 * `check` goes (node --cpu-prof, sample counts): about a fifth loading mathjs's factories (~600
 * CommonJS files), a fifth building its three instances (the language's parser, the checker's
 * own, the file's closed one; each builds its Unit class with pow, round, fix…), two fifths the
 * checking itself (200 samples per step, sharp witnesses, the csdp certificates), the rest node,
 * yaml, fast-check and garbage collection.
 *
 * verify gd-pl, before → after s4-verify (one checker skeleton; a run's error gains tabulated, one gradient per step): CPU median 7.06 → 6.27 s, wall 39.8 → 30.0 s, the two interleaved in one run under load average 15–19 (2026-12-03).
 *
 * After all of the above and every module switched to language/mathjs.ts's lazy instances (no
 * command loads mathjs's default instance), main at 789cd62, built, quiet machine (load 0.1),
 * 2026-12-03, one run of this script: --help 0.09 s wall (0.07 s CPU), list 0.14 s (0.13),
 * check of the five-step proof 1.09 s (1.58 s CPU; target ≤ 1 s not met), verify gd-pl 2.89 s
 * (4.19 s CPU; target ≤ 3 s met, runs 2.79–3.24 s).
 *
 * `check` of the five-step proof, main at 44a2c1e → s5-start: closed mathjs instances take what
 * each built before it was closed (the Unit class with pow, multiply and the number classes) from
 * the checker's instance, built once per process; the evaluator's stand-ins for dot, norm and diff
 * given as factories, so mathjs's own norm and its eigenvalue solver are never built; mathjs's
 * factories read from one file bundled by the build (esbuild); a file's draws made once, not at
 * every step; interval-arithmetic required at the first certificate. Both built by `npm run build`,
 * one run of this script with BOUNDLAB_BIN=<main>,<s5-start> (runs interleaved), 2026-12-03, load
 * average 2.3–3.1 on the 2 cores (the other core busy, so wall time ≈ CPU time here):
 *   before: median 1.83 s wall, CPU median 1.80 s
 *   after:  median 1.25 s wall, CPU median 1.21 s   (−33 % CPU; wall ratio 0.68)
 * --help (0.09 → 0.08 s CPU), list (0.16 → 0.16 s) and verify gd-pl (4.23 → 4.20 s) unchanged.
 * An earlier run, before interval-arithmetic was loaded lazily, load 4.8–5.8: 1.70 → 1.25 s CPU. On
 * the quiet machine main's check took 1.09 s wall for 1.58 s of CPU; a third less CPU puts it
 * near 0.75 s (not measured quiet). What remains (node --cpu-prof): building mathjs's arithmetic
 * once (add, multiply, pow… as typed functions, about 0.1 s, and the Unit class the parser needs),
 * node and module loading, and the checking itself: the witnesses of ~250 assignments, 200 samples
 * per step evaluated, the sharp witnesses and the csdp certificates.
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
