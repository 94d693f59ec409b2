/**
 * Time of each relaxation search in regressions/relaxations.yaml with the
 * default budget (RELAX_DEFAULTS): sampling, float64 refinement, weakening
 * and shrinking, and the TensorFlow.js confirmation; then the tightness
 * searches of the three tight theorems, seeded and from random starts. One process, entries in file order
 * (the first pays for compiling and starting the engine). No assertions:
 * timings never go in tests.
 *   npx tsx bench/relax.ts
 */
import { initEngine } from '../src/engine/backend.ts';
import { theoremById } from '../src/theorems/index.ts';
import { relax, RELAX_DEFAULTS } from '../src/search/relax.ts';
import { describeEntry, readRelaxations } from '../src/search/regressions.ts';
import { tightness } from '../src/search/tightness.ts';

const backend = await initEngine();
console.log(`backend ${backend}; budget: ${RELAX_DEFAULTS.instances} instances per family, ${RELAX_DEFAULTS.rounds} rounds, ${RELAX_DEFAULTS.steps} steps; bounds in expectation: ${RELAX_DEFAULTS.expectationInstances} per family, ${RELAX_DEFAULTS.seeds} seeds, no refinement`);
let total = 0;
for (const e of readRelaxations()) {
  const r = await relax(theoremById(e.theorem)!, { drop: e.drop, add: e.add, seed: e.seed });
  total += r.seconds;
  const ok = r.verdict === e.expect ? '' : `  (expected ${e.expect})`;
  console.log(`${describeEntry(e).padEnd(72)} ${r.verdict.padEnd(15)} ${r.seconds.toFixed(2).padStart(6)} s  ${String(r.search.evaluations).padStart(5)} evaluations${ok}`);
}
console.log(`${'all relaxations'.padEnd(72)} ${''.padEnd(15)} ${total.toFixed(2).padStart(6)} s`);

const tight: [string, Record<string, number | string>, number][] = [
  ['gd-convex-tight', { h: 1 }, 10], ['gd-convex-tight', { h: 1 }, 100],
  ['gd-contraction-tight', { gamma: '2/(mu+L)' }, 20], ['heavy-ball-quadratic', {}, 20],
];
for (const [id, set, N] of tight) {
  for (const seeded of [true, false]) {
    const r = await tightness(theoremById(id)!, { set, steps: N, tight: seeded });
    const what = `tightness ${id} ${Object.entries(set).map(([k, v]) => `${k}=${v}`).join(',')} N=${N}${seeded ? '' : ' (random starts)'}`;
    console.log(`${what.padEnd(72)} ratio ${r.ratio.toFixed(6)} ${r.seconds.toFixed(2).padStart(6)} s  (sampled ${r.search.sampled_ratio.toFixed(4)})`);
  }
}
