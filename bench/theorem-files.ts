/**
 * A theorem file against the same theorem built in: median seconds of
 * `verifyTheorem` at the default sizes (100 instances per family, 100 steps;
 * bounds in expectation 6 witnesses × 200 seeds × 200 steps), alternating the
 * two so that drift in the machine's load hits both, and their ratio. The
 * target is a ratio ≤ 1.10. Both wall time and this process's CPU time are
 * measured: on a shared machine the wall time also counts other people's
 * work, while the backend (wasm or cpu) runs in this process, so CPU time is
 * the steadier measure of the work done. No assertions: timings never go in tests.
 *   npx tsx bench/theorem-files.ts [REPEATS] [ID...]
 *
 * Last measured (2026-12-03, `npx tsx bench/theorem-files.ts 5`, wasm, a 2-core machine at load
 * average 9–12, so ±10 % between runs of the same code), CPU ratio file / built-in:
 * gd-convex 1.04, gd-pl 0.96, heavy-ball-quadratic 0.19, nesterov-strongly-convex 1.14,
 * nesterov-convex 1.17, gd-regularized 1.03, sgd-strongly-convex-fixed 1.00.
 * heavy-ball-quadratic's file is 5× faster: tf.train.momentum takes one momentum per batch,
 * so the built-in runs one batch per witness (each has its own ρ), the file one batch for all.
 * The two Nesterov files run the very TensorFlow.js kernels of the built-in (tests/methods.test.ts
 * counts them); what they spent more was on the host: the float64 reference step interpreted from
 * the description at every step of every row, FISTA's λ_k schedule recomputed for every row, and
 * the built-in match (for the error propagation) recomputed per row with linearObstacle twice.
 * Now the float64 step is compiled once into closures over Float64Arrays (src/methods/float64.ts,
 * bit-identical to the built-in step and to a forward float64 run: tests/methods.test.ts), a
 * schedule without parameters is shared by all rows, and linearObstacle is answered once per method.
 * The float64 step alone (the 600 and 400 witnesses × 100 steps, same iterates): 0.83–0.87× the
 * built-in step's CPU (it was 1.22–1.34× when interpreted).
 * `bench/theorem-files.ts 3 nesterov-convex nesterov-strongly-convex` run alternately on aaefb5a
 * (before) and on this code (after), four rounds each, 2026-12-03, load average 15–24 on 2 cores,
 * CPU ratio file / built-in per round (±10 % between rounds of the same code):
 *   nesterov-convex           before 1.074 1.161 1.084 1.204 (mean 1.13)   after 0.933 1.070 1.151 1.033 (mean 1.05)
 *   nesterov-strongly-convex  before 1.030 1.063 1.182 1.187 (mean 1.12)   after 0.963 0.984 1.135 1.005 (mean 1.02)
 * and a fifth round with REPEATS 5 at load average 9–17: nesterov-convex before 1.085, after 1.055;
 * nesterov-strongly-convex before 1.036, after 1.030. What is left for nesterov-convex is host work
 * of the TensorFlow.js rule (tfjs.ts walks the description at every step; its tensors alone are
 * 1.03× the built-in's CPU over 15 alternated runs) and the built-in match made per row.
 */
import { initEngine } from '../src/engine/backend.ts';
import { theoremById } from '../src/theorems/index.ts';
import { loadTheoremFile } from '../src/theoremFiles/load.ts';
import { verifyTheorem } from '../src/verify/verify.ts';

const repeats = Number(process.argv[2] ?? 5);
const backend = await initEngine();
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`backend ${backend}; median of ${repeats} runs each, alternating (after one warm-up run of each)`);
const ALL = ['gd-convex', 'gd-pl', 'heavy-ball-quadratic', 'nesterov-strongly-convex', 'nesterov-convex', 'gd-regularized', 'sgd-strongly-convex-fixed'];
const ids = process.argv.length > 3 ? process.argv.slice(3) : ALL;
const ratios: number[] = [];
for (const id of ids) {
  const builtin = theoremById(id)!;
  const file = loadTheoremFile(`theorems/${id}.md`).theorem;
  const wall: Record<'builtin' | 'file', number[]> = { builtin: [], file: [] };
  const cpu: Record<'builtin' | 'file', number[]> = { builtin: [], file: [] };
  for (let i = 0; i <= repeats; i++) {
    for (const [key, th] of [['builtin', builtin], ['file', file]] as const) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await verifyTheorem(th, {});
      const c = process.cpuUsage(c0);
      if (i > 0) { wall[key].push((performance.now() - t0) / 1000); cpu[key].push((c.user + c.system) / 1e6); }
    }
  }
  const ratio = median(cpu.file) / median(cpu.builtin);
  ratios.push(ratio);
  console.log(`${id.padEnd(28)} cpu: built-in ${median(cpu.builtin).toFixed(3)} s, file ${median(cpu.file).toFixed(3)} s, ratio ${ratio.toFixed(3)}   wall: ${median(wall.builtin).toFixed(3)} s, ${median(wall.file).toFixed(3)} s, ratio ${(median(wall.file) / median(wall.builtin)).toFixed(3)}`);
}
console.log(`${'largest cpu ratio'.padEnd(28)} ${Math.max(...ratios).toFixed(3)}`);
