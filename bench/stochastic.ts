/**
 * The statistical check of each bound in expectation with the default
 * settings (DEFAULTS: witnesses per family, steps, seeds), against the issue's
 * target of 30 s for one theorem; and where the time goes, as the share of
 * rows × steps per second. One process, theorems in catalogue order (the
 * first pays for starting the engine). Then each planted violation at the
 * size `boundlab verify --plant` runs it (the defaults' witnesses and steps,
 * the plant's own seeds; tests/stochastic.test.ts catches them on 2 witnesses
 * per family and 50 steps) with its verdict and CPU seconds (process.cpuUsage).
 * No assertions: timings never go in tests.
 *   npx tsx bench/stochastic.ts [ID...]
 */
import { initEngine } from '../src/engine/backend.ts';
import { THEOREMS } from '../src/theorems/index.ts';
import { DEFAULTS, plantedStatements, verifyTheorem } from '../src/verify/verify.ts';

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

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
for (const th of theorems) for (const plant of plantedStatements(th)) {
  const c0 = cpu();
  const r = await verifyTheorem(th, { statement: plant.statement, seeds: th.planted.seeds, from: Math.max(th.from ?? 0, 1) });
  console.log(`${th.id.padEnd(34)} plant ${plant.name.padEnd(10)} ${r.verdict.padEnd(9)} ${(cpu() - c0).toFixed(1).padStart(6)} s CPU  (${r.steps} steps)`);
}
