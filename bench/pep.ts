/**
 * Performance estimation end to end (build the model, write the SDP, run
 * csdp in a temporary folder, read the solution back), against the closed
 * forms: gradient descent at N = 10 (target ≤ 0.5 s) and N = 50 (target
 * ≤ 10 s), OGM at N = 10 and N = 50 (the subset face of solve.ts), and
 * gradient descent's strongly convex contraction at N = 50 and at a τ of 6e-7
 * (the limit of the solver's accuracy, docs/pep.md), and proximal gradient on
 * a composite f + h at N = 50. Target accuracy: 1e-6 relative.
 *
 * Each case runs in its own process under /usr/bin/time, so the CPU seconds
 * count csdp's (a child) too; the machine is shared, so CPU time is the
 * number to compare, wall time is printed beside it. A process that only
 * loads the modules is measured first: the cases' CPU is given above it.
 * No assertions: timings never go in tests.
 *   npx tsx bench/pep.ts [REPEATS]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runPep } from '../src/pep/run.ts';

interface Case { target: string; steps: number; set?: Record<string, number | string>; strong?: boolean; exact: (N: number) => number; target_s?: number }

function ogm(N: number): number {
  let t = 1;
  for (let k = 0; k < N; k++) t = (1 + Math.sqrt(1 + (k + 1 === N ? 8 : 4) * t * t)) / 2;
  return 1 / (2 * t * t);
}
const contraction = (h: number, mu: number) => (N: number) => Math.max(Math.abs(1 - h * mu), Math.abs(1 - h)) ** (2 * N);
const CASES: Case[] = [
  { target: 'gd', steps: 10, exact: (N) => 1 / (4 * N + 2), target_s: 0.5 },
  { target: 'gd', steps: 50, exact: (N) => 1 / (4 * N + 2), target_s: 10 },
  { target: 'ogm', steps: 10, exact: ogm },
  { target: 'ogm', steps: 50, exact: ogm, target_s: 10 },
  { target: 'gd', steps: 50, set: { mu: 0.1, h: 1, gamma: 'h/L' }, strong: true, exact: contraction(1, 0.1) },
  { target: 'gd', steps: 20, set: { mu: 0.2, h: 1.5, gamma: 'h/L' }, strong: true, exact: contraction(1.5, 0.2) },
  // composite f + h: Taylor–Hendrickx–Glineur 2018 (JOTA), proximal gradient with γ = 1/L, L R²/(4N)
  { target: 'proximal-gd', steps: 50, exact: (N) => 1 / (4 * N) },
];

const name = (c: Case) => `${c.target}${c.strong ? ` strongly convex (${Object.entries(c.set!).filter(([k]) => k !== 'gamma').map(([k, v]) => `${k} = ${v}`).join(', ')})` : ''} N = ${c.steps}`;

if (process.argv[2] === '--case') {
  const i = Number(process.argv[3]);
  if (i >= 0) {
    const c = CASES[i];
    const t0 = performance.now();
    const r = await runPep({ target: c.target, steps: c.steps, set: c.set, ...(c.strong ? { cls: 'smooth-strongly-convex' as const, measure: 'dist2' as const } : {}) });
    console.log(JSON.stringify({ wall: (performance.now() - t0) / 1000, csdp: r.seconds, tau: r.tau, gap: r.gap, status: r.status }));
  }
} else {
  const repeats = Number(process.argv[2] ?? 3);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const self = fileURLToPath(import.meta.url);
  const once = (i: number) => {
    const p = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, '--import', 'tsx', self, '--case', String(i)], { encoding: 'utf8' });
    const [user, sys] = p.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    return { cpu: user + sys, out: i >= 0 ? JSON.parse(p.stdout.trim().split('\n').at(-1)!) : undefined };
  };
  console.log(`median of ${repeats} runs each; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const base = median(Array.from({ length: repeats }, () => once(-1).cpu));
  console.log(`loading the modules alone: ${base.toFixed(2)} s CPU`);
  CASES.forEach((c, i) => {
    const runs = Array.from({ length: repeats }, () => once(i));
    const { tau, gap, status } = runs[0].out;
    const exact = c.exact(c.steps);
    console.log(`${name(c)}: ${(median(runs.map((r) => r.cpu)) - base).toFixed(2)} s CPU beyond loading (csdp's included; wall ${median(runs.map((r) => r.out.wall)).toFixed(2)} s, csdp ${median(runs.map((r) => r.out.csdp)).toFixed(2)} s wall)` +
      `${c.target_s ? `, target ${c.target_s} s` : ''}; ${status}, τ = ${Number(tau).toPrecision(12)}, closed form ${exact.toPrecision(12)}, relative error ${(Math.abs(tau - exact) / exact).toExponential(1)} (solver gap ${Number(gap).toExponential(1)})`);
  });
}
