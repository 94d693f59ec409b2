/**
 * The catalogue at full size: every deterministic theorem on 100 random
 * witnesses per family (`boundlab verify`'s default; tests/catalogue.test.ts
 * uses 10) and every planted violation on 30, each with its verdict and the
 * CPU seconds of this process (process.cpuUsage, not wall time: the machine is
 * shared). Prints a line per theorem and a final count of unexpected verdicts;
 * no assertions: timings never go in tests, and the tests hold the verdicts at
 * their sizes.
 *   npx tsx bench/catalogue.ts [--instances N] [ID ...]
 */
import { THEOREMS } from '../src/theorems/index.ts';
import { plantedStatements, verifyTheorem } from '../src/verify/verify.ts';

const SEED = 20261123;
const args = process.argv.slice(2);
const i = args.indexOf('--instances');
const instances = i >= 0 ? Number(args.splice(i, 2)[1]) : 100;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

let unexpected = 0;
const start = cpu();
for (const th of THEOREMS.filter((t) => t.kind !== 'expectation' && (args.length === 0 || args.includes(t.id)))) {
  const c0 = cpu();
  const held = await verifyTheorem(th, { instances, seed: SEED });
  const c1 = cpu();
  const plants = [];
  for (const p of plantedStatements(th)) {
    const r = await verifyTheorem(th, { statement: p.statement, instances: 30, seed: SEED, from: Math.max(th.from ?? 0, 1) });
    plants.push(`${p.name}: ${r.verdict}`);
    if (r.verdict !== 'violated') unexpected++;
  }
  if (held.verdict !== 'holds') unexpected++;
  console.log(`${th.id.padEnd(32)} ${held.verdict} on ${instances} per family (${(c1 - c0).toFixed(1)} s CPU); plants ${plants.join(', ')} (${(cpu() - c1).toFixed(1)} s CPU)`);
}
console.log(`total ${(cpu() - start).toFixed(1)} s CPU; ${unexpected} unexpected verdicts`);
