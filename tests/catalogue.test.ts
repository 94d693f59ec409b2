/**
 * Property tests of the whole catalogue: every theorem holds on at least 100
 * random witnesses from each family that satisfies its assumptions (plus its
 * tight cases), and every planted violation is caught.
 */
import { describe, expect, it } from 'vitest';
import { THEOREMS } from '../src/theorems/index.ts';
import { plantedStatements, verifyTheorem } from '../src/verify/verify.ts';

// Fixed in CI; a failure prints it with the counterexample.
const SEED = Number(process.env.BOUNDLAB_TEST_SEED ?? 20261123);

// Bounds in expectation have their own statistical tests (tests/stochastic.test.ts).
describe.each(THEOREMS.filter((t) => t.kind !== 'expectation').map((t) => [t.id, t] as const))('%s', (_, th) => {
  it('holds on ≥ 100 random witnesses per family', async () => {
    const r = await verifyTheorem(th, { instances: 100, seed: SEED });
    expect(r.verdict, `seed ${SEED}: ${JSON.stringify(r.counterexample)}`).toBe('holds');
    const families = Object.keys(r.families).filter((f) => f !== 'symmetric-matrix');
    for (const f of families) expect(r.families[f], f).toBeGreaterThanOrEqual(100);
    expect(r.resolved).toBeGreaterThan(0);
  });

  it.each(plantedStatements(th).map((p) => [p.name, p] as const))('catches the planted violation: %s', async (_, plant) => {
    // From t = 1: a bound that equals the start value would catch any plant at t = 0.
    const r = await verifyTheorem(th, { statement: plant.statement, instances: 30, seed: SEED, from: Math.max(th.from ?? 0, 1) });
    expect(r.verdict, `seed ${SEED}: the plant "${plant.statement.source}" survived`).toBe('violated');
  });
});
