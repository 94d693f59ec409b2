/**
 * Performance estimation end to end (build the model, write the SDP, run
 * csdp in a temporary folder, read the solution back): median wall seconds of
 * gradient descent at N = 10 (target ≤ 0.5 s) and N = 50 (target ≤ 10 s), and
 * of OGM at N = 10 and N = 50 (N up to 50 must work; target 10 s as for gradient descent), with the value
 * against the closed form. OGM N = 50 is the case whose subset face is degenerate (src/pep/solve.ts). Wall time on a
 * shared machine also counts other people's work; the load average is printed.
 * No assertions: timings never go in tests.
 *   npx tsx bench/pep.ts [REPEATS]
 */
import { loadavg } from 'node:os';
import { runPep } from '../src/pep/run.ts';

const repeats = Number(process.argv[2] ?? 5);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`median of ${repeats} runs each; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
function ogm(N: number): number {
  let t = 1;
  for (let k = 0; k < N; k++) t = (1 + Math.sqrt(1 + (k + 1 === N ? 8 : 4) * t * t)) / 2;
  return 1 / (2 * t * t);
}
const cases: { target: string; steps: number; exact: (N: number) => number; target_s: number }[] = [
  { target: 'gd', steps: 10, exact: (N) => 1 / (4 * N + 2), target_s: 0.5 },
  { target: 'gd', steps: 50, exact: (N) => 1 / (4 * N + 2), target_s: 10 },
  { target: 'ogm', steps: 10, target_s: NaN, exact: ogm },
  { target: 'ogm', steps: 50, target_s: 10, exact: ogm },
];
for (const c of cases) {
  const wall: number[] = [];
  const solver: number[] = [];
  let tau = NaN, gap = NaN;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const r = await runPep({ target: c.target, steps: c.steps });
    wall.push((performance.now() - t0) / 1000);
    solver.push(r.seconds);
    tau = r.tau ?? NaN;
    gap = r.gap ?? NaN;
  }
  const exact = c.exact(c.steps);
  console.log(`${c.target} N = ${c.steps}: median ${median(wall).toFixed(3)} s end to end (csdp ${median(solver).toFixed(3)} s)${Number.isFinite(c.target_s) ? `, target ${c.target_s} s` : ''}; τ = ${tau.toPrecision(10)}, closed form ${exact.toPrecision(10)}, relative error ${(Math.abs(tau - exact) / exact).toExponential(1)} (solver gap ${gap.toExponential(1)})`);
}
