import { THEOREMS } from './src/theorems/index.ts';
import { verifyTheorem } from './src/verify/verify.ts';
for (const seed of process.argv.slice(2).map(Number)) {
  for (const th of THEOREMS) {
    const r = await verifyTheorem(th, { instances: 100, seed });
    if (r.verdict !== 'holds') console.log(seed, th.id, r.verdict, JSON.stringify(r.counterexample).slice(0, 1500));
  }
  console.log('seed done', seed);
}
