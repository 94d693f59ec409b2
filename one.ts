import { theoremById } from './src/theorems/index.ts';
import { verifyTheorem } from './src/verify/verify.ts';
const [id, seed] = process.argv.slice(2);
const r = await verifyTheorem(theoremById(id)!, { instances: 100, seed: Number(seed) });
console.log(id, seed, r.verdict, r.worst_margin, r.resolved, r.checks, r.seconds.toFixed(1), JSON.stringify(r.counterexample ?? '').slice(0, 600));
