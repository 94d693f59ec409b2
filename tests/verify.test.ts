/**
 * The verifier's behaviour beyond the catalogue: memory, divergence,
 * inconclusive runs, replayable counterexamples, and bad input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../src/engine/backend.ts';
import { theoremById } from '../src/theorems/index.ts';
import type { Theorem } from '../src/theorems/types.ts';
import { parseStatement } from '../src/language/statement.ts';
import { plantedStatements, verifyTheorem } from '../src/verify/verify.ts';
import { UsageError } from '../src/language/usage.ts';
import { familyById } from '../src/classes/index.ts';
import { RunCache } from '../src/runs/cache.ts';

beforeAll(async () => { await initEngine(); });

// x⁴ is not globally smooth: gradient descent from x0 = 3 with γ = 0.1 overflows float32 within a few steps.
const blowUp: Theorem = {
  id: 'quartic-blow-up', title: 'a bound that only ∞ can break', source: 'test', kind: 'run',
  classes: ['convex'], families: ['quartic'], constraints: ['gamma > 0'], ranges: { gamma: [0.1, 0.1] },
  algorithm: { optimizer: 'gd', hyper: { lr: 'gamma' } }, statement: 'f_t - fstar <= 1e300',
  witnesses: () => [{ family: 'quartic', params: { c: 1, x0: [3] }, set: { gamma: 0.1 } }],
  planted: { faster: {} },
};

describe('verify', () => {
  it('leaves no tensor behind after a run', async () => {
    const before = tf.memory().numTensors;
    await verifyTheorem(theoremById('heavy-ball-quadratic')!, { instances: 10, steps: 20 });
    await verifyTheorem(theoremById('nesterov-convex')!, { instances: 10, steps: 20 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports a run that blows up as a divergence at its step, never holds', async () => {
    const r = await verifyTheorem(blowUp, { instances: 1, steps: 30, family: 'quartic' });
    expect(r.verdict).toBe('violated');
    expect(r.counterexample?.divergence).toBe(true);
    expect(r.counterexample?.step).toBeGreaterThan(0);
    expect(r.counterexample?.step).toBeLessThan(30);
  });

  it('is inconclusive when the bound is below the float32 floor from the first step', async () => {
    // μ = L = 1 and γ = 1: one exact step lands on x*, so the bound (1 − γμ)^t Δ0 is 0 from t = 1 on,
    // while the float32 iterate sits at rounding distance from x*: nothing can be resolved, and
    // calling it a violation would be a false alarm.
    const th = theoremById('gd-pl')!;
    const exactInOneStep = { dim: 3, eigenvalues: [1, 1, 1], rotationSeed: 5, xstar: [0.3, -0.7, 0.1], x0: [1.1, 2.2, -3.3], fstar: 0.25 };
    const r = await verifyTheorem({ ...th, witnesses: () => [{ family: 'quadratic', params: exactInOneStep, set: { gamma: 1 } }] }, {
      instances: 0, steps: 10, family: 'quadratic', from: 1,
    });
    expect(r.verdict).toBe('inconclusive');
    expect(r.resolved).toBe(0);
    expect(r.checks).toBe(10);
  });

  it('gives a counterexample that replays from its record', async () => {
    const th = theoremById('gd-pl')!;
    const plant = parseStatement('f_t - fstar <= (1 - 2 * gamma * mu)^t * Delta0');
    const r = await verifyTheorem(th, { statement: plant, instances: 20, family: 'quadratic', seed: 3, from: 1 });
    const c = r.counterexample!;
    expect(c).toBeDefined();
    const family = familyById(c.family)!;
    const again = family.instantiate(JSON.parse(JSON.stringify(c.params)));
    const replay = await verifyTheorem({ ...th, witnesses: () => [{ family: c.family, params: again.params, set: { gamma: c.parameters.gamma } }] }, {
      statement: plant, instances: 0, family: c.family, from: 1,
    });
    expect(replay.counterexample?.step).toBe(c.step);
    expect(replay.counterexample?.measured).toBe(c.measured);
  });

  it('reports the bound a violation cleared, in runs and in expectation alike (one comparison for both checkers)', async () => {
    // Runs: the measured value beyond the reported bound plus its tolerance.
    const run = await verifyTheorem(theoremById('gd-pl')!, {
      statement: parseStatement('f_t - fstar <= (1 - 2 * gamma * mu)^t * Delta0'), instances: 6, steps: 30, family: 'quadratic', seed: 3, from: 1,
    });
    const rc = run.counterexample!;
    expect(rc.relation).toBe('f_t - fstar <= (1 - 2 * gamma * mu) ^ t * Delta0');
    expect(rc.measured).toBeGreaterThan(rc.bound + rc.tolerance);
    expect(rc.interval).toBeUndefined();
    // Expectation: the whole interval beyond it.
    const th = theoremById('sgd-strongly-convex-fixed')!;
    const tight = plantedStatements(th).find((p) => p.name.startsWith('bound'))!;
    const mean = await verifyTheorem(th, { statement: tight.statement, instances: 3, steps: 40, seeds: 20, seed: 1, from: 1 });
    const ec = mean.counterexample!;
    expect(ec.relation).toMatch(/^E\(.*\) <= /);
    expect(ec.interval!.lo).toBeGreaterThan(ec.bound + ec.tolerance);
    expect(Math.abs(ec.measured - (ec.interval!.lo + ec.interval!.hi) / 2)).toBeLessThanOrEqual(1e-12 * Math.abs(ec.measured));
  });

  // Every result field but the time: the planted checks replay the runs (and reuse the witnesses) of the check before them.
  it.each([
    [blowUp.id, blowUp, { instances: 1, steps: 30, family: 'quartic' }], // a run that overflows float32 and goes on in float64
    ['heavy-ball-quadratic', theoremById('heavy-ball-quadratic')!, { instances: 6, steps: 20 }], // one batch split into groups by momentum
    ['nesterov-convex', theoremById('nesterov-convex')!, { instances: 4, steps: 20, curvesPerFamily: 1 }],
    ['gd-regularized', theoremById('gd-regularized')!, { instances: 6, steps: 30 }],
    ['sgd-strongly-convex-fixed', theoremById('sgd-strongly-convex-fixed')!, { instances: 2, steps: 30, seeds: 20 }], // in expectation: a row per seed
    ['cocoercivity', theoremById('cocoercivity')!, { instances: 6 }], // a lemma: only the witnesses are shared
  ] as const)('a run cache changes no result of %s or of its plants', async (_, th, sizes) => {
    const runs = new RunCache();
    const statements = [undefined, ...plantedStatements(th).map((p) => p.statement)];
    for (const [k, statement] of statements.entries()) {
      const opts = { ...sizes, seed: 11, statement, from: k === 0 ? undefined : 1 };
      const { seconds: _plain, ...plain } = await verifyTheorem(th, opts);
      const { seconds: _cached, ...cached } = await verifyTheorem(th, { ...opts, runs });
      expect(cached).toStrictEqual(plain);
    }
    // The first check ran every batch, the plants replayed them all.
    expect(runs.replayed).toBe((statements.length - 1) * runs.driven);
    expect(runs.driven > 0).toBe(th.kind !== 'lemma');
  });

  it('a run cache replays a run only when every input is the same', async () => {
    const family = familyById('quadratic')!;
    const inst = family.instantiate({ dim: 2, eigenvalues: [1, 2], rotationSeed: 1, xstar: [0, 0], x0: [1, -1], fstar: 0 });
    const spec = { family, instances: [inst], optimizer: 'gd', hyper: { lr: [0.1] }, steps: 3, seed: 0, x0: [Float32Array.of(1, 0)] };
    const seen: number[][] = [];
    const runs = new RunCache();
    const drive = async (s: { steps: number; onStep(t: number, x: Float32Array, d: number, rows: readonly number[]): void }) => {
      for (let t = 0; t <= s.steps; t++) s.onStep(t, Float32Array.of(t, -t), 2, [0]);
    };
    const onStep = (t: number, x: Float32Array) => { seen.push([t, ...x]); };
    const variants = [{}, { seed: 1 }, { steps: 4 }, { hyper: { lr: [0.2] } }, { optimizer: 'nesterov' }, { x0: [Float32Array.of(1, -0)] },
      { instances: [family.instantiate({ ...inst.params, x0: [1, -2] })] }];
    for (const v of variants) await runs.run('tfjs', drive, { ...spec, ...v, onStep });
    await runs.run('float64', drive, { ...spec, onStep });
    expect([runs.driven, runs.replayed]).toEqual([variants.length + 1, 0]);
    const first = seen.length;
    await runs.run('tfjs', drive, { ...spec, onStep });
    expect(runs.replayed).toBe(1);
    expect(seen.slice(first)).toEqual(seen.slice(0, 4));
  });

  it('refuses a step outside the domain, naming the constraint', async () => {
    await expect(verifyTheorem(theoremById('gd-convex')!, { instances: 2, family: 'huber', set: { gamma: 1e6 } }))
      .rejects.toThrow(UsageError);
    await expect(verifyTheorem(theoremById('gd-convex')!, { instances: 2, family: 'huber', set: { gamma: 1e6 } }))
      .rejects.toThrow(/gamma <= 1 \/ L fails/);
  });

  it('refuses an unknown family with the closest names', async () => {
    await expect(verifyTheorem(theoremById('gd-convex')!, { family: 'hubert' })).rejects.toThrow(/unknown family 'hubert'.*huber/);
  });
});
