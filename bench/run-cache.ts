/**
 * A RunCache changes no result: for every theorem of the catalogue, at the
 * sizes of tests/catalogue.test.ts and tests/stochastic.test.ts, the holds
 * check and every planted violation are verified without a cache and with one
 * shared by all of them (the first check records the runs and draws the
 * witnesses, the others replay and reuse them; lemmas share only witnesses),
 * and every result field but `seconds` is compared.
 * Prints the mismatches (exit 1 when there is one) and the CPU time of both ways.
 */
import { isDeepStrictEqual } from 'node:util';
import { THEOREMS } from '../src/theorems/index.ts';
import { plantedStatements, verifyTheorem, type VerifyOptions } from '../src/verify/verify.ts';
import { RunCache } from '../src/runs/cache.ts';

const SEED = Number(process.env.BOUNDLAB_TEST_SEED ?? 20261123);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

let compared = 0, mismatches = 0, plainSeconds = 0, cachedSeconds = 0;
for (const th of THEOREMS) {
  const sizes: VerifyOptions = th.kind === 'expectation' ? { instances: 2, steps: 50, seeds: th.planted.seeds } : { instances: 30 };
  const checks: VerifyOptions[] = [
    ...(th.kind === 'expectation' ? [] : [{}]),
    ...plantedStatements(th).map((p) => ({ statement: p.statement, from: Math.max(th.from ?? 0, 1) })),
  ].map((o) => ({ ...sizes, ...o, seed: SEED }));
  const runs = new RunCache();
  for (const opts of checks) {
    let t = cpu();
    const { seconds: _p, ...plain } = await verifyTheorem(th, opts);
    plainSeconds += cpu() - t;
    t = cpu();
    const { seconds: _c, ...cached } = await verifyTheorem(th, { ...opts, runs });
    cachedSeconds += cpu() - t;
    compared++;
    if (!isDeepStrictEqual(plain, cached)) {
      mismatches++;
      console.log(`MISMATCH ${th.id} ${opts.statement?.source ?? '(its statement)'}\n  without: ${JSON.stringify(plain)}\n  with:    ${JSON.stringify(cached)}`);
    }
  }
  console.log(`${th.id}: ${checks.length} checks, ${runs.driven} batches run, ${runs.replayed} replayed`);
}
console.log(`${compared} results compared field by field, ${mismatches} mismatches; CPU ${plainSeconds.toFixed(1)} s without the cache, ${cachedSeconds.toFixed(1)} s with it`);
if (mismatches) process.exit(1);
