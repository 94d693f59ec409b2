/**
 * Property tests of the whole catalogue: every theorem holds on random
 * witnesses from each family that satisfies its assumptions (plus its tight
 * cases), and every planted violation is caught on 30 (not fewer: on 10, two
 * plants survive, those of gd-regularized and nesterov-strongly-convex). Lemmas
 * hold on at least 10 per family; run theorems on the plants' 30, whose runs
 * the plants then replay (one RunCache per theorem: the same batches, only the
 * statement differs; identical results, tests/verify.test.ts). The full size of
 * the holds tests (100 witnesses, `boundlab verify`'s default) is
 * bench/catalogue.ts, or: BOUNDLAB_TEST_INSTANCES=100 npx vitest run tests/catalogue.test.ts
 */
import { describe, expect, it } from 'vitest';
import { THEOREMS } from '../src/theorems/index.ts';
import { plantedStatements, verifyTheorem } from '../src/verify/verify.ts';
import { RunCache } from '../src/runs/cache.ts';

// Fixed in CI; a failure prints it with the counterexample.
const SEED = Number(process.env.BOUNDLAB_TEST_SEED ?? 20261123);
const INSTANCES = Number(process.env.BOUNDLAB_TEST_INSTANCES ?? 10);
const PLANT_INSTANCES = 30;

// Bounds in expectation have their own statistical tests (tests/stochastic.test.ts).
describe.each(THEOREMS.filter((t) => t.kind !== 'expectation').map((t) => [t.id, t] as const))('%s', (_, th) => {
  const runs = new RunCache();
  const instances = th.kind === 'run' ? Math.max(INSTANCES, PLANT_INSTANCES) : INSTANCES;

  it(`holds on ≥ ${instances} random witnesses per family`, async () => {
    const r = await verifyTheorem(th, { instances, seed: SEED, runs });
    expect(r.verdict, `seed ${SEED}: ${JSON.stringify(r.counterexample)}`).toBe('holds');
    const families = Object.keys(r.families).filter((f) => f !== 'symmetric-matrix');
    for (const f of families) expect(r.families[f], f).toBeGreaterThanOrEqual(instances);
    expect(r.resolved).toBeGreaterThan(0);
  });

  it.each(plantedStatements(th).map((p) => [p.name, p] as const))('catches the planted violation: %s', async (_, plant) => {
    // From t = 1: a bound that equals the start value would catch any plant at t = 0.
    const r = await verifyTheorem(th, { statement: plant.statement, instances: PLANT_INSTANCES, seed: SEED, from: Math.max(th.from ?? 0, 1), runs });
    expect(r.verdict, `seed ${SEED}: the plant "${plant.statement.source}" survived`).toBe('violated');
  });
});
