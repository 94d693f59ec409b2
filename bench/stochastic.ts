/**
 * The statistical check of each bound in expectation with the default
 * settings (DEFAULTS: witnesses per family, steps, seeds), against the issue's
 * target of 30 s for one theorem; and where the time goes, as the share of
 * rows × steps per second. One process, theorems in catalogue order (the
 * first pays for starting the engine). No assertions: timings never go in tests.
 *   npx tsx bench/stochastic.ts [ID...]
 */
import { initEngine } from '../src/engine/backend.ts';
import { THEOREMS } from '../src/theorems/index.ts';
import { DEFAULTS, verifyTheorem } from '../src/verify/verify.ts';

const TARGET_SECONDS = 30;
const backend = await initEngine();
const ids = process.argv.slice(2);
const theorems = THEOREMS.filter((t) => t.kind === 'expectation' && (ids.length === 0 || ids.includes(t.id)));
console.log(`backend ${backend}; ${DEFAULTS.expectationInstances} witnesses per family (plus tight ones), ${DEFAULTS.expectationSteps} steps, ${DEFAULTS.seeds} seeds`);
for (const th of theorems) {
  const r = await verifyTheorem(th);
  const rowSteps = r.instances * DEFAULTS.seeds * r.steps;
  console.log(
    `${th.id.padEnd(34)} ${r.verdict.padEnd(9)} ${r.seconds.toFixed(1).padStart(6)} s = ${(r.seconds / TARGET_SECONDS).toFixed(2)} × target`
    + `  ${r.instances} witnesses × ${DEFAULTS.seeds} seeds × ${r.steps} steps: ${(rowSteps / r.seconds / 1e3).toFixed(0)}k row-steps/s`,
  );
}
